// Kernel structs programs reach through BTF pointers (bpf_cast_to_kern_ctx, bpf_rdonly_cast, kfunc returns, map
// pointers), laid out as the reference kernel's vmlinux BTF (Linux 6.18.44) lays them out, member by member.

/**
 * A member's type, reduced to what the kernel's btf_struct_walk distinguishes: a scalar of some size, a pointer
 * (to a struct by BTF id, or 0 for any other pointee), a nested struct or union, an array.
 */
export type KernelType =
  | {
      readonly kind: 'scalar';
      readonly size: number;
      /** From a kernel BTF only (the table does not record them): signedness, and an enum or float rather than an int. */
      readonly signed?: boolean;
      readonly base?: 'int' | 'enum' | 'float';
    }
  | { readonly kind: 'ptr'; readonly to: number; readonly rcu: boolean }
  | { readonly kind: 'struct'; readonly id: number }
  | { readonly kind: 'array'; readonly elem: KernelType; readonly count: number };

export interface KernelMember {
  /** `(anon)` for an anonymous struct or union, as the kernel's log names it. */
  readonly name: string;
  readonly bitOffset: number;
  /** Bits of a bitfield; 0 for a plain member. */
  readonly bitfieldSize: number;
  readonly type: KernelType;
}

export interface KernelStruct {
  /** BTF id in the reference kernel's vmlinux (undefined: a type of module BTF). */
  readonly id: number | undefined;
  readonly name: string;
  readonly size: number;
  readonly union?: boolean;
  /**
   * Members in BTF order. Undefined: tsbpf does not model the struct (its size and name only), so loads through
   * it are refused. `partial`: only the listed members are modelled; the rest of the struct is not.
   */
  readonly members?: readonly KernelMember[];
  readonly partial?: boolean;
  /** Members a program may write (the kernel's btf_struct_access callback for the type); none when absent. */
  readonly writable?: readonly string[];
}

const scalar = (size: number): KernelType => ({ kind: 'scalar', size });
const ptr = (to: number, tag?: 'rcu'): KernelType => ({ kind: 'ptr', to, rcu: tag === 'rcu' });
const struct = (id: number): KernelType => ({ kind: 'struct', id });
const array = (elem: KernelType, count: number): KernelType => ({ kind: 'array', elem, count });
const m = (name: string, bitOffset: number, type: KernelType, bitfieldSize = 0): KernelMember => ({
  name,
  bitOffset,
  bitfieldSize,
  type,
});

/**
 * Written from `bpftool btf dump file /sys/kernel/btf/vmlinux format raw` on the reference kernel: sk_buff,
 * xdp_buff, xdp_rxq_info, xdp_txq_info, bpf_map and the map types' structs in full (with their anonymous structs
 * and unions); of net_device, nf_conn, sock and sock_common the members listed; every other struct a member points
 * to or contains by name and size only.
 */
