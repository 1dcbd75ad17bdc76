// BPF_PROG_TEST_RUN of flow_dissector programs (kernel: bpf_prog_test_run_flow_dissector): the packet in, the
// struct bpf_flow_keys the program filled out as data_out; ctx_in may only set flow_keys->flags.

import { ETH_HLEN } from './context/skb.js';
import { FLOW_KEYS, FLOW_KEYS_SIZE, FlowDissectorContext } from './context/flow-dissector.js';
import {
  type Engine,
  type ExecutableProgram,
  type HelperTable,
  RuntimeFault,
  type VmServices,
} from './runtime.js';
import {
  contextIn,
  finish,
  PAGE_SIZE,
  refused,
  runRepeated,
  type TestRunOptions,
  type TestRunResult,
  u32At,
} from './test-run-support.js';

export function flowDissectorTestRun(
  engine: Engine,
  program: ExecutableProgram,
  vm: VmServices & { currentCpu?: number },
  helpers: HelperTable,
  options: TestRunOptions,
): TestRunResult {
  if (options.flags || options.cpu)
    return refused('EINVAL', 'flow_dissector programs take no test-run flags and no cpu');
  const data = options.data ?? new Uint8Array(0);
  // Kernel bpf_test_init with no head- or tailroom: an Ethernet header up to a page.
  if (data.length < ETH_HLEN || data.length > PAGE_SIZE) {
    return refused(
      'EINVAL',
      `data of ${data.length} bytes: flow_dissector test runs take ${ETH_HLEN}..${PAGE_SIZE}`,
    );
  }
  const ctxIn = contextIn(options, FLOW_KEYS_SIZE);
  if (ctxIn === 'E2BIG') {
    return refused(
      'E2BIG',
      `ctx of ${options.ctx?.length} bytes: struct bpf_flow_keys is ${FLOW_KEYS_SIZE}; past it only zeros, ${PAGE_SIZE} bytes at most`,
    );
  }
  let flags = 0;
  if (ctxIn !== undefined) {
    // Kernel verify_user_bpf_flow_keys: flags is the only field the caller may set.
    const flagsEnd = FLOW_KEYS.flags + 4;
    if (ctxIn.some((byte, i) => byte !== 0 && (i < FLOW_KEYS.flags || i >= flagsEnd)))
      return refused('EINVAL', 'struct bpf_flow_keys in ctx_in may only set flags');
    flags = u32At(ctxIn, FLOW_KEYS.flags);
  }
  const context = new FlowDissectorContext(vm.memory, { frame: data, flags });
  try {
    const outcome = runRepeated(
      engine,
      program,
      { ctx: context.address, cpu: vm.currentCpu ?? 0 },
      vm,
      helpers,
      options,
      { before: () => context.reset(), after: () => context.clamp() },
    );
    if (outcome instanceof RuntimeFault)
      return refused('EFAULT', `runtime fault: ${outcome.message}`, outcome);
    // ctx_out is the caller's flow keys as given: the program's keys go to data_out.
    return finish({ ...outcome, dataOut: context.flowKeys(), ctxOut: ctxIn }, options);
  } finally {
    context.release();
  }
}
