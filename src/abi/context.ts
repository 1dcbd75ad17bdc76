// What BPF_PROG_TEST_RUN takes as ctx_in for the program types tsbpf test-runs (struct, size, settable fields).
import {
  BPF_FLOW_KEYS_FIELDS,
  BPF_SK_LOOKUP_FIELDS,
  type ContextField,
  SK_BUFF_FIELDS,
  XDP_MD_FIELDS,
} from './context-structs.js';
import type { ProgramTypeName } from './program-types.js';

/** A test-runnable program type's context as BPF_PROG_TEST_RUN sees it. */
export interface ContextLayout {
  readonly structName: '__sk_buff' | 'xdp_md' | 'bpf_flow_keys' | 'bpf_sk_lookup';
  readonly size: number;
  readonly fields: readonly ContextField[];
  /** Largest ctx_size_in test-run copies; bytes past it must be zero (else E2BIG). */
  readonly testRunCtxSize: number;
  /** Fields that may be non-zero in test-run's ctx_in (others give EINVAL). */
  readonly testRunCtxFields: readonly string[];
}

/** Kernel test_run: convert___skb_to_skb keeps these and wants every other byte zero. */
const SKB_TEST_RUN_FIELDS = [
  'mark',
  'priority',
  'ingress_ifindex',
  'ifindex',
  'cb',
  'tstamp',
  'wire_len',
  'gso_segs',
  'gso_size',
  'hwtstamp',
];

const SK_BUFF_SIZE = 192;
const XDP_MD_SIZE = 24;

const skbLayout: ContextLayout = {
  structName: '__sk_buff',
  size: SK_BUFF_SIZE,
  fields: SK_BUFF_FIELDS,
  testRunCtxSize: SK_BUFF_SIZE,
  testRunCtxFields: SKB_TEST_RUN_FIELDS,
};

export const CONTEXT_LAYOUTS: Partial<Record<ProgramTypeName, ContextLayout>> = {
  socket_filter: skbLayout,
  sched_cls: skbLayout,
  sched_act: skbLayout,
  cgroup_skb: skbLayout,
  lwt_in: skbLayout,
  lwt_out: skbLayout,
  lwt_xmit: skbLayout,
  // Kernel verify_user_bpf_flow_keys: only flags; ctx_out gives them back as given (the keys are data_out).
  flow_dissector: {
    structName: 'bpf_flow_keys',
    size: 56,
    fields: BPF_FLOW_KEYS_FIELDS,
    testRunCtxSize: 56,
    testRunCtxFields: ['flags'],
  },
  // Kernel bpf_prog_test_run_sk_lookup: sk and ingress_ifindex must be 0; ctx_out is the same struct.
  sk_lookup: {
    structName: 'bpf_sk_lookup',
    size: 72,
    fields: BPF_SK_LOOKUP_FIELDS,
    testRunCtxSize: 72,
    testRunCtxFields: [
      'family',
      'protocol',
      'remote_ip4',
      'remote_ip6',
      'remote_port',
      'local_ip4',
      'local_ip6',
      'local_port',
    ],
  },
  xdp: {
    structName: 'xdp_md',
    size: XDP_MD_SIZE,
    fields: XDP_MD_FIELDS,
    testRunCtxSize: XDP_MD_SIZE,
    // data_meta must be 0; data (metadata length, a multiple of 4) <= data_end <= data_size_in; ifindexes need a device.
    testRunCtxFields: ['data', 'data_end', 'ingress_ifindex', 'rx_queue_index'],
  },
};