const STRUCTS: readonly KernelStruct[] = [
  {
    id: 870,
    name: 'sk_buff',
    size: 224,
    members: [
      m('(anon)', 0, struct(2768)),
      m('sk', 192, ptr(2949)),
      m('(anon)', 256, struct(2769)),
      m('cb', 320, array(scalar(1), 48)),
      m('(anon)', 704, struct(2771)),
      m('_nfct', 832, scalar(8)),
      m('len', 896, scalar(4)),
      m('data_len', 928, scalar(4)),
      m('mac_len', 960, scalar(2)),
      m('hdr_len', 976, scalar(2)),
      m('queue_mapping', 992, scalar(2)),
      m('__cloned_offset', 1008, array(scalar(1), 0)),
      m('cloned', 1008, scalar(1), 1),
      m('nohdr', 1009, scalar(1), 1),
      m('fclone', 1010, scalar(1), 2),
      m('peeked', 1012, scalar(1), 1),
      m('head_frag', 1013, scalar(1), 1),
      m('pfmemalloc', 1014, scalar(1), 1),
      m('pp_recycle', 1015, scalar(1), 1),
      m('active_extensions', 1016, scalar(1)),
      m('(anon)', 1024, struct(2780)),
      m('tail', 1472, scalar(4)),
      m('end', 1504, scalar(4)),
      m('head', 1536, ptr(0)),
      m('data', 1600, ptr(0)),
      m('truesize', 1664, scalar(4)),
      m('users', 1696, struct(416)),
      m('extensions', 1728, ptr(2781)),
    ],
  },
  {
    id: 13573,
    name: 'xdp_buff',
    size: 56,
    members: [
      m('data', 0, ptr(0)),
      m('data_end', 64, ptr(0)),
      m('data_meta', 128, ptr(0)),
      m('data_hard_start', 192, ptr(0)),
      m('rxq', 256, ptr(13595)),
      m('txq', 320, ptr(13597)),
      m('(anon)', 384, struct(13599)),
    ],
  },
  {
    id: 13595,
    name: 'xdp_rxq_info',
    size: 64,
    members: [
      m('dev', 0, ptr(3090)),
      m('queue_index', 64, scalar(4)),
      m('reg_state', 96, scalar(4)),
      m('mem', 128, struct(13594)),
      m('frag_size', 192, scalar(4)),
    ],
  },
  {
    id: 13597,
    name: 'xdp_txq_info',
    size: 8,
    members: [m('dev', 0, ptr(3090))],
  },
  {
    id: 2051,
    name: 'bpf_map',
    size: 296,
    members: [
      m('sha', 0, array(scalar(1), 32)),
      m('excl', 256, scalar(4)),
      m('ops', 320, ptr(2046)),
      m('inner_map_meta', 384, ptr(2051)),
      m('security', 448, ptr(0)),
      m('map_type', 512, scalar(4)),
      m('key_size', 544, scalar(4)),
      m('value_size', 576, scalar(4)),
      m('max_entries', 608, scalar(4)),
      m('map_extra', 640, scalar(8)),
      m('map_flags', 704, scalar(4)),
      m('id', 736, scalar(4)),
      m('record', 768, ptr(1968)),
      m('numa_node', 832, scalar(4)),
      m('btf_key_type_id', 864, scalar(4)),
      m('btf_value_type_id', 896, scalar(4)),
      m('btf_vmlinux_value_type_id', 928, scalar(4)),
      m('btf', 960, ptr(14438)),
      m('objcg', 1024, ptr(580)),
      m('name', 1088, array(scalar(1), 16)),
      m('freeze_mutex', 1216, struct(395)),
      m('refcnt', 1472, struct(91)),
      m('usercnt', 1536, struct(91)),
      m('(anon)', 1600, struct(2148)),
      m('writecnt', 1856, struct(91)),
      m('owner_lock', 1920, struct(391)),
      m('owner', 1984, ptr(2144)),
      m('bypass_spec_v1', 2048, scalar(1)),
      m('frozen', 2056, scalar(1)),
      m('init_private', 2064, scalar(1)),
      m('free_after_mult_rcu_gp', 2072, scalar(1)),
      m('free_after_rcu_gp', 2080, scalar(1)),
      m('sleepable_refcnt', 2112, struct(91)),
      m('elem_count', 2176, ptr(0)),
      m('cookie', 2240, scalar(8)),
      m('excl_prog_sha', 2304, ptr(0)),
    ],
  },
  {
    id: 9464,
    name: 'bpf_array',
    size: 312,
    members: [
      m('map', 0, struct(2051)),
      m('elem_size', 2368, scalar(4)),
      m('index_mask', 2400, scalar(4)),
      m('aux', 2432, ptr(9459)),
      m('(anon)', 2496, struct(9463)),
    ],
  },
  {
    id: 14268,
    name: 'bpf_htab',
    size: 832,
    members: [
      m('map', 0, struct(2051)),
      m('ma', 2368, struct(13078)),
      m('pcpu_ma', 3008, struct(13078)),
      m('buckets', 3648, ptr(14266)),
      m('elems', 3712, ptr(0)),
      m('(anon)', 4096, struct(14267)),
      m('extra_elems', 6144, ptr(0)),
      m('count', 6208, struct(89)),
      m('use_percpu_counter', 6240, scalar(1)),
      m('n_buckets', 6272, scalar(4)),
      m('elem_size', 6304, scalar(4)),
      m('hashrnd', 6336, scalar(4)),
    ],
  },
  {
    id: 14335,
    name: 'bpf_ringbuf_map',
    size: 304,
    members: [m('map', 0, struct(2051)), m('rb', 2368, ptr(14333))],
  },
  {
    id: 14308,
    name: 'lpm_trie',
    size: 416,
    members: [
      m('map', 0, struct(2051)),
      m('root', 2368, ptr(14304)),
      m('ma', 2432, struct(13078)),
      m('n_entries', 3072, scalar(8)),
      m('max_prefixlen', 3136, scalar(8)),
      m('data_size', 3200, scalar(8)),
      m('lock', 3264, struct(135)),
    ],
  },
  {
    id: 14328,
    name: 'bpf_queue_stack',
    size: 312,
    members: [
      m('map', 0, struct(2051)),
      m('lock', 2368, struct(135)),
      m('head', 2400, scalar(4)),
      m('tail', 2432, scalar(4)),
      m('size', 2464, scalar(4)),
      m('elements', 2496, array(scalar(1), 0)),
    ],
  },
  {
    id: 14317,
    name: 'bpf_bloom_filter',
    size: 312,
    members: [
      m('map', 0, struct(2051)),
      m('bitset_mask', 2368, scalar(4)),
      m('hash_seed', 2400, scalar(4)),
      m('nr_hash_funcs', 2432, scalar(4)),
      m('bitset', 2496, array(scalar(8), 0)),
    ],
  },
  {
    id: 14822,
    name: 'bpf_dtab',
    size: 344,
    members: [
      m('map', 0, struct(2051)),
      m('netdev_map', 2368, ptr(0)),
      m('list', 2432, struct(95)),
      m('dev_index_head', 2560, ptr(98)),
      m('index_lock', 2624, struct(391)),
      m('items', 2656, scalar(4)),
      m('n_buckets', 2688, scalar(4)),
    ],
  },
  {
    id: 14851,
    name: 'bpf_cpu_map',
    size: 304,
    members: [m('map', 0, struct(2051)), m('cpu_map', 2368, ptr(0))],
  },
  {
    id: 44397,
    name: 'xsk_map',
    size: 304,
    members: [
      m('map', 0, struct(2051)),
      m('lock', 2368, struct(391)),
      m('count', 2400, struct(89)),
      m('xsk_map', 2432, array(ptr(37500), 0)),
    ],
  },
  {
    id: 38564,
    name: 'bpf_stab',
    size: 376,
    members: [
      m('map', 0, struct(2051)),
      m('sks', 2368, ptr(0)),
      m('progs', 2432, struct(14637)),
      m('lock', 2944, struct(391)),
    ],
  },
  {
    id: 38579,
    name: 'bpf_shtab',
    size: 384,
    members: [
      m('map', 0, struct(2051)),
      m('buckets', 2368, ptr(38578)),
      m('buckets_num', 2432, scalar(4)),
      m('elem_size', 2464, scalar(4)),
      m('progs', 2496, struct(14637)),
      m('count', 3008, struct(89)),
    ],
  },
  {
    id: 14913,
    name: 'bpf_stack_map',
    size: 320,
    members: [
      m('map', 0, struct(2051)),
      m('elems', 2368, ptr(0)),
      m('freelist', 2432, struct(14250)),
      m('n_buckets', 2496, scalar(4)),
      m('buckets', 2560, array(ptr(14912), 0)),
    ],
  },
  {
    id: 13079,
    name: 'bpf_local_storage_map',
    size: 480,
    members: [
      m('map', 0, struct(2051)),
      m('buckets', 2368, ptr(13177)),
      m('bucket_log', 2432, scalar(4)),
      m('elem_size', 2464, scalar(2)),
      m('cache_idx', 2480, scalar(2)),
      m('selem_ma', 2496, struct(13078)),
      m('storage_ma', 3136, struct(13078)),
      m('bpf_ma', 3776, scalar(1)),
    ],
  },
  {
    id: 14320,
    name: 'bpf_cgroup_storage_map',
    size: 328,
    members: [
      m('map', 0, struct(2051)),
      m('lock', 2368, struct(391)),
      m('root', 2432, struct(399)),
      m('list', 2496, struct(95)),
    ],
  },
  {
    id: 14995,
    name: 'reuseport_array',
    size: 296,
    members: [m('map', 0, struct(2051)), m('ptrs', 2368, array(ptr(2949), 0))],
  },
  {
    id: 14784,
    name: 'bpf_arena',
    size: 400,
    members: [
      m('map', 0, struct(2051)),
      m('user_vm_start', 2368, scalar(8)),
      m('user_vm_end', 2432, scalar(8)),
      m('kern_vm', 2496, ptr(586)),
      m('rt', 2560, struct(14785)),
      m('vma_list', 2816, struct(95)),
      m('lock', 2944, struct(395)),
    ],
  },
  {
    id: 15004,
    name: 'bpf_struct_ops_map',
    size: 512,
    members: [
      m('map', 0, struct(2051)),
      m('st_ops_desc', 2368, ptr(13818)),
      m('lock', 2432, struct(395)),
      m('links', 2688, ptr(0)),
      m('ksyms', 2752, ptr(0)),
      m('funcs_cnt', 2816, scalar(4)),
      m('image_pages_cnt', 2848, scalar(4)),
      m('image_pages', 2880, array(ptr(0), 8)),
      m('btf', 3392, ptr(14438)),
      m('uvalue', 3456, ptr(15003)),
      m('kvalue', 3584, struct(15003)),
    ],
  },
  {
    id: 3090,
    name: 'net_device',
    size: 2496,
    partial: true,
    members: [
      m('netdev_ops', 64, ptr(3403)),
      m('real_num_tx_queues', 320, scalar(4)),
      m('gso_max_size', 352, scalar(4)),
      m('mtu', 448, scalar(4)),
      m('needed_headroom', 480, scalar(2)),
      m('state', 1344, scalar(8)),
      m('flags', 1408, scalar(4)),
      m('hard_header_len', 1440, scalar(2)),
      m('features', 1472, scalar(8)),
      m('ifindex', 1792, scalar(4)),
      m('real_num_rx_queues', 1824, scalar(4)),
      m('gro_max_size', 1920, scalar(4)),
      m('name', 2240, array(scalar(1), 16)),
      m('needed_tailroom', 3792, scalar(2)),
      m('min_mtu', 4224, scalar(4)),
      m('max_mtu', 4256, scalar(4)),
      m('type', 4288, scalar(2)),
      m('group', 4320, scalar(4)),
      m('operstate', 6144, scalar(4)),
      m('link_mode', 6176, scalar(1)),
      m('perm_addr', 6200, array(scalar(1), 32)),
      m('addr_len', 6464, scalar(1)),
      m('promiscuity', 7488, scalar(4)),
      m('allmulti', 7520, scalar(4)),
      m('dev_addr', 7744, ptr(0)),
      m('num_rx_queues', 7808, scalar(4)),
      m('broadcast', 8000, array(scalar(1), 32)),
      m('num_tx_queues', 8448, scalar(4)),
      m('tx_queue_len', 8576, scalar(4)),
      m('tso_max_size', 16896, scalar(4)),
    ],
  },
  {
    id: 37040,
    name: 'nf_conn',
    size: 248,
    partial: true,
    members: [
      m('timeout', 64, scalar(4)),
      m('zone', 96, struct(37042)),
      m('status', 1024, scalar(8)),
      m('mark', 1344, scalar(4)),
      m('secmark', 1376, scalar(4)),
    ],
  },
  {
    id: 2768,
    name: '(anon)',
    size: 24,
    union: true,
    members: [
      m('(anon)', 0, struct(2767)),
      m('rbnode', 0, struct(397)),
      m('list', 0, struct(95)),
      m('ll_node', 0, struct(350)),
    ],
  },
  {
    id: 2949,
    name: 'sock',
    size: 784,
    partial: true,
    members: [
      m('__sk_common', 0, struct(3773)),
      m('sk_priority', 4160, scalar(4)),
      m('sk_mark', 4192, scalar(4)),
      m('sk_protocol', 4256, scalar(2)),
      m('sk_type', 4272, scalar(2)),
    ],
  },
  {
    id: 3773,
    name: 'sock_common',
    size: 136,
    partial: true,
    members: [
      m('(anon)', 0, struct(3762)),
      m('(anon)', 64, struct(3763)),
      m('(anon)', 96, struct(3766)),
      m('skc_family', 128, scalar(2)),
      m('skc_state', 144, scalar(1)),
      m('skc_reuse', 152, scalar(1), 4),
      m('skc_reuseport', 156, scalar(1), 1),
      m('skc_ipv6only', 157, scalar(1), 1),
      m('skc_net_refcnt', 158, scalar(1), 1),
      m('skc_bound_dev_if', 160, scalar(4)),
      m('skc_v6_daddr', 448, struct(2601)),
      m('skc_v6_rcv_saddr', 576, struct(2601)),
    ],
  },
  {
    id: 3762,
    name: '(anon)',
    size: 8,
    union: true,
    members: [m('skc_addrpair', 0, scalar(8)), m('(anon)', 0, struct(3761))],
  },
  {
    id: 3761,
    name: '(anon)',
    size: 8,
    members: [m('skc_daddr', 0, scalar(4)), m('skc_rcv_saddr', 32, scalar(4))],
  },
  {
    id: 3763,
    name: '(anon)',
    size: 4,
    union: true,
    members: [m('skc_hash', 0, scalar(4)), m('skc_u16hashes', 0, array(scalar(2), 2))],
  },
  {
    id: 3766,
    name: '(anon)',
    size: 4,
    union: true,
    members: [m('skc_portpair', 0, scalar(4)), m('(anon)', 0, struct(3765))],
  },
  {
    id: 3765,
    name: '(anon)',
    size: 4,
    members: [m('skc_dport', 0, scalar(2)), m('skc_num', 16, scalar(2))],
  },
  { id: 2601, name: 'in6_addr', size: 16, members: [m('in6_u', 0, struct(2599))] },
  {
    id: 2599,
    name: '(anon)',
    size: 16,
    union: true,
    members: [
      m('u6_addr8', 0, array(scalar(1), 16)),
      m('u6_addr16', 0, array(scalar(2), 8)),
      m('u6_addr32', 0, array(scalar(4), 4)),
    ],
  },
  {
    id: 2769,
    name: '(anon)',
    size: 8,
    union: true,
    members: [m('tstamp', 0, scalar(8)), m('skb_mstamp_ns', 0, scalar(8))],
  },
  {
    id: 2771,
    name: '(anon)',
    size: 16,
    union: true,
    members: [
      m('(anon)', 0, struct(2770)),
      m('tcp_tsorted_anchor', 0, struct(95)),
      m('_sk_redir', 0, scalar(8)),
    ],
  },
  {
    id: 2780,
    name: '(anon)',
    size: 56,
    union: true,
    members: [m('(anon)', 0, struct(2779)), m('headers', 0, struct(2779))],
  },
  { id: 416, name: 'refcount_struct', size: 4 },
  { id: 2781, name: 'skb_ext', size: 8 },
  {
    id: 13599,
    name: '(anon)',
    size: 8,
    union: true,
    members: [m('(anon)', 0, struct(13598)), m('frame_sz_flags_init', 0, scalar(8))],
  },
  { id: 13594, name: 'xdp_mem_info', size: 8 },
  { id: 2046, name: 'bpf_map_ops', size: 352 },
  { id: 1968, name: 'btf_record', size: 32 },
  { id: 14438, name: 'btf', size: 240 },
  { id: 580, name: 'obj_cgroup', size: 48 },
  { id: 395, name: 'mutex', size: 32 },
  {
    id: 91,
    name: '(anon)',
    size: 8,
    members: [m('counter', 0, scalar(8))],
  },
  {
    id: 2148,
    name: '(anon)',
    size: 32,
    union: true,
    members: [m('work', 0, struct(620)), m('rcu', 0, struct(104))],
  },
  { id: 391, name: 'spinlock', size: 4 },
  { id: 2144, name: 'bpf_map_owner', size: 56 },
  { id: 9459, name: 'bpf_array_aux', size: 88 },
  {
    id: 9463,
    name: '(anon)',
    size: 0,
    union: true,
    members: [m('(anon)', 0, struct(9460)), m('(anon)', 0, struct(9461)), m('(anon)', 0, struct(9462))],
  },
  { id: 13078, name: 'bpf_mem_alloc', size: 80 },
  { id: 14266, name: 'bucket', size: 16 },
  {
    id: 14267,
    name: '(anon)',
    size: 256,
    union: true,
    members: [m('freelist', 0, struct(14250)), m('lru', 0, struct(14265))],
  },
  {
    id: 89,
    name: '(anon)',
    size: 4,
    members: [m('counter', 0, scalar(4))],
  },
  { id: 14333, name: 'bpf_ringbuf', size: 12288 },
  { id: 14304, name: 'lpm_trie_node', size: 24 },
  { id: 135, name: 'qspinlock', size: 4 },
  { id: 95, name: 'list_head', size: 16 },
  { id: 98, name: 'hlist_head', size: 8 },
  { id: 37500, name: 'xdp_sock', size: 1088 },
  { id: 14637, name: 'sk_psock_progs', size: 64 },
  { id: 38578, name: 'bpf_shtab_bucket', size: 16 },
  { id: 14250, name: 'pcpu_freelist', size: 8 },
  { id: 14912, name: 'stack_map_bucket', size: 16 },
  { id: 13177, name: 'bpf_local_storage_map_bucket', size: 16 },
  { id: 399, name: 'rb_root', size: 8 },
  { id: 586, name: 'vm_struct', size: 72 },
  { id: 14785, name: 'range_tree', size: 32 },
  { id: 13818, name: 'bpf_struct_ops_desc', size: 40 },
  { id: 15003, name: 'bpf_struct_ops_value', size: 64 },
  { id: 3403, name: 'net_device_ops', size: 656 },
  {
    id: 37042,
    name: 'nf_conntrack_zone',
    size: 4,
    members: [m('id', 0, scalar(2)), m('flags', 16, scalar(1)), m('dir', 24, scalar(1))],
  },
  {
    id: 2767,
    name: '(anon)',
    size: 24,
    members: [m('next', 0, ptr(870)), m('prev', 64, ptr(870)), m('(anon)', 128, struct(2766))],
  },
  { id: 397, name: 'rb_node', size: 24 },
  { id: 350, name: 'llist_node', size: 8 },
  {
    id: 2770,
    name: '(anon)',
    size: 16,
    members: [m('_skb_refdst', 0, scalar(8)), m('destructor', 64, ptr(0))],
  },
  {
    id: 2779,
    name: '(anon)',
    size: 56,
    members: [
      m('__pkt_type_offset', 0, array(scalar(1), 0)),
      m('pkt_type', 0, scalar(1), 3),
      m('ignore_df', 3, scalar(1), 1),
      m('dst_pending_confirm', 4, scalar(1), 1),
      m('ip_summed', 5, scalar(1), 2),
      m('ooo_okay', 7, scalar(1), 1),
      m('__mono_tc_offset', 8, array(scalar(1), 0)),
      m('tstamp_type', 8, scalar(1), 2),
      m('tc_at_ingress', 10, scalar(1), 1),
      m('tc_skip_classify', 11, scalar(1), 1),
      m('remcsum_offload', 12, scalar(1), 1),
      m('csum_complete_sw', 13, scalar(1), 1),
      m('csum_level', 14, scalar(1), 2),
      m('inner_protocol_type', 16, scalar(1), 1),
      m('l4_hash', 17, scalar(1), 1),
      m('sw_hash', 18, scalar(1), 1),
      m('no_fcs', 19, scalar(1), 1),
      m('encapsulation', 20, scalar(1), 1),
      m('encap_hdr_csum', 21, scalar(1), 1),
      m('csum_valid', 22, scalar(1), 1),
      m('nf_trace', 23, scalar(1), 1),
      m('redirected', 24, scalar(1), 1),
      m('from_ingress', 25, scalar(1), 1),
      m('nf_skip_egress', 26, scalar(1), 1),
      m('slow_gro', 27, scalar(1), 1),
      m('unreadable', 28, scalar(1), 1),
      m('tc_index', 32, scalar(2)),
      m('alloc_cpu', 48, scalar(2)),
      m('(anon)', 64, struct(2773)),
      m('priority', 96, scalar(4)),
      m('skb_iif', 128, scalar(4)),
      m('hash', 160, scalar(4)),
      m('(anon)', 192, struct(2775)),
      m('(anon)', 224, struct(2776)),
      m('secmark', 256, scalar(4)),
      m('(anon)', 288, struct(2777)),
      m('(anon)', 320, struct(2778)),
      m('inner_transport_header', 336, scalar(2)),
      m('inner_network_header', 352, scalar(2)),
      m('inner_mac_header', 368, scalar(2)),
      m('protocol', 384, scalar(2)),
      m('transport_header', 400, scalar(2)),
      m('network_header', 416, scalar(2)),
      m('mac_header', 432, scalar(2)),
    ],
  },
  {
    id: 13598,
    name: '(anon)',
    size: 8,
    members: [m('frame_sz', 0, scalar(4)), m('flags', 32, scalar(4))],
  },
  { id: 620, name: 'work_struct', size: 32 },
  { id: 104, name: 'callback_head', size: 16 },
  {
    id: 9460,
    name: '(anon)',
    size: 0,
    members: [m('__empty_value', 0, struct(1706)), m('value', 0, array(scalar(1), 0))],
  },
  {
    id: 9461,
    name: '(anon)',
    size: 0,
    members: [m('__empty_ptrs', 0, struct(1706)), m('ptrs', 0, array(ptr(0), 0))],
  },
  {
    id: 9462,
    name: '(anon)',
    size: 0,
    members: [m('__empty_pptrs', 0, struct(1706)), m('pptrs', 0, array(ptr(0), 0))],
  },
  { id: 14265, name: 'bpf_lru', size: 256 },
  {
    id: 2766,
    name: '(anon)',
    size: 8,
    union: true,
    members: [m('dev', 0, ptr(3090)), m('dev_scratch', 0, scalar(8))],
  },
  {
    id: 2773,
    name: '(anon)',
    size: 4,
    union: true,
    members: [m('csum', 0, scalar(4)), m('(anon)', 0, struct(2772))],
  },
  {
    id: 2775,
    name: '(anon)',
    size: 4,
    union: true,
    members: [m('vlan_all', 0, scalar(4)), m('(anon)', 0, struct(2774))],
  },
  {
    id: 2776,
    name: '(anon)',
    size: 4,
    union: true,
    members: [m('napi_id', 0, scalar(4)), m('sender_cpu', 0, scalar(4))],
  },
  {
    id: 2777,
    name: '(anon)',
    size: 4,
    union: true,
    members: [m('mark', 0, scalar(4)), m('reserved_tailroom', 0, scalar(4))],
  },
  {
    id: 2778,
    name: '(anon)',
    size: 2,
    union: true,
    members: [m('inner_protocol', 0, scalar(2)), m('inner_ipproto', 0, scalar(1))],
  },
  {
    id: 1706,
    name: '(anon)',
    size: 0,
    members: [],
  },
  {
    id: 2772,
    name: '(anon)',
    size: 4,
    members: [m('csum_start', 0, scalar(2)), m('csum_offset', 16, scalar(2))],
  },
  {
    id: 2774,
    name: '(anon)',
    size: 4,
    members: [m('vlan_proto', 0, scalar(2)), m('vlan_tci', 16, scalar(2))],
  },
];

