// flow_dissector's bpf_skb_load_bytes and sk_lookup's bpf_sk_assign as a test run sees them.
import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../abi/errno.js';
import { helperByName } from '../../abi/helpers.js';
import { SkLookupContext } from '../context/sk-lookup.js';
import { buildExecutable } from '../executable.js';
import type { HelperCall, RunState } from '../runtime.js';
import { Vm } from '../vm.js';
import { KERNEL_HELPERS } from './index.js';
import { signed } from './test-support.js';

const EXIT = { code: 0x95, dst: 0, src: 0, off: 0, imm: 0 };

function caller(type: string, packet?: unknown) {
  const vm = new Vm();
  const run: RunState = {
    program: buildExecutable([EXIT], { type }),
    ctx: 0,
    cpu: 0,
    callFunction: () => 0n,
    ...(packet === undefined ? {} : { packet }),
  };
  const call = (name: string, ...args: bigint[]) => {
    const implementation = KERNEL_HELPERS.get(helperByName(name)!.id)!;
    const regs = [0, 1, 2, 3, 4].map((i) => args[i] ?? 0n) as unknown as HelperCall['args'];
    return signed(implementation({ args: regs, vm, run, insn: 0 }));
  };
  return { vm, call };
}

describe('program-type helpers', () => {
  it('flow_dissector: bpf_skb_load_bytes has no skb behind it, clears the buffer and fails with -EFAULT', () => {
    const { vm, call } = caller('flow_dissector');
    const buffer = vm.memory.allocate(8);
    vm.memory.write(buffer, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8));
    expect(call('skb_load_bytes', 0n, 0n, BigInt(buffer), 6n)).toBe(-ERRNO.EFAULT);
    expect([...vm.memory.read(buffer, 8)]).toEqual([0, 0, 0, 0, 0, 0, 7, 8]);
  });

  it('sk_lookup: bpf_sk_assign selects no socket and refuses unknown flags; tc has its own, others none', () => {
    const vm = new Vm();
    const context = new SkLookupContext(vm.memory, {
      family: 2,
      protocol: 6,
      remoteIp4: new Uint8Array(4),
      remoteIp6: new Uint8Array(16),
      remotePort: new Uint8Array(2),
      localIp4: new Uint8Array(4),
      localIp6: new Uint8Array(16),
      localPort: 80,
    });
    const { call } = caller('sk_lookup', context);
    expect(call('sk_assign', 0n, 0n, 0n)).toBe(0);
    expect(call('sk_assign', 0n, 0n, 2n)).toBe(0);
    expect(context.noReuseport).toBe(true);
    expect(call('sk_assign', 0n, 0n, 4n)).toBe(-ERRNO.EINVAL);
    // tc programs get tc's bpf_sk_assign (socket-lookup.ts): its flags check comes first.
    expect(caller('sched_cls').call('sk_assign', 0n, 0n, 4n)).toBe(-ERRNO.EINVAL);
    expect(() => caller('xdp').call('sk_assign', 0n, 0n, 0n)).toThrow(/not implemented by tsbpf for xdp/);
    context.release();
  });
});
