// ELF string tables: NUL-terminated names looked up by byte offset (reader) and laid out with shared tails (writer).

/** The result of looking a name up: the string, or why the offset does not name one. */
export type StringLookup = { ok: true; value: string } | { ok: false; problem: string };

const REPLACEMENT_CHARACTER = 0xfffd;

/**
 * Read access to one string table. The whole table is decoded once, on first use, so that any number of
 * lookups costs time linear in the table's size even when a hostile file points thousands of names into one
 * long unterminated run.
 */
export class StringTable {
  private readonly bytes: Uint8Array;
  private decoded?: { text: string; charIndex: Int32Array; nextNul: Int32Array };

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  get size(): number {
    return this.bytes.length;
  }

  lookup(offset: number): StringLookup {
    if (!Number.isInteger(offset) || offset < 0 || offset >= this.bytes.length) {
      return {
        ok: false,
        problem: `offset 0x${offset.toString(16)} is outside the string table (size 0x${this.bytes.length.toString(16)})`,
      };
    }
    const { text, charIndex, nextNul } = this.decode();
    const end = nextNul[offset];
    if (end < 0)
      return { ok: false, problem: `string at offset 0x${offset.toString(16)} is not NUL-terminated` };
    return { ok: true, value: text.slice(charIndex[offset], charIndex[end]) };
  }

  private decode(): { text: string; charIndex: Int32Array; nextNul: Int32Array } {
    if (this.decoded === undefined) this.decoded = decodeStringTable(this.bytes);
    return this.decoded;
  }
}

/**
 * Decodes the table as UTF-8 into one string and records, per byte, the index of the character starting
 * there (bytes inside a multi-byte character map to the character after it), plus each byte's next NUL.
 * Invalid bytes become U+FFFD one byte at a time.
 */
function decodeStringTable(bytes: Uint8Array): { text: string; charIndex: Int32Array; nextNul: Int32Array } {
  const length = bytes.length;
  const charIndex = new Int32Array(length + 1);
  const units = new Uint16Array(length); // UTF-16 never needs more units than UTF-8 has bytes
  let unitCount = 0;
  let at = 0;
  while (at < length) {
    const sequenceLength = utf8SequenceLength(bytes, at);
    charIndex[at] = unitCount;
    if (sequenceLength === 0) {
      units[unitCount++] = REPLACEMENT_CHARACTER;
      at += 1;
      continue;
    }
    const codePoint = utf8CodePoint(bytes, at, sequenceLength);
    if (codePoint >= 0x10000) {
      const high = codePoint - 0x10000;
      units[unitCount++] = 0xd800 + (high >> 10);
      units[unitCount++] = 0xdc00 + (high & 0x3ff);
    } else {
      units[unitCount++] = codePoint;
    }
    for (let inner = 1; inner < sequenceLength; inner++) charIndex[at + inner] = unitCount;
    at += sequenceLength;
  }
  charIndex[length] = unitCount;

  const nextNul = new Int32Array(length);
  let nul = -1;
  for (let i = length - 1; i >= 0; i--) {
    if (bytes[i] === 0) nul = i;
    nextNul[i] = nul;
  }
  return { text: unitsToString(units, unitCount), charIndex, nextNul };
}

/** Length of the valid UTF-8 sequence starting at `at`, or 0 when the byte there does not start one. */
function utf8SequenceLength(bytes: Uint8Array, at: number): number {
  const lead = bytes[at];
  if (lead < 0x80) return 1;
  const isContinuation = (i: number, low = 0x80, high = 0xbf) =>
    i < bytes.length && bytes[i] >= low && bytes[i] <= high;
  if (lead >= 0xc2 && lead <= 0xdf) return isContinuation(at + 1) ? 2 : 0;
  if (lead >= 0xe0 && lead <= 0xef) {
    // Exclude overlong forms (E0) and UTF-16 surrogates (ED).
    const low = lead === 0xe0 ? 0xa0 : 0x80;
    const high = lead === 0xed ? 0x9f : 0xbf;
    return isContinuation(at + 1, low, high) && isContinuation(at + 2) ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    const low = lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xf4 ? 0x8f : 0xbf;
    return isContinuation(at + 1, low, high) && isContinuation(at + 2) && isContinuation(at + 3) ? 4 : 0;
  }
  return 0;
}

function utf8CodePoint(bytes: Uint8Array, at: number, sequenceLength: number): number {
  const lead = bytes[at];
  if (sequenceLength === 1) return lead;
  let codePoint = lead & (0x7f >> sequenceLength);
  for (let i = 1; i < sequenceLength; i++) codePoint = (codePoint << 6) | (bytes[at + i] & 0x3f);
  return codePoint;
}

function unitsToString(units: Uint16Array, count: number): string {
  const chunk = 0x2000;
  let text = '';
  for (let start = 0; start < count; start += chunk) {
    text += String.fromCharCode(...units.subarray(start, Math.min(start + chunk, count)));
  }
  return text;
}

/**
 * Collects names and lays them out as an ELF string table. A name that is the tail of another shares its
 * bytes (`.text` inside `.rel.text`), as LLVM does. The layout depends only on the set of names, so the
 * same names always give the same bytes.
 */
export class StringTableBuilder {
  private readonly names = new Set<string>();

  add(name: string): void {
    this.names.add(name);
  }

  finish(): { bytes: Uint8Array; offsetOf: (name: string) => number } {
    const encoder = new TextEncoder();
    const entries = [...this.names]
      .filter((name) => name !== '')
      .map((name) => ({ name, bytes: encoder.encode(name), offset: 0 }));
    entries.sort((a, b) => compareReversedDescending(a.bytes, b.bytes));

    const offsets = new Map<string, number>([['', 0]]);
    let size = 1; // offset 0 holds the empty name
    let previous: (typeof entries)[number] | undefined;
    for (const entry of entries) {
      if (previous !== undefined && endsWith(previous.bytes, entry.bytes)) {
        entry.offset = previous.offset + previous.bytes.length - entry.bytes.length;
      } else {
        entry.offset = size;
        size += entry.bytes.length + 1;
      }
      offsets.set(entry.name, entry.offset);
      previous = entry;
    }

    const bytes = new Uint8Array(size);
    // Tails rewrite the bytes their owner already holds, so every name can simply be copied.
    for (const entry of entries) bytes.set(entry.bytes, entry.offset);
    return {
      bytes,
      offsetOf: (name: string) => {
        const offset = offsets.get(name);
        if (offset === undefined) throw new Error(`string table builder: '${name}' was never added`);
        return offset;
      },
    };
  }
}

/** Orders byte strings by their reversed bytes, larger first, so a string directly follows those it ends. */
function compareReversedDescending(a: Uint8Array, b: Uint8Array): number {
  for (let i = 1; i <= Math.min(a.length, b.length); i++) {
    const difference = b[b.length - i] - a[a.length - i];
    if (difference !== 0) return difference;
  }
  return b.length - a.length;
}

function endsWith(whole: Uint8Array, tail: Uint8Array): boolean {
  if (tail.length > whole.length) return false;
  const start = whole.length - tail.length;
  for (let i = 0; i < tail.length; i++) if (whole[start + i] !== tail[i]) return false;
  return true;
}
