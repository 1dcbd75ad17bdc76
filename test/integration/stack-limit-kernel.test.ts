// The 512-byte combined stack limit through callbacks, against the kernel: a callback's frames count towards
// the chain of the function that passes it (kernel check_max_stack_depth follows function pointers as calls),
// so a program 16 bytes under the limit loads and one 16 bytes over is refused with the kernel's error line.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { ProgLoadError } from '../../src/api/bpf-error.js';
import { compileBpf } from '../clang.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { errorLine } from '../verifier/cases.js';

const oracle = requireOracle();
const dir = mkdtempSync(join(tmpdir(), 'tsbpf-stack-limit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The program's frame holds MAIN u64s plus its loop state, the callback none, and the callback's callee LEAF
 * u64s: with the JIT's 16-byte rounding, main 256 (280 once bpf_loop is inlined) + 0 + LEAF * 8.
 */
function source(callbackHelper: 'loop' | 'for_each'): string {
  return `
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct bpf_map;
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 4);
  __type(key, __u32);
  __type(value, __u32);
} lens SEC(".maps");
struct walk { struct __sk_buff *skb; __u32 acc; };
static __noinline __u32 leaf(__u32 seed) {
  volatile __u64 buf[LEAF];
  for (int i = 0; i < LEAF; i++) buf[i] = seed + i;
  return (__u32)buf[LEAF - 1];
}
static int loop_cb(__u32 index, void *data) {
  struct walk *w = data;
  w->acc = leaf(w->acc + index);
  return 0;
}
static long elem_cb(struct bpf_map *map, __u32 *key, __u32 *value, struct walk *w) {
  w->acc = leaf(w->acc + *value);
  return 0;
}
SEC("socket") int prog(struct __sk_buff *skb) {
  struct walk w = { .skb = skb, .acc = skb->len };
  volatile __u64 window[MAIN];
  for (int i = 0; i < MAIN; i++) window[i] = skb->len + i;
  ${callbackHelper === 'loop' ? 'bpf_loop(4, loop_cb, &w, 0);' : 'bpf_for_each_map_elem(&lens, elem_cb, &w, 0);'}
  return w.acc ^ (__u32)window[MAIN - 1];
}
char LICENSE[] SEC("license") = "GPL";
`;
}

const variants = [
  { helper: 'loop', leaf: 32, verdict: 'accepted' },
  { helper: 'loop', leaf: 34, verdict: 'rejected' },
  { helper: 'for_each', leaf: 32, verdict: 'accepted' },
  { helper: 'for_each', leaf: 34, verdict: 'rejected' },
] as const;

oracle.describe('combined stack through a callback equals the kernel', () => {
  for (const variant of variants) {
    oracle.it(`${variant.helper} callback with a ${variant.leaf * 8}-byte callee: ${variant.verdict}`, () => {
      const name = `${variant.helper}_${variant.leaf}`;
      const path = compileBpf(dir, name, source(variant.helper), {
        flags: ['-DMAIN=30', `-DLEAF=${variant.leaf}`],
      });
      const kernel = oracle.runObject(path, { logLevel: 1 }).programs[0];
      expect(kernel.verdict).toBe(variant.verdict);

      const bpf = new Bpf();
      const handle = bpf.openObject(new Uint8Array(readFileSync(path)), `${name}.o`);
      if (variant.verdict === 'accepted') {
        const loaded = handle.load({ logLevel: 5 });
        const stackLine = /^stack depth ([\d+]+)$/m.exec(kernel.log)?.[1];
        const ours = loaded.program('prog').handle.verification;
        expect(ours?.accepted).toBe(true);
        if (stackLine !== undefined) expect(ours?.stackDepth).toEqual(stackLine.split('+').map(Number));
        return;
      }
      let refused: unknown;
      try {
        handle.load({ logLevel: 1 });
      } catch (error) {
        refused = error;
      }
      let cause = refused;
      while (cause instanceof Error && !(cause instanceof ProgLoadError)) cause = cause.cause;
      expect(cause, `tsbpf loaded ${name}.o`).toBeInstanceOf(ProgLoadError);
      const ours = cause as ProgLoadError;
      expect(errorLine(ours.log).error).toBe(errorLine(kernel.log).error);
      expect(errorLine(kernel.log).error).toBe('combined stack size of 3 calls is 528. Too large');
      expect(ours.errno).toBe(kernel.errno);
    });
  }
});