/** struct nf_conn___init: what bpf_xdp_ct_alloc returns, nf_conn as its only member (module BTF, no vmlinux id). */
const NF_CONN_INIT: KernelStruct = {
  id: undefined,
  name: 'nf_conn___init',
  size: 248,
  members: [m('ct', 0, struct(37040))],
  writable: ['mark'],
};

export const KERNEL_STRUCTS: readonly KernelStruct[] = [
  ...STRUCTS.map((s) => (s.name === 'nf_conn' ? { ...s, writable: ['mark'] } : s)),
  NF_CONN_INIT,
];

const BY_ID = new Map(KERNEL_STRUCTS.filter((s) => s.id !== undefined).map((s) => [s.id, s]));
const BY_NAME = new Map(KERNEL_STRUCTS.map((s) => [s.name, s]));

export function kernelStructByName(name: string): KernelStruct | undefined {
  return BY_NAME.get(name);
}

export function kernelStructById(id: number): KernelStruct | undefined {
  return BY_ID.get(id);
}

/** Bytes a member of this type takes (an array all its elements). */
export function kernelTypeSize(type: KernelType, types: KernelTypes = KERNEL_STRUCT_TABLE): number {
  switch (type.kind) {
    case 'scalar':
      return type.size;
    case 'ptr':
      return 8;
    case 'struct':
      return types.structById(type.id)?.size ?? 0;
    case 'array':
      return type.count * kernelTypeSize(type.elem, types);
  }
}

