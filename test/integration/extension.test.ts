// tsbpf as an extension language: a user-declared program type with its own context and helper, a program
// written in assembly using both plus a kernel map, run end to end through the Bpf API.

import { describe, expect, it } from 'vitest';
import { arg, ret } from '../../src/abi/helpers.js';
import { userHelper } from '../../src/vm/context/user-program-type.js';
import { Bpf } from '../../src/api/bpf.js';
import { assembleInsns } from '../../src/isa/assembler.js';

function rateLimiter(bpf: Bpf) {
  return bpf.registerProgramType({
    name: 'rate_limiter',
    context: {
      size: 16,
      fields: [
        { name: 'tokens', offset: 0, size: 8, write: true },
        { name: 'cost', offset: 8, size: 4 },
        { name: 'client', offset: 12, size: 4 },
      ],
    },
    helpers: [
      userHelper({
        name: 'refill',
        args: ['ARG_ANYTHING'],
        // The host decides how many tokens a client gets back.
        implementation: ({ args }) => (args[0] === 7n ? 100n : 1n),
      }),
    ],
  });
}

describe('user-defined program types', () => {
  it('run programs with the declared context, user helpers and kernel maps', () => {
    const bpf = new Bpf();
    const type = rateLimiter(bpf);
    const refill = type.helperId('refill');
    const seen = bpf.mapCreate({ type: 'hash', keySize: 4, valueSize: 8, maxEntries: 16 });
    // if tokens < cost: tokens += refill(client); then spend cost if possible; count requests per client.
    const insns = assembleInsns(`
      r6 = r1
      r1 = *(u32 *)(r6 + 12)
      *(u32 *)(r10 - 4) = r1
      r7 = *(u64 *)(r6 + 0)
      r8 = *(u32 *)(r6 + 8)
      if r7 >= r8 goto spend
      call ${refill}
      r7 += r0
    spend:
      r0 = 0
      if r7 < r8 goto out
      r7 -= r8
      r0 = 1
    out:
      *(u64 *)(r6 + 0) = r7
      r9 = r0
      r1 = ${seen} ll
      r2 = r10
      r2 += -4
      call 1
      if r0 == 0 goto first
      r1 = *(u64 *)(r0 + 0)
      r1 += 1
      *(u64 *)(r0 + 0) = r1
      goto done
    first:
      r1 = 1
      *(u64 *)(r10 - 16) = r1
      r1 = ${seen} ll
      r2 = r10
      r2 += -4
      r3 = r10
      r3 += -16
      r4 = 0
      call 2
    done:
      r0 = r9
      exit
    `).map((slot) => (slot.code === 0x18 ? { ...slot, src: 1 } : slot));
    const program = bpf.progLoad({ type: 'rate_limiter', insns, license: 'GPL' });

    const allowed = bpf.runProgram(program.fd, { context: { tokens: 0n, cost: 10, client: 7 } });
    expect(allowed.error).toBeUndefined();
    expect(allowed.retval).toBe(1);
    expect(allowed.r0).toBe(1n);
    expect(allowed.context.tokens).toBe(90n);

    const denied = bpf.runProgram(program.fd, { context: { tokens: 5n, cost: 10, client: 3 } });
    expect(denied.retval).toBe(0);
    expect(denied.context.tokens).toBe(6n);

    bpf.runProgram(program.fd, { context: { tokens: 50n, cost: 10, client: 7 } });
    const counts = bpf
      .mapDump(seen)
      .map(({ key, value }) => [
        new DataView(key.buffer, key.byteOffset).getUint32(0, true),
        new DataView(value.buffer, value.byteOffset).getBigUint64(0, true),
      ]);
    expect(counts.sort()).toEqual([
      [3, 1n],
      [7, 2n],
    ]);
  });

  it('userHelper builds the prototype arg() and ret() build from the kernel names', () => {
    const implementation = () => 0n;
    const built = userHelper({
      name: 'copy',
      ret: ['RET_PTR_TO_MEM', 'PTR_MAYBE_NULL'],
      args: ['ARG_ANYTHING', ['ARG_PTR_TO_MEM', 'MEM_RDONLY', { size: 8 }]],
      implementation,
    });
    expect(built).toEqual({
      name: 'copy',
      proto: {
        ret: ret('RET_PTR_TO_MEM', 'PTR_MAYBE_NULL'),
        args: [arg('ARG_ANYTHING'), arg('ARG_PTR_TO_MEM', 'MEM_RDONLY', { size: 8 })],
      },
      implementation,
    });
    expect(built.proto.args[1]).toMatchObject({ flags: ['MEM_RDONLY'], size: 8 });
    expect(userHelper({ name: 'n', implementation }).proto).toEqual({ ret: ret('RET_INTEGER'), args: [] });
  });

  it('faults, not crashes, when a program writes outside every region of the VM', () => {
    const bpf = new Bpf();
    rateLimiter(bpf);
    // A store 1 GiB past the 16-byte context: checked mode allows live VM allocations only.
    const insns = assembleInsns('r2 = 5\nr3 = 0x40000000\nr1 += r3\n*(u64 *)(r1 + 0) = r2\nr0 = 0\nexit');
    const program = bpf.progLoad({ type: 'rate_limiter', insns, license: 'GPL' });
    const result = bpf.runProgram(program.fd, { context: { tokens: 1n } });
    expect(result.error?.name).toBe('RuntimeFault');
    expect(result.error?.insn).toBe(3);
  });

  it('keeps a program prepared between runProgram calls, runs a host re-entry apart and frees both on close', () => {
    const bpf = new Bpf();
    let inner: (() => bigint) | undefined;
    bpf.registerProgramType({
      name: 'nested',
      context: { size: 8, fields: [{ name: 'depth', offset: 0, size: 8, write: true }] },
      // The host runs the same program again from inside a helper, with another context.
      helpers: [userHelper({ name: 'again', implementation: () => inner?.() ?? 0n })],
    });
    const insns = assembleInsns(
      'r6 = r1\nr7 = *(u64 *)(r6 + 0)\ncall 10000\nr0 += r7\n*(u64 *)(r6 + 0) = r0\nexit',
    );
    const program = bpf.progLoad({ type: 'nested', insns, license: 'GPL' });
    const before = bpf.memory.stats().allocatedBlocks;
    expect(bpf.runProgram(program.fd, { context: { depth: 1n } }).retval).toBe(1);
    const prepared = bpf.memory.stats().allocatedBlocks;
    for (let i = 0; i < 50; i++) bpf.runProgram(program.fd, { context: { depth: BigInt(i) } });
    expect(bpf.memory.stats().allocatedBlocks).toBe(prepared);

    inner = () => {
      inner = undefined;
      return bpf.runProgram(program.fd, { context: { depth: 100n } }).r0;
    };
    const outer = bpf.runProgram(program.fd, { context: { depth: 5n } });
    // The inner run saw its own context (100 + 0), the outer one kept its own (5 + 100).
    expect(outer.r0).toBe(105n);
    expect(outer.context.depth).toBe(105n);
    expect(bpf.memory.stats().allocatedBlocks).toBe(prepared);
    bpf.close(program.fd);
    expect(bpf.memory.stats().allocatedBlocks).toBe(before);
  });
});
