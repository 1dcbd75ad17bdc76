// Which functions may move the packet (the kernel's subprog_info[].changes_pkt_data, set in check_cfg): those
// calling a packet-changing helper or kfunc, or a function that does. A call to such a global function drops the
// caller's packet pointers, since the walk does not go into it.

import { helperById } from '../abi/helpers.js';
import { kfuncByBtfId } from '../abi/kfuncs.js';
import type { Insn } from '../isa/insn.js';
import { BPF_CALL_INSN, BPF_PSEUDO_CALL, BPF_PSEUDO_KFUNC_CALL } from '../isa/opcodes.js';

/** Function indexes (as `functionOf` numbers them) that may change packet data, callees' effects merged in. */
export function packetChangingFunctions(insns: readonly Insn[], functionOf: Int32Array): ReadonlySet<number> {
  const changing = new Set<number>();
  const callers: [number, number][] = [];
  for (const [index, insn] of insns.entries()) {
    if (insn.code !== BPF_CALL_INSN) continue;
    const fn = functionOf[index];
    if (insn.src === 0 && helperById(insn.imm)?.changesPktData === true) changing.add(fn);
    else if (
      insn.src === BPF_PSEUDO_KFUNC_CALL &&
      insn.off === 0 &&
      kfuncByBtfId(insn.imm)?.changesPktData === true
    ) {
      changing.add(fn);
    } else if (insn.src === BPF_PSEUDO_CALL) {
      const callee = functionOf[index + insn.imm + 1];
      if (callee !== undefined) callers.push([fn, callee]);
    }
  }
  // Kernel merge_callee_effects: a caller changes packet data when a function it calls does.
  for (let grew = true; grew; ) {
    grew = false;
    for (const [caller, callee] of callers) {
      if (changing.has(callee) && !changing.has(caller)) {
        changing.add(caller);
        grew = true;
      }
    }
  }
  return changing;
}