/** An enum of the kernel's BTF: what CO-RE enum-value relocations resolve against. */
export interface KernelEnum {
  readonly name: string;
  readonly size: number;
  readonly signed: boolean;
  readonly values: readonly { readonly name: string; readonly value: bigint }[];
}

/**
 * Where the verifier and CO-RE find the kernel's types: tsbpf's table (the default), or a kernel BTF the user
 * gives (libbpf's btf_custom_path), whose ids and layouts then stand for the kernel's.
 */
export interface KernelTypes {
  /** 'table', or the file the BTF came from. */
  readonly source: string;
  structById(id: number): KernelStruct | undefined;
  structByName(name: string): KernelStruct | undefined;
  /** An enum by name; the table has none. */
  enumByName(name: string): KernelEnum | undefined;
  /** The first type of that name and kind, with its size (CO-RE type relocations); the table knows structs only. */
  findType(name: string, kind: KernelTypeKind): { readonly id: number; readonly size: number } | undefined;
}

/** The kinds CO-RE type relocations look for by name. */
export type KernelTypeKind = 'struct' | 'union' | 'enum' | 'typedef' | 'int' | 'float';

/** The table above as KernelTypes. */
export const KERNEL_STRUCT_TABLE: KernelTypes = {
  source: 'table',
  structById: (id) => BY_ID.get(id),
  structByName: (name) => BY_NAME.get(name),
  enumByName: () => undefined,
  findType: (name, kind) => {
    const struct = BY_NAME.get(name);
    if (struct?.id === undefined || (kind !== 'struct' && kind !== 'union')) return undefined;
    return (struct.union === true) === (kind === 'union') ? { id: struct.id, size: struct.size } : undefined;
  },
};

