// The range R0 must hold at a program's exit, per program type and expected_attach_type (Linux 6.18 check_return_code).
import type { AttachTypeName, ProgramTypeName } from './program-types.js';

export interface ReturnRange {
  readonly min: number;
  readonly max: number;
}

interface ReturnRule {
  readonly range: ReturnRange;
  /** Only for these expected_attach_types; the first matching rule wins. */
  readonly attachTypes?: readonly AttachTypeName[];
}

const ZERO_OR_ONE: ReturnRange = { min: 0, max: 1 };

/**
 * Program types whose exit value the verifier bounds; types not listed (socket_filter, tc, xdp, lwt,
 * sk_skb, sk_msg, flow_dissector, sk_reuseport, syscall, kprobe, tracepoints, perf_event) take any scalar.
 */
const RETURN_RULES: Partial<Record<ProgramTypeName, readonly ReturnRule[]>> = {
  // egress programs may set bit 1 to ask for congestion notification
  cgroup_skb: [{ range: { min: 0, max: 3 }, attachTypes: ['cgroup_inet_egress'] }, { range: ZERO_OR_ONE }],
  cgroup_sock: [{ range: ZERO_OR_ONE }],
  cgroup_sock_addr: [
    // bind programs may set bit 1 to skip the privileged-port check
    { range: { min: 0, max: 3 }, attachTypes: ['cgroup_inet4_bind', 'cgroup_inet6_bind'] },
    {
      range: { min: 1, max: 1 },
      attachTypes: [
        'cgroup_udp4_recvmsg',
        'cgroup_udp6_recvmsg',
        'cgroup_unix_recvmsg',
        'cgroup_inet4_getpeername',
        'cgroup_inet6_getpeername',
        'cgroup_unix_getpeername',
        'cgroup_inet4_getsockname',
        'cgroup_inet6_getsockname',
        'cgroup_unix_getsockname',
      ],
    },
    { range: ZERO_OR_ONE },
  ],
  sock_ops: [{ range: ZERO_OR_ONE }],
  cgroup_device: [{ range: ZERO_OR_ONE }],
  cgroup_sysctl: [{ range: ZERO_OR_ONE }],
  cgroup_sockopt: [{ range: ZERO_OR_ONE }],
  sk_lookup: [{ range: ZERO_OR_ONE }],
  kprobe: [{ range: ZERO_OR_ONE, attachTypes: ['trace_kprobe_session'] }],
};

/** The range R0 must be in at exit, or undefined when the kernel does not bound it. */
export function returnRange(
  programType: ProgramTypeName,
  expectedAttachType?: AttachTypeName,
): ReturnRange | undefined {
  const rules = RETURN_RULES[programType] ?? [];
  const rule = rules.find(
    (candidate) =>
      candidate.attachTypes === undefined ||
      (expectedAttachType !== undefined && candidate.attachTypes.includes(expectedAttachType)),
  );
  return rule?.range;
}

/** Kernel message when R0 is a scalar outside the range; `state` is how the log prints R0 (`smin=2 smax=2`). */
export function returnOutOfRangeMessage(state: string, range: ReturnRange): string {
  return `At program exit the register R0 has ${state} should have been in [${range.min}, ${range.max}]`;
}

/** Kernel message when R0 is not a scalar at the exit of a bounded program; `typeName` as the log prints it (`ctx`). */
export function returnNotScalarMessage(typeName: string): string {
  return `At program exit the register R0 is not a known value (${typeName})`;
}
