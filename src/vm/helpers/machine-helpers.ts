// Helpers that report the simulated machine and task: clocks, random numbers, CPU, NUMA node, pid/uid, comm.

import type { HelperCall, HelperSite, MachineSettings } from '../runtime.js';
import { withFastForm } from './fast-helper.js';
import { pointerArg, u32 } from './helper-call.js';

/** Kernel: TASK_COMM_LEN, the size of task->comm with its NUL. */
export const TASK_COMM_LEN = 16;

/** Settings a Vm may add beyond MachineSettings; helpers fall back when a VmServices lacks them. */
export interface ExtraMachineSettings {
  /** bpf_jiffies64; default: ktime / (1e9 / JIFFIES_HZ). */
  jiffies64?: () => bigint;
}

/** The tick rate assumed when jiffies are derived from ktime (CONFIG_HZ of a common distribution kernel). */
export const JIFFIES_HZ = 250n;

export function ktimeGetNs(call: HelperCall): bigint {
  return BigInt.asUintN(64, call.vm.settings.ktimeNs());
}

/** Boot time counts suspend too; a simulated machine never sleeps, so it equals the monotonic clock. */
export function ktimeGetBootNs(call: HelperCall): bigint {
  return BigInt.asUintN(64, call.vm.settings.ktimeNs());
}

export const getPrandomU32 = withFastForm({
  args: [],
  result: 'u32',
  run: (site: HelperSite): number => site.vm.settings.prandomU32() >>> 0,
});

export const getSmpProcessorId = withFastForm({
  args: [],
  result: 'u32',
  run: (site: HelperSite): number => site.run.cpu,
});

export const getNumaNodeId = withFastForm({
  args: [],
  result: 'u32',
  run: (site: HelperSite): number => site.vm.settings.numaNode,
});

export function jiffies64(call: HelperCall): bigint {
  const settings = call.vm.settings as MachineSettings & ExtraMachineSettings;
  if (settings.jiffies64 !== undefined) return BigInt.asUintN(64, settings.jiffies64());
  return BigInt.asUintN(64, settings.ktimeNs()) / (1_000_000_000n / JIFFIES_HZ);
}

export function getCurrentPidTgid(call: HelperCall): bigint {
  return BigInt.asUintN(64, call.vm.settings.pidTgid);
}

export function getCurrentUidGid(call: HelperCall): bigint {
  return BigInt.asUintN(64, call.vm.settings.uidGid);
}

/** Kernel: strscpy_pad(buf, current->comm, size): at most size-1 bytes, NUL, zero padding; returns 0. */
export function getCurrentComm(call: HelperCall): bigint {
  const size = u32(call.args[1]);
  if (size === 0) return 0n;
  const buffer = pointerArg(call, 'get_current_comm', 0, size);
  const comm = new TextEncoder().encode(call.vm.settings.comm).subarray(0, TASK_COMM_LEN - 1);
  const bytes = new Uint8Array(size);
  const nul = comm.indexOf(0);
  bytes.set(comm.subarray(0, Math.min(nul < 0 ? comm.length : nul, size - 1)));
  call.vm.memory.write(buffer, bytes);
  return 0n;
}