/** Every member of a struct by dotted path (anonymous members looked through), as bit offset and bit size. */
function memberLayout(
  types: KernelTypes,
  struct: KernelStruct | undefined,
  prefix: string,
  baseBits: number,
  out: Map<string, { bitOffset: number; bits: number }>,
  depth: number,
): void {
  if (depth > 8) return;
  for (const member of struct?.members ?? []) {
    const bitOffset = baseBits + member.bitOffset;
    const anonymous = member.name === '(anon)';
    const path = anonymous ? prefix : `${prefix}${member.name}`;
    if (!anonymous) {
      const bits = member.bitfieldSize || kernelTypeSize(member.type, types) * 8;
      out.set(path, { bitOffset, bits });
    }
    if (member.type.kind === 'struct') {
      const inner = types.structById(member.type.id);
      memberLayout(types, inner, anonymous ? prefix : `${path}.`, bitOffset, out, depth + 1);
    }
  }
}

const LAYOUT_CHECKS = new WeakMap<KernelTypes, Map<string, string | undefined>>();

/**
 * The first member (dotted path) of a struct tsbpf lays out whose place or size the kernel types give differently
 * from the table, or undefined when they agree: what tsbpf writes at test-run is the table's layout, so a kernel
 * BTF that moves a member would have programs read where nothing was written.
 */
