// Bob Jenkins' lookup3 hash as the kernel's jhash()/jhash2() compute it, for maps whose behaviour users can see
// depend on the hash (the bloom filter's false positives).

const JHASH_INITVAL = 0xdeadbeef;

const rol32 = (x: number, r: number): number => ((x << r) | (x >>> (32 - r))) >>> 0;

/** The three-word state and the two lookup3 rounds over it (all u32 arithmetic). */
function mix(s: Uint32Array): void {
  let [a, b, c] = [s[0], s[1], s[2]];
  a = (a - c) >>> 0;
  a = (a ^ rol32(c, 4)) >>> 0;
  c = (c + b) >>> 0;
  b = (b - a) >>> 0;
  b = (b ^ rol32(a, 6)) >>> 0;
  a = (a + c) >>> 0;
  c = (c - b) >>> 0;
  c = (c ^ rol32(b, 8)) >>> 0;
  b = (b + a) >>> 0;
  a = (a - c) >>> 0;
  a = (a ^ rol32(c, 16)) >>> 0;
  c = (c + b) >>> 0;
  b = (b - a) >>> 0;
  b = (b ^ rol32(a, 19)) >>> 0;
  a = (a + c) >>> 0;
  c = (c - b) >>> 0;
  c = (c ^ rol32(b, 4)) >>> 0;
  b = (b + a) >>> 0;
  s[0] = a;
  s[1] = b;
  s[2] = c;
}

function final(s: Uint32Array): number {
  let [a, b, c] = [s[0], s[1], s[2]];
  c = (c ^ b) >>> 0;
  c = (c - rol32(b, 14)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rol32(c, 11)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rol32(a, 25)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rol32(b, 16)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rol32(c, 4)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rol32(a, 14)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rol32(b, 24)) >>> 0;
  return c;
}

const word = (bytes: Uint8Array, at: number): number =>
  (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;

/** Kernel jhash(): any number of bytes, read as little-endian words, the tail byte by byte. */
export function jhash(bytes: Uint8Array, initval: number): number {
  const state = new Uint32Array(3).fill((JHASH_INITVAL + bytes.length + initval) >>> 0);
  let at = 0;
  let left = bytes.length;
  for (; left > 12; left -= 12, at += 12) {
    state[0] += word(bytes, at);
    state[1] += word(bytes, at + 4);
    state[2] += word(bytes, at + 8);
    mix(state);
  }
  if (left === 0) return state[2];
  // The last 1..12 bytes go into a, b, c from the low byte up; missing bytes count as zero.
  const tail = new Uint8Array(12);
  tail.set(bytes.subarray(at, at + left));
  state[0] += word(tail, 0);
  state[1] += word(tail, 4);
  state[2] += word(tail, 8);
  return final(state);
}

/** Kernel jhash2(): a whole number of u32 words (`bytes.length` a multiple of 4). */
export function jhash2(bytes: Uint8Array, initval: number): number {
  const words = bytes.length >>> 2;
  const state = new Uint32Array(3).fill((JHASH_INITVAL + (words << 2) + initval) >>> 0);
  let at = 0;
  let left = words;
  for (; left > 3; left -= 3, at += 12) {
    state[0] += word(bytes, at);
    state[1] += word(bytes, at + 4);
    state[2] += word(bytes, at + 8);
    mix(state);
  }
  if (left === 0) return state[2];
  for (let i = 0; i < left; i++) state[i] += word(bytes, at + 4 * i);
  return final(state);
}
