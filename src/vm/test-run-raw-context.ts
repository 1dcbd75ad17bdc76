// BPF_PROG_TEST_RUN of programs whose context is a plain buffer the caller gives: raw_tracepoint (the u64
// arguments, kernel bpf_prog_test_run_raw_tp) and syscall (a struct of the program's own, written back into
// ctx_in, kernel bpf_prog_test_run_syscall). Neither takes a packet, repeat or ctx_out.

import {
  type Engine,
  type ExecutableProgram,
  type HelperTable,
  RuntimeFault,
  type VmServices,
} from './runtime.js';
import { refused, runRepeated, type TestRunOptions, type TestRunResult } from './test-run-support.js';

/** Kernel: MAX_BPF_FUNC_ARGS u64 arguments, the most a raw tracepoint's ctx_in may hold. */
const RAW_TP_MAX_CTX = 12 * 8;
/** Kernel: U16_MAX, the largest syscall ctx. */
const SYSCALL_MAX_CTX = 0xffff;
/** Kernel: BPF_F_TEST_RUN_ON_CPU. */
const BPF_F_TEST_RUN_ON_CPU = 1;

/** Options these runners refuse, named as the kernel's attr fields, or undefined. */
function unsupportedInput(options: TestRunOptions): string | undefined {
  if (options.data !== undefined) return 'data_in';
  if (options.ctxOut === true || options.ctxSizeOut !== undefined) return 'ctx_out';
  if ((options.repeat ?? 0) !== 0) return 'repeat';
  return undefined;
}

/** Copies ctx_in into VmMemory (address 0, NULL, for none), runs once, and reads the buffer back. */
function runOnBuffer(
  engine: Engine,
  program: ExecutableProgram,
  vm: VmServices,
  helpers: HelperTable,
  options: TestRunOptions,
  cpu: number,
): { retval: number; ctx: Uint8Array } | RuntimeFault {
  const bytes = options.ctx ?? new Uint8Array(0);
  const address = bytes.length === 0 ? 0 : vm.memory.allocate(bytes.length, 8);
  try {
    if (address !== 0) vm.memory.write(address, bytes);
    const outcome = runRepeated(engine, program, { ctx: address, cpu }, vm, helpers, {
      ...options,
      repeat: 1,
    });
    if (outcome instanceof RuntimeFault) return outcome;
    return { retval: outcome.retval, ctx: address === 0 ? bytes : vm.memory.read(address, bytes.length) };
  } finally {
    if (address !== 0) vm.memory.free(address);
  }
}

export function rawTracepointTestRun(
  engine: Engine,
  program: ExecutableProgram,
  vm: VmServices & { currentCpu?: number; cpus?: number },
  helpers: HelperTable,
  options: TestRunOptions,
): TestRunResult {
  const unsupported = unsupportedInput(options);
  if (unsupported !== undefined) return refused('EINVAL', `raw_tracepoint test runs take no ${unsupported}`);
  const size = options.ctx?.length ?? 0;
  const needed = program.maxCtxOffset ?? 0;
  if (size < needed || size > RAW_TP_MAX_CTX) {
    return refused(
      'EINVAL',
      `ctx of ${size} bytes: the program reads ${needed}, raw_tracepoint test runs take at most ${RAW_TP_MAX_CTX}`,
    );
  }
  const flags = options.flags ?? 0;
  const cpu = options.cpu ?? 0;
  const onCpu = (flags & BPF_F_TEST_RUN_ON_CPU) !== 0;
  if (!onCpu && cpu !== 0) return refused('EINVAL', 'a cpu needs BPF_F_TEST_RUN_ON_CPU');
  if (onCpu && cpu >= (vm.cpus ?? 1)) return refused('ENXIO', `cpu ${cpu} is not online`);
  const outcome = runOnBuffer(engine, program, vm, helpers, options, onCpu ? cpu : (vm.currentCpu ?? 0));
  if (outcome instanceof RuntimeFault) return refused('EFAULT', `runtime fault: ${outcome.message}`, outcome);
  return { retval: outcome.retval, dataOut: new Uint8Array(0), ctxOut: new Uint8Array(0), durationNs: 0 };
}

export function syscallTestRun(
  engine: Engine,
  program: ExecutableProgram,
  vm: VmServices & { currentCpu?: number },
  helpers: HelperTable,
  options: TestRunOptions,
): TestRunResult {
  const unsupported = unsupportedInput(options) ?? (options.flags ? 'flags' : undefined);
  if (unsupported !== undefined) return refused('EINVAL', `syscall test runs take no ${unsupported}`);
  const size = options.ctx?.length ?? 0;
  const needed = program.maxCtxOffset ?? 0;
  if (size < needed || size > SYSCALL_MAX_CTX) {
    return refused(
      'EINVAL',
      `ctx of ${size} bytes: the program reaches byte ${needed}, syscall test runs take at most ${SYSCALL_MAX_CTX}`,
    );
  }
  // The kernel runs it on the current CPU whatever test.cpu says.
  const outcome = runOnBuffer(engine, program, vm, helpers, options, vm.currentCpu ?? 0);
  if (outcome instanceof RuntimeFault) return refused('EFAULT', `runtime fault: ${outcome.message}`, outcome);
  // The context goes back into ctx_in; tsbpf hands it out as ctxOut.
  return { retval: outcome.retval, dataOut: new Uint8Array(0), ctxOut: outcome.ctx, durationNs: 0 };
}