export function layoutDifference(types: KernelTypes, name: string): string | undefined {
  if (types === KERNEL_STRUCT_TABLE) return undefined;
  let checked = LAYOUT_CHECKS.get(types);
  if (checked === undefined) {
    checked = new Map();
    LAYOUT_CHECKS.set(types, checked);
  }
  if (checked.has(name)) return checked.get(name);
  const table = BY_NAME.get(name);
  let difference: string | undefined;
  if (table?.members !== undefined) {
    const ours = new Map<string, { bitOffset: number; bits: number }>();
    const theirs = new Map<string, { bitOffset: number; bits: number }>();
    memberLayout(KERNEL_STRUCT_TABLE, table, '', 0, ours, 0);
    memberLayout(types, types.structByName(name), '', 0, theirs, 0);
    for (const [path, place] of ours) {
      const other = theirs.get(path);
      if (other === undefined || other.bitOffset !== place.bitOffset || other.bits !== place.bits) {
        difference = path;
        break;
      }
    }
  }
  checked.set(name, difference);
  return difference;
}

/**
 * Byte offset of a named member, anonymous structs and unions looked through, nested ones by dotted path
 * (`zone.id`); undefined when tsbpf does not model it.
 */
export function kernelMemberOffset(structName: string, path: string): number | undefined {
  return kernelMember(structName, path)?.offset;
}

