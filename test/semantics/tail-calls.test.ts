// Tail-call semantics the kernel defines only by behaviour: how many tail calls one run may chain
// (MAX_TAIL_CALL_CNT), that calls into empty slots or past max_entries fall through without counting, and
// that a tail call from a subprogram returns the target's r0 to the subprogram's caller. Each program runs in
// tsbpf's interpreter, in its JIT and in the kernel (through the oracle); retval and data_out must be equal.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { compileBpf } from '../clang.js';
import { bytesToHex } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';

const oracle = requireOracle();

const PREAMBLE = `
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
char LICENSE[] SEC("license") = "GPL";
int target(struct xdp_md *ctx);
int entry(struct xdp_md *ctx);
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, 4);
	__uint(value_size, 4);
	__array(values, int(void *));
} jmp SEC(".maps") = { .values = { [0] = (void *)&entry, [1] = (void *)&target } };
__u32 runs;
SEC("xdp") int target(struct xdp_md *ctx) { return 1000 + runs; }
/* Slot indexes read from the packet, so the verifier cannot turn them into direct (patched) tail calls. */
static __always_inline int packet_byte(struct xdp_md *ctx, int at)
{
	unsigned char *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	if (data + 64 > end) return -1;
	return data[at];
}
`;

/** Packet bytes 20..23: an empty slot (2), the full slot (1), out of range (9), the entry itself (0). */
const PACKET = new Uint8Array(64);
PACKET.set([0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x88, 0xb5], 0);
PACKET.set([2, 1, 9, 0], 20);

const PROGRAMS: Record<string, string> = {
  // Every run re-enters itself through slot 0 until the kernel stops the chain: retval = runs of the entry.
  self_chain: `SEC("xdp") int entry(struct xdp_md *ctx)
{
	runs++;
	bpf_tail_call(ctx, &jmp, packet_byte(ctx, 23));
	return runs;
}`,
  // Forty calls into an empty slot and past max_entries do not use up the chain's budget.
  empty_slots_do_not_count: `SEC("xdp") int entry(struct xdp_md *ctx)
{
	for (int i = 0; i < 40; i++) {
		bpf_tail_call(ctx, &jmp, packet_byte(ctx, 20));
		bpf_tail_call(ctx, &jmp, packet_byte(ctx, 22));
	}
	bpf_tail_call(ctx, &jmp, packet_byte(ctx, 21));
	return 1;
}`,
  // A tail call from a subprogram: the target's r0 is what the subprogram returns to its caller.
  from_subprogram: `static __noinline int jump_to(struct xdp_md *ctx, int slot)
{
	runs += 10;
	bpf_tail_call(ctx, &jmp, slot);
	return 5;
}
SEC("xdp") int entry(struct xdp_md *ctx)
{
	int empty = jump_to(ctx, packet_byte(ctx, 20));
	int full = jump_to(ctx, packet_byte(ctx, 21));
	return empty * 100000 + full;
}`,
  // The chain's count is per run: a chain that tail-calls itself from a subprogram also stops after the limit.
  self_chain_from_subprogram: `static __noinline int again(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &jmp, packet_byte(ctx, 23));
	return 0;
}
SEC("xdp") int entry(struct xdp_md *ctx)
{
	runs++;
	return again(ctx) + runs * 1000;
}`,
};

const dir = mkdtempSync(join(tmpdir(), 'tsbpf-tailcalls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tail calls: the interpreter and the JIT equal the kernel', () => {
  for (const [name, body] of Object.entries(PROGRAMS)) {
    oracle.it(name, () => {
      const path = compileBpf(dir, name, `${PREAMBLE}\n${body}\n`);
      const kernel = oracle.runObject(path, { program: 'entry', data: PACKET });
      const theirs = kernel.programs.find((program) => program.name === 'entry');
      expect(theirs?.verdict, theirs?.log.slice(-2000)).toBe('accepted');
      expect(theirs?.loadMode).toBe('object');
      for (const engine of ['interp', 'jit'] as const) {
        const bpf = new Bpf();
        const loaded = bpf.openObject(new Uint8Array(readFileSync(path)), path).load({ engine });
        const ours = bpf.testRun(loaded.program('entry').handle.fd, { data: PACKET });
        expect(ours.error, engine).toBeUndefined();
        expect(ours.retval, engine).toBe(theirs!.testRun!.retval);
        expect(bytesToHex(ours.dataOut), engine).toBe(theirs!.testRun!.dataOut);
      }
    });
  }
});
