# case: skb_len_read
# type: socket_filter
# expect: accept
r0 = *(u32 *)(r1 + 0)
r0 = 0
exit
---
# case: skb_mark_read_in_callee
# type: socket_filter
# expect: accept
call f
r0 = 0
exit
f:
r0 = *(u32 *)(r1 + 8)
r0 = 0
exit
---
# case: skb_mark_write
# type: socket_filter
# expect: reject
# error: invalid bpf_context access off=8 size=4
# insn: 1
# errno: EACCES
r2 = 1
*(u32 *)(r1 + 8) = r2
r0 = 0
exit
---
# case: skb_cb0_write_in_callee
# type: socket_filter
# expect: accept
call f
r0 = 0
exit
f:
r2 = 1
*(u32 *)(r1 + 48) = r2
r0 = 0
exit
---
# case: skb_cb4_write
# type: socket_filter
# expect: accept
r2 = 1
*(u32 *)(r1 + 64) = r2
r0 = 0
exit
---
# case: skb_cb_u64_read_in_callee
# type: socket_filter
# expect: accept
call f
r0 = 0
exit
f:
r0 = *(u64 *)(r1 + 48)
r0 = 0
exit
---
# case: skb_len_u16_read
# type: socket_filter
# expect: accept
r0 = *(u16 *)(r1 + 0)
r0 = 0
exit
---
# case: skb_len_u64_read_in_callee
# type: socket_filter
# expect: reject
# error: invalid bpf_context access off=0 size=8
# insn: 3
# errno: EACCES
call f
r0 = 0
exit
f:
r0 = *(u64 *)(r1 + 0)
r0 = 0
exit
---
# case: skb_data_read
# type: socket_filter
# expect: reject
# error: invalid bpf_context access off=76 size=4
# insn: 0
# errno: EACCES
r0 = *(u32 *)(r1 + 76)
r0 = 0
exit
---
# case: skb_data_end_read_in_callee
# type: socket_filter
# expect: reject
# error: invalid bpf_context access off=80 size=4
# insn: 3
# errno: EACCES
call f
r0 = 0
exit
f:
r0 = *(u32 *)(r1 + 80)
r0 = 0
exit
---
# case: skb_ingress_ifindex_write
# type: socket_filter
# expect: reject
# error: invalid bpf_context access off=36 size=4
# insn: 1
# errno: EACCES
r2 = 1
*(u32 *)(r1 + 36) = r2
r0 = 0
exit
---
# case: skb_past_end_read_in_callee
# type: socket_filter
# expect: reject
# error: invalid bpf_context access off=200 size=4
# insn: 3
# errno: EACCES
call f
r0 = 0
exit
f:
r0 = *(u32 *)(r1 + 200)
r0 = 0
exit
---
# case: skb_negative_off_read
# type: socket_filter
# expect: reject
# error: invalid bpf_context access off=-4 size=4
# insn: 0
# errno: EACCES
r0 = *(u32 *)(r1 + -4)
r0 = 0
exit
---
# case: skb_misaligned_read_in_callee
# type: socket_filter
# expect: reject
# error: invalid bpf_context access off=2 size=4
# insn: 3
# errno: EACCES
call f
r0 = 0
exit
f:
r0 = *(u32 *)(r1 + 2)
r0 = 0
exit
---
# case: skb_data_meta_read
# type: socket_filter
# expect: reject
# error: invalid bpf_context access off=140 size=4
# insn: 0
# errno: EACCES
r0 = *(u32 *)(r1 + 140)
r0 = 0
exit
---
# case: skb_tstamp_read_in_callee
# type: socket_filter
# expect: reject
# error: invalid bpf_context access off=152 size=8
# insn: 3
# errno: EACCES
call f
r0 = 0
exit
f:
r0 = *(u64 *)(r1 + 152)
r0 = 0
exit
---
# case: skb_sk_u32_read
# type: socket_filter
# expect: reject
# error: invalid bpf_context access off=168 size=4
# insn: 0
# errno: EACCES
r0 = *(u32 *)(r1 + 168)
r0 = 0
exit
---
# case: skb_gso_size_u64_read_in_callee
# type: socket_filter
# expect: reject
# error: invalid bpf_context access off=176 size=8
# insn: 3
# errno: EACCES
call f
r0 = 0
exit
f:
r0 = *(u64 *)(r1 + 176)
r0 = 0
exit
---
# case: skb_protocol_read
# type: socket_filter
# expect: accept
r0 = *(u32 *)(r1 + 16)
r0 = 0
exit
---
# case: skb_len_store_imm_in_callee
# type: socket_filter
# expect: reject
# error: invalid bpf_context access off=0 size=4
# insn: 3
# errno: EACCES
call f
r0 = 0
exit
f:
*(u32 *)(r1 + 0) = 1
r0 = 0
exit
---
# case: tc_mark_write
# type: sched_cls
# expect: accept
r2 = 1
*(u32 *)(r1 + 8) = r2
r0 = 0
exit
---
# case: tc_priority_write_in_callee
# type: sched_cls
# expect: accept
call f
r0 = 0
exit
f:
r2 = 1
*(u32 *)(r1 + 32) = r2
r0 = 0
exit
---
# case: tc_ingress_ifindex_write
# type: sched_cls
# expect: reject
# error: invalid bpf_context access off=36 size=4
# insn: 1
# errno: EACCES
r2 = 1
*(u32 *)(r1 + 36) = r2
r0 = 0
exit
---
# case: tc_len_write_in_callee
# type: sched_cls
# expect: reject
# error: invalid bpf_context access off=0 size=4
# insn: 4
# errno: EACCES
call f
r0 = 0
exit
f:
r2 = 1
*(u32 *)(r1 + 0) = r2
r0 = 0
exit
---
# case: tc_data_read
# type: sched_cls
# expect: accept
r0 = *(u32 *)(r1 + 76)
r0 = 0
exit
---
# case: tc_data_write_in_callee
# type: sched_cls
# expect: reject
# error: invalid bpf_context access off=76 size=4
# insn: 4
# errno: EACCES
call f
r0 = 0
exit
f:
r2 = 1
*(u32 *)(r1 + 76) = r2
r0 = 0
exit
---
# case: tc_hash_write
# type: sched_cls
# expect: reject
# error: invalid bpf_context access off=68 size=4
# insn: 1
# errno: EACCES
r2 = 1
*(u32 *)(r1 + 68) = r2
r0 = 0
exit
---
# case: tc_queue_mapping_write_in_callee
# type: sched_cls
# expect: accept
call f
r0 = 0
exit
f:
r2 = 1
*(u32 *)(r1 + 12) = r2
r0 = 0
exit
---
# case: tc_data_meta_read
# type: sched_cls
# expect: accept
r0 = *(u32 *)(r1 + 140)
r0 = 0
exit
---
# case: tc_tstamp_write_in_callee
# type: sched_cls
# expect: accept
call f
r0 = 0
exit
f:
r2 = 1
*(u64 *)(r1 + 152) = r2
r0 = 0
exit
---
# case: tc_ifindex_read
# type: sched_cls
# expect: accept
r0 = *(u32 *)(r1 + 40)
r0 = 0
exit
---
# case: tc_local_port_read_in_callee
# type: sched_cls
# expect: reject
# error: invalid bpf_context access off=136 size=4
# insn: 3
# errno: EACCES
call f
r0 = 0
exit
f:
r0 = *(u32 *)(r1 + 136)
r0 = 0
exit
---
# case: tc_hwtstamp_read
# type: sched_cls
# expect: accept
r0 = *(u64 *)(r1 + 184)
r0 = 0
exit
---
# case: tc_past_end_in_callee
# type: sched_cls
# expect: reject
# error: invalid bpf_context access off=300 size=4
# insn: 3
# errno: EACCES
call f
r0 = 0
exit
f:
r0 = *(u32 *)(r1 + 300)
r0 = 0
exit
---
# case: xdp_data_read
# type: xdp
# expect: accept
r0 = *(u32 *)(r1 + 0)
r0 = 0
exit
---
# case: xdp_data_end_read_in_callee
# type: xdp
# expect: accept
call f
r0 = 0
exit
f:
r0 = *(u32 *)(r1 + 4)
r0 = 0
exit
---
# case: xdp_data_meta_read
# type: xdp
# expect: accept
r0 = *(u32 *)(r1 + 8)
r0 = 0
exit
---
# case: xdp_ifindex_read_in_callee
# type: xdp
# expect: accept
call f
r0 = 0
exit
f:
r0 = *(u32 *)(r1 + 12)
r0 = 0
exit
---
# case: xdp_rx_queue_read
# type: xdp
# expect: accept
r0 = *(u32 *)(r1 + 16)
r0 = 0
exit
---
# case: xdp_egress_ifindex_read_in_callee
# type: xdp
# expect: reject
# error: invalid bpf_context access off=20 size=4
# insn: 3
# errno: EACCES
call f
r0 = 0
exit
f:
r0 = *(u32 *)(r1 + 20)
r0 = 0
exit
---
# case: xdp_past_end_read
# type: xdp
# expect: reject
# error: invalid bpf_context access off=24 size=4
# insn: 0
# errno: EACCES
r0 = *(u32 *)(r1 + 24)
r0 = 0
exit
---
# case: xdp_data_write_in_callee
# type: xdp
# expect: reject
# error: invalid bpf_context access off=0 size=4
# insn: 4
# errno: EACCES
call f
r0 = 0
exit
f:
r2 = 1
*(u32 *)(r1 + 0) = r2
r0 = 0
exit
---
# case: xdp_data_u64_read
# type: xdp
# expect: reject
# error: invalid bpf_context access off=0 size=8
# insn: 0
# errno: EACCES
r0 = *(u64 *)(r1 + 0)
r0 = 0
exit
---
# case: xdp_data_u16_read_in_callee
# type: xdp
# expect: reject
# error: invalid bpf_context access off=0 size=2
# insn: 3
# errno: EACCES
call f
r0 = 0
exit
f:
r0 = *(u16 *)(r1 + 0)
r0 = 0
exit
---
# case: xdp_ifindex_u8_read
# type: xdp
# expect: reject
# error: invalid bpf_context access off=12 size=1
# insn: 0
# errno: EACCES
r0 = *(u8 *)(r1 + 12)
r0 = 0
exit
---
# case: xdp_misaligned_read_in_callee
# type: xdp
# expect: reject
# error: invalid bpf_context access off=2 size=4
# insn: 3
# errno: EACCES
call f
r0 = 0
exit
f:
r0 = *(u32 *)(r1 + 2)
r0 = 0
exit
---
# case: kprobe_regs_read_di
# type: kprobe
# expect: accept
r0 = *(u64 *)(r1 + 112)
r0 = 0
exit
---
# case: kprobe_regs_read_last_in_callee
# type: kprobe
# expect: accept
call f
r0 = 0
exit
f:
r0 = *(u64 *)(r1 + 160)
r0 = 0
exit
---
# case: kprobe_regs_read_past_end
# type: kprobe
# expect: reject
# error: invalid bpf_context access off=168 size=8
# insn: 0
# errno: EACCES
r0 = *(u64 *)(r1 + 168)
r0 = 0
exit
---
# case: kprobe_regs_write_in_callee
# type: kprobe
# expect: reject
# error: invalid bpf_context access off=112 size=8
# insn: 4
# errno: EACCES
call f
r0 = 0
exit
f:
r2 = 1
*(u64 *)(r1 + 112) = r2
r0 = 0
exit
---
# case: kprobe_regs_u32_read
# type: kprobe
# expect: accept
r0 = *(u32 *)(r1 + 112)
r0 = 0
exit
---
# case: kprobe_regs_misaligned_in_callee
# type: kprobe
# expect: reject
# error: invalid bpf_context access off=4 size=8
# insn: 3
# errno: EACCES
call f
r0 = 0
exit
f:
r0 = *(u64 *)(r1 + 4)
r0 = 0
exit
---
# case: tracepoint_read_8
# type: tracepoint
# expect: accept
r0 = *(u64 *)(r1 + 8)
r0 = 0
exit
---
# case: tracepoint_write_in_callee
# type: tracepoint
# expect: reject
# error: invalid bpf_context access off=8 size=8
# insn: 4
# errno: EACCES
call f
r0 = 0
exit
f:
r2 = 1
*(u64 *)(r1 + 8) = r2
r0 = 0
exit
---
# case: tracepoint_read_far
# type: tracepoint
# expect: accept
r0 = *(u64 *)(r1 + 4096)
r0 = 0
exit
---
# case: tracepoint_read_u32_in_callee
# type: tracepoint
# expect: accept
call f
r0 = 0
exit
f:
r0 = *(u32 *)(r1 + 12)
r0 = 0
exit
---
# case: tracepoint_read_misaligned
# type: tracepoint
# expect: reject
# error: invalid bpf_context access off=3 size=8
# insn: 0
# errno: EACCES
r0 = *(u64 *)(r1 + 3)
r0 = 0
exit
---
# case: raw_tp_arg0_read_in_callee
# type: raw_tracepoint
# expect: accept
call f
r0 = 0
exit
f:
r0 = *(u64 *)(r1 + 0)
r0 = 0
exit
---
# case: raw_tp_arg11_read
# type: raw_tracepoint
# expect: accept
r0 = *(u64 *)(r1 + 88)
r0 = 0
exit
---
# case: raw_tp_arg12_read_in_callee
# type: raw_tracepoint
# expect: reject
# error: invalid bpf_context access off=96 size=8
# insn: 3
# errno: EACCES
call f
r0 = 0
exit
f:
r0 = *(u64 *)(r1 + 96)
r0 = 0
exit
---
# case: raw_tp_u32_read
# type: raw_tracepoint
# expect: accept
r0 = *(u32 *)(r1 + 0)
r0 = 0
exit
---
# case: raw_tp_write_in_callee
# type: raw_tracepoint
# expect: reject
# error: invalid bpf_context access off=0 size=8
# insn: 4
# errno: EACCES
call f
r0 = 0
exit
f:
r2 = 1
*(u64 *)(r1 + 0) = r2
r0 = 0
exit
---
# case: perf_event_sample_period_read
# type: perf_event
# expect: accept
r0 = *(u64 *)(r1 + 168)
r0 = 0
exit
---
# case: perf_event_addr_read_in_callee
# type: perf_event
# expect: accept
call f
r0 = 0
exit
f:
r0 = *(u64 *)(r1 + 176)
r0 = 0
exit
---
# case: perf_event_regs_read
# type: perf_event
# expect: accept
r0 = *(u64 *)(r1 + 0)
r0 = 0
exit
---
# case: perf_event_past_end_in_callee
# type: perf_event
# expect: reject
# error: invalid bpf_context access off=184 size=8
# insn: 3
# errno: EACCES
call f
r0 = 0
exit
f:
r0 = *(u64 *)(r1 + 184)
r0 = 0
exit
---
# case: perf_event_write
# type: perf_event
# expect: reject
# error: invalid bpf_context access off=168 size=8
# insn: 1
# errno: EACCES
r2 = 1
*(u64 *)(r1 + 168) = r2
r0 = 0
exit
---
# case: perf_event_sample_period_u32_in_callee
# type: perf_event
# expect: accept
call f
r0 = 0
exit
f:
r0 = *(u32 *)(r1 + 168)
r0 = 0
exit
---
# case: cgroup_skb_len_read
# type: cgroup_skb
# attach: cgroup_inet_ingress
# expect: accept
r0 = *(u32 *)(r1 + 0)
r0 = 0
exit
---
# case: cgroup_skb_mark_write_in_callee
# type: cgroup_skb
# attach: cgroup_inet_ingress
# expect: accept
call f
r0 = 0
exit
f:
r2 = 1
*(u32 *)(r1 + 8) = r2
r0 = 0
exit
---
# case: cgroup_skb_ingress_ifindex_write
# type: cgroup_skb
# attach: cgroup_inet_ingress
# expect: reject
# error: invalid bpf_context access off=36 size=4
# insn: 1
# errno: EACCES
r2 = 1
*(u32 *)(r1 + 36) = r2
r0 = 0
exit
---
# case: cgroup_skb_data_read_in_callee
# type: cgroup_skb
# attach: cgroup_inet_ingress
# expect: accept
call f
r0 = 0
exit
f:
r0 = *(u32 *)(r1 + 76)
r0 = 0
exit
---
# case: cgroup_skb_hwtstamp_read
# type: cgroup_skb
# attach: cgroup_inet_ingress
# expect: accept
r0 = *(u64 *)(r1 + 184)
r0 = 0
exit
---
# case: skb_tc_index_write_in_callee
# type: socket_filter
# expect: reject
# error: invalid bpf_context access off=44 size=4
# insn: 4
# errno: EACCES
call f
r0 = 0
exit
f:
r2 = 1
*(u32 *)(r1 + 44) = r2
r0 = 0
exit
---
# case: tc_tc_index_write
# type: sched_cls
# expect: accept
r2 = 1
*(u32 *)(r1 + 44) = r2
r0 = 0
exit
---
# case: tc_tc_classid_write_in_callee
# type: sched_cls
# expect: accept
call f
r0 = 0
exit
f:
r2 = 1
*(u32 *)(r1 + 72) = r2
r0 = 0
exit
---
# case: skb_sk_read
# type: socket_filter
# expect: accept
r0 = *(u64 *)(r1 + 168)
r0 = 0
exit
---
# case: tc_sk_read_in_callee
# type: sched_cls
# expect: accept
call f
r0 = 0
exit
f:
r0 = *(u64 *)(r1 + 168)
r0 = 0
exit
---
# case: tc_sk_u32_read
# type: sched_cls
# expect: reject
# error: invalid bpf_context access off=168 size=4
# insn: 0
# errno: EACCES
r0 = *(u32 *)(r1 + 168)
r0 = 0
exit
---
# case: skb_cb_u8_write_in_callee
# type: socket_filter
# expect: accept
call f
r0 = 0
exit
f:
r2 = 1
*(u8 *)(r1 + 51) = r2
r0 = 0
exit
---
# case: tc_cb_u64_write
# type: sched_cls
# expect: accept
r2 = 1
*(u64 *)(r1 + 56) = r2
r0 = 0
exit
---
# case: xdp_data_meta_write_in_callee
# type: xdp
# expect: reject
# error: invalid bpf_context access off=8 size=4
# insn: 4
# errno: EACCES
call f
r0 = 0
exit
f:
r2 = 1
*(u32 *)(r1 + 8) = r2
r0 = 0
exit
---
# case: tc_wire_len_read
# type: sched_cls
# expect: accept
r0 = *(u32 *)(r1 + 160)
r0 = 0
exit
---
# case: skb_ifindex_read_in_callee
# type: socket_filter
# expect: accept
call f
r0 = 0
exit
f:
r0 = *(u32 *)(r1 + 40)
r0 = 0
exit
---
# case: tc_mark_write_u16
# type: sched_cls
# expect: reject
# error: invalid bpf_context access off=8 size=2
# insn: 1
# errno: EACCES
r2 = 1
*(u16 *)(r1 + 8) = r2
r0 = 0
exit