/** A named member's byte offset and type, found as kernelMemberOffset finds it. */
export function kernelMember(
  structName: string,
  path: string,
  types: KernelTypes = KERNEL_STRUCT_TABLE,
): { offset: number; type: KernelType } | undefined {
  return findMember(types, types.structByName(structName), path.split('.'));
}

function findMember(
  types: KernelTypes,
  struct: KernelStruct | undefined,
  path: readonly string[],
): { offset: number; type: KernelType } | undefined {
  for (const member of struct?.members ?? []) {
    const at = member.bitOffset / 8;
    if (member.name === path[0]) {
      if (path.length === 1) return { offset: at, type: member.type };
      if (member.type.kind !== 'struct') return undefined;
      const inner = findMember(types, types.structById(member.type.id), path.slice(1));
      return inner === undefined ? undefined : { ...inner, offset: at + inner.offset };
    }
    if (member.name === '(anon)' && member.type.kind === 'struct') {
      const inner = findMember(types, types.structById(member.type.id), path);
      if (inner !== undefined) return { ...inner, offset: at + inner.offset };
    }
  }
  return undefined;
}

/**
 * The struct each map type's ops name as map_btf_id (the kernel's BTF_ID_LIST_SINGLE next to each map's ops):
 * what a program reads through a map pointer. Each has `struct bpf_map map` as its first member.
 */
