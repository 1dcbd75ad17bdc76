// Reading NUL-terminated strings out of a BTF string table, and checking the table's shape.

const utf8 = new TextDecoder('utf-8');

/** Byte offset of the NUL ending the string at `offset`, or -1 when there is none before the end. */
export function findStringEnd(strings: Uint8Array, offset: number): number {
  return strings.indexOf(0, offset);
}

/** The string at `offset`; undefined when `offset` is outside the table or the string is unterminated. */
export function readCString(strings: Uint8Array, offset: number): string | undefined {
  if (!Number.isInteger(offset) || offset < 0 || offset >= strings.length) return undefined;
  const end = findStringEnd(strings, offset);
  if (end < 0) return undefined;
  return utf8.decode(strings.subarray(offset, end));
}

/** libbpf's rule: a non-empty table that starts with the empty string and ends with a NUL. */
export function isValidStringTable(strings: Uint8Array): boolean {
  return strings.length > 0 && strings[0] === 0 && strings[strings.length - 1] === 0;
}
