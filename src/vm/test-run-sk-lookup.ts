// BPF_PROG_TEST_RUN of sk_lookup programs (kernel: bpf_prog_test_run_sk_lookup): the lookup comes from ctx_in
// (struct bpf_sk_lookup), no packet; ctx_out is the same struct with the selected socket's cookie.

import { BPF_SK_LOOKUP_FIELDS } from '../abi/context-structs.js';
import { BPF_SK_LOOKUP_SIZE, SkLookupContext } from './context/sk-lookup.js';
import { declaredSocketAt } from './helpers/socket-lookup.js';
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

const FIELD = new Map(BPF_SK_LOOKUP_FIELDS.map((field) => [field.name, field]));
const range = (bytes: Uint8Array, name: string): Uint8Array => {
  const field = FIELD.get(name)!;
  return bytes.slice(field.offset, field.offset + field.size);
};
const AF_INET = 2;
const AF_INET6 = 10;

export function skLookupTestRun(
  engine: Engine,
  program: ExecutableProgram,
  vm: VmServices & { currentCpu?: number },
  helpers: HelperTable,
  options: TestRunOptions,
): TestRunResult {
  if (options.flags || options.cpu)
    return refused('EINVAL', 'sk_lookup programs take no test-run flags and no cpu');
  if (options.data !== undefined || (options.dataSizeOut ?? 0) !== 0)
    return refused('EINVAL', 'sk_lookup programs take no packet: the lookup comes from ctx_in');
  const ctxIn = contextIn(options, BPF_SK_LOOKUP_SIZE);
  if (ctxIn === 'E2BIG') {
    return refused(
      'E2BIG',
      `ctx of ${options.ctx?.length} bytes: struct bpf_sk_lookup is ${BPF_SK_LOOKUP_SIZE}; past it only zeros, ${PAGE_SIZE} bytes at most`,
    );
  }
  if (ctxIn === undefined)
    return refused('EINVAL', 'sk_lookup test runs need a struct bpf_sk_lookup in ctx_in');
  if (range(ctxIn, 'sk').some((byte) => byte !== 0))
    return refused('EINVAL', 'ctx_in may not name a socket (sk)');
  const localPortEnd = FIELD.get('local_port')!.offset + 4;
  if (ctxIn.subarray(localPortEnd).some((byte) => byte !== 0))
    return refused('EINVAL', 'ctx_in fields past local_port (ingress_ifindex) must be zero');
  const localPort = u32At(ctxIn, FIELD.get('local_port')!.offset);
  if (localPort > 0xffff) return refused('ERANGE', `local_port ${localPort} is above 65535`);
  const family = u32At(ctxIn, FIELD.get('family')!.offset) & 0xffff;
  if (family !== AF_INET && family !== AF_INET6)
    return refused('EAFNOSUPPORT', `family ${family} is neither AF_INET nor AF_INET6`);
  const context = new SkLookupContext(vm.memory, {
    family,
    protocol: u32At(ctxIn, FIELD.get('protocol')!.offset),
    remoteIp4: range(ctxIn, 'remote_ip4'),
    remoteIp6: range(ctxIn, 'remote_ip6'),
    remotePort: range(ctxIn, 'remote_port'),
    localIp4: range(ctxIn, 'local_ip4'),
    localIp6: range(ctxIn, 'local_ip6'),
    localPort,
  });
  try {
    const outcome = runRepeated(
      engine,
      program,
      { ctx: context.address, cpu: vm.currentCpu ?? 0, packet: context },
      vm,
      helpers,
      options,
      { before: () => context.reset(), after: () => {} },
    );
    if (outcome instanceof RuntimeFault)
      return refused('EFAULT', `runtime fault: ${outcome.message}`, outcome);
    // Kernel BPF_PROG_SK_LOOKUP_RUN_ARRAY with one program: SK_DROP when it returned SK_DROP, else SK_PASS.
    const retval = outcome.retval === 0 ? 0 : 1;
    // Kernel: a selection counts only when the program passed; ctx_out's cookie (the slot of sk) reports it.
    const ctxOut = Uint8Array.from(ctxIn);
    const selected = retval === 1 ? declaredSocketAt(vm, context.selected) : undefined;
    // Kernel: a reuseport socket picked without BPF_SK_LOOKUP_F_NO_REUSEPORT would need its group's program.
    if (selected?.reuseport && !context.noReuseport)
      return refused(
        'EOPNOTSUPP',
        'the selected socket is in a reuseport group: select it with BPF_SK_LOOKUP_F_NO_REUSEPORT',
      );
    if (selected !== undefined)
      new DataView(ctxOut.buffer).setBigUint64(FIELD.get('sk')!.offset, selected.cookie, true);
    return finish({ ...outcome, retval, dataOut: new Uint8Array(0), ctxOut }, options);
  } finally {
    context.release();
  }
}