export const MAP_KERNEL_STRUCTS: Readonly<Record<string, string>> = {
  hash: 'bpf_htab',
  percpu_hash: 'bpf_htab',
  lru_hash: 'bpf_htab',
  lru_percpu_hash: 'bpf_htab',
  hash_of_maps: 'bpf_htab',
  array: 'bpf_array',
  percpu_array: 'bpf_array',
  prog_array: 'bpf_array',
  perf_event_array: 'bpf_array',
  cgroup_array: 'bpf_array',
  array_of_maps: 'bpf_array',
  stack_trace: 'bpf_stack_map',
  lpm_trie: 'lpm_trie',
  devmap: 'bpf_dtab',
  devmap_hash: 'bpf_dtab',
  sockmap: 'bpf_stab',
  sockhash: 'bpf_shtab',
  cpumap: 'bpf_cpu_map',
  xskmap: 'xsk_map',
  cgroup_storage: 'bpf_cgroup_storage_map',
  percpu_cgroup_storage: 'bpf_cgroup_storage_map',
  reuseport_sockarray: 'reuseport_array',
  queue: 'bpf_queue_stack',
  stack: 'bpf_queue_stack',
  sk_storage: 'bpf_local_storage_map',
  inode_storage: 'bpf_local_storage_map',
  task_storage: 'bpf_local_storage_map',
  cgrp_storage: 'bpf_local_storage_map',
  struct_ops: 'bpf_struct_ops_map',
  ringbuf: 'bpf_ringbuf_map',
  user_ringbuf: 'bpf_ringbuf_map',
  bloom_filter: 'bpf_bloom_filter',
  arena: 'bpf_arena',
};

/**
 * The kernel struct a program type's context stands for (the kernel's bpf_ctx_convert pairs): what
 * bpf_cast_to_kern_ctx returns. Only the types whose struct tsbpf lays out at test-run.
 */
export const KERNEL_CONTEXT_STRUCTS: Readonly<Record<string, string>> = {
  socket_filter: 'sk_buff',
  sched_cls: 'sk_buff',
  sched_act: 'sk_buff',
  cgroup_skb: 'sk_buff',
  lwt_in: 'sk_buff',
  lwt_out: 'sk_buff',
  lwt_xmit: 'sk_buff',
  lwt_seg6local: 'sk_buff',
  sk_skb: 'sk_buff',
  xdp: 'xdp_buff',
};

/**
 * Members of the kernel's sk_buff that a `__sk_buff` field reads (the kernel's bpf_convert_ctx_access), by
 * member → field: the same value in the same byte order, the field as wide or wider (little-endian, so a load
 * of the member's bytes reads the field's first bytes).
 */
export const SK_BUFF_CONTEXT_MIRRORS: Readonly<Record<string, string>> = {
  len: 'len',
  queue_mapping: 'queue_mapping',
  tc_index: 'tc_index',
  priority: 'priority',
  skb_iif: 'ingress_ifindex',
  hash: 'hash',
  vlan_proto: 'vlan_proto',
  vlan_tci: 'vlan_tci',
  napi_id: 'napi_id',
  mark: 'mark',
  protocol: 'protocol',
  tstamp: 'tstamp',
};

/** Members the kernel trusts as RCU-protected and possibly NULL when read from a trusted parent (BTF_TYPE_SAFE_RCU_OR_NULL). */
export const RCU_OR_NULL_MEMBERS: ReadonlySet<string> = new Set(['sk_buff.sk']);

export const NF_CONN_SIZE = 248;
export const NF_CONN_TIMEOUT = 8;
export const NF_CONN_STATUS = 128;
export const NF_CONN_MARK = 168;
