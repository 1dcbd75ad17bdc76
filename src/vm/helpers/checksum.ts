// Internet checksum arithmetic as the kernel's csum_* primitives compute it (32-bit partial sums, 16-bit folds).

/** Kernel csum_add: 32-bit add with end-around carry. */
export function csumAdd(a: number, b: number): number {
  const sum = (a + b) >>> 0;
  return (sum + (sum < b >>> 0 ? 1 : 0)) >>> 0;
}

/** Kernel csum_sub: add the one's complement. */
export function csumSub(a: number, b: number): number {
  return csumAdd(a, ~b >>> 0);
}

/** Kernel csum_fold: folds a 32-bit partial sum to 16 bits and complements it. */
export function csumFold(sum: number): number {
  let folded = (sum & 0xffff) + (sum >>> 16);
  folded = (folded & 0xffff) + (folded >>> 16);
  return ~folded & 0xffff;
}

/** Kernel csum_from32to16: folds without complementing (what bpf_csum_diff returns). */
export function csumFrom32To16(sum: number): number {
  const rotated = ((sum >>> 16) | (sum << 16)) >>> 0;
  return ((sum + rotated) >>> 0) >>> 16;
}

/** Kernel csum_partial on a little-endian machine: the sum of the data's 32-bit words plus `seed`. */
export function csumPartial(bytes: Uint8Array, seed: number): number {
  let sum = seed >>> 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let i = 0;
  for (; i + 4 <= bytes.length; i += 4) sum = csumAdd(sum, view.getUint32(i, true));
  if (i + 2 <= bytes.length) {
    sum = csumAdd(sum, view.getUint16(i, true));
    i += 2;
  }
  if (i < bytes.length) sum = csumAdd(sum, bytes[i]);
  return sum;
}

/** Kernel csum16_add: 16-bit add with end-around carry. */
function csum16Add(sum: number, addend: number): number {
  const result = (sum + addend) & 0xffff;
  return (result + (result < addend ? 1 : 0)) & 0xffff;
}

/** Kernel csum_replace2: RFC 1624 update of a stored checksum for one changed 16-bit word. */
export function csumReplace2(check: number, from: number, to: number): number {
  return ~csum16Add(csum16Add(~check & 0xffff, ~from & 0xffff), to & 0xffff) & 0xffff;
}

/** Kernel csum_replace4 (and inet_proto_csum_replace4 without CHECKSUM_PARTIAL): a changed 32-bit word. */
export function csumReplace4(check: number, from: number, to: number): number {
  return csumFold(csumAdd(csumSub(~check >>> 0, from >>> 0), to >>> 0));
}

/** Kernel csum_replace_by_diff: apply a precomputed checksum difference (e.g. from bpf_csum_diff). */
export function csumReplaceByDiff(check: number, diff: number): number {
  return csumFold(csumAdd(diff >>> 0, ~check >>> 0));
}
