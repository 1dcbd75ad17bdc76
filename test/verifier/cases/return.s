# case: cgroup_skb_ingress_return_0
# type: cgroup_skb
# attach: cgroup_inet_ingress
# expect: accept
r0 = 0
exit
---
# case: cgroup_skb_ingress_return_1_from_callee
# type: cgroup_skb
# attach: cgroup_inet_ingress
# expect: accept
call f
exit
f:
r0 = 1
exit
---
# case: cgroup_skb_ingress_return_2
# type: cgroup_skb
# attach: cgroup_inet_ingress
# expect: reject
# error: At program exit the register R0 has smin=2 smax=2 should have been in [0, 1]
# insn: 1
# errno: EINVAL
r0 = 2
exit
---
# case: cgroup_skb_ingress_return_3_from_callee
# type: cgroup_skb
# attach: cgroup_inet_ingress
# expect: reject
# error: At program exit the register R0 has smin=3 smax=3 should have been in [0, 1]
# insn: 1
# errno: EINVAL
call f
exit
f:
r0 = 3
exit
---
# case: cgroup_skb_ingress_return_4
# type: cgroup_skb
# attach: cgroup_inet_ingress
# expect: reject
# error: At program exit the register R0 has smin=4 smax=4 should have been in [0, 1]
# insn: 1
# errno: EINVAL
r0 = 4
exit
---
# case: cgroup_skb_ingress_return_unknown
# type: cgroup_skb
# attach: cgroup_inet_ingress
# expect: reject
# error: At program exit the register R0 has unknown scalar value should have been in [0, 1]
# insn: 1
# errno: EINVAL
call 7
exit
---
# case: cgroup_skb_ingress_return_masked_in_callee
# type: cgroup_skb
# attach: cgroup_inet_ingress
# expect: accept
call f
exit
f:
call 7
r0 &= 1
exit
---
# case: cgroup_skb_egress_return_3
# type: cgroup_skb
# attach: cgroup_inet_egress
# expect: accept
r0 = 3
exit
---
# case: cgroup_skb_egress_return_4_from_callee
# type: cgroup_skb
# attach: cgroup_inet_egress
# expect: reject
# error: At program exit the register R0 has smin=4 smax=4 should have been in [0, 3]
# insn: 1
# errno: EINVAL
call f
exit
f:
r0 = 4
exit
---
# case: cgroup_sock_create_return_0
# type: cgroup_sock
# attach: cgroup_inet_sock_create
# expect: accept
r0 = 0
exit
---
# case: cgroup_sock_create_return_1_from_callee
# type: cgroup_sock
# attach: cgroup_inet_sock_create
# expect: accept
call f
exit
f:
r0 = 1
exit
---
# case: cgroup_sock_create_return_2
# type: cgroup_sock
# attach: cgroup_inet_sock_create
# expect: reject
# error: At program exit the register R0 has smin=2 smax=2 should have been in [0, 1]
# insn: 1
# errno: EINVAL
r0 = 2
exit
---
# case: cgroup_sock_create_return_unknown
# type: cgroup_sock
# attach: cgroup_inet_sock_create
# expect: reject
# error: At program exit the register R0 has unknown scalar value should have been in [0, 1]
# insn: 1
# errno: EINVAL
call 7
exit
---
# case: cgroup_sock_create_return_masked_in_callee
# type: cgroup_sock
# attach: cgroup_inet_sock_create
# expect: accept
call f
exit
f:
call 7
r0 &= 1
exit
---
# case: sock_addr_connect4_return_0
# type: cgroup_sock_addr
# attach: cgroup_inet4_connect
# expect: accept
r0 = 0
exit
---
# case: sock_addr_connect4_return_1_from_callee
# type: cgroup_sock_addr
# attach: cgroup_inet4_connect
# expect: accept
call f
exit
f:
r0 = 1
exit
---
# case: sock_addr_connect4_return_2
# type: cgroup_sock_addr
# attach: cgroup_inet4_connect
# expect: reject
# error: At program exit the register R0 has smin=2 smax=2 should have been in [0, 1]
# insn: 1
# errno: EINVAL
r0 = 2
exit
---
# case: sock_addr_getpeername4_return_0
# type: cgroup_sock_addr
# attach: cgroup_inet4_getpeername
# expect: reject
# error: At program exit the register R0 has smin=0 smax=0 should have been in [1, 1]
# insn: 1
# errno: EINVAL
r0 = 0
exit
---
# case: sock_addr_getpeername4_return_1_from_callee
# type: cgroup_sock_addr
# attach: cgroup_inet4_getpeername
# expect: accept
call f
exit
f:
r0 = 1
exit
---
# case: cgroup_device_return_0
# type: cgroup_device
# attach: cgroup_device
# expect: accept
r0 = 0
exit
---
# case: cgroup_device_return_1_from_callee
# type: cgroup_device
# attach: cgroup_device
# expect: accept
call f
exit
f:
r0 = 1
exit
---
# case: cgroup_device_return_2
# type: cgroup_device
# attach: cgroup_device
# expect: reject
# error: At program exit the register R0 has smin=2 smax=2 should have been in [0, 1]
# insn: 1
# errno: EINVAL
r0 = 2
exit
---
# case: cgroup_device_return_unknown
# type: cgroup_device
# attach: cgroup_device
# expect: reject
# error: At program exit the register R0 has unknown scalar value should have been in [0, 1]
# insn: 1
# errno: EINVAL
call 7
exit
---
# case: cgroup_device_return_masked_in_callee
# type: cgroup_device
# attach: cgroup_device
# expect: accept
call f
exit
f:
call 7
r0 &= 1
exit
---
# case: cgroup_sysctl_return_1
# type: cgroup_sysctl
# attach: cgroup_sysctl
# expect: accept
r0 = 1
exit
---
# case: cgroup_sysctl_return_2_from_callee
# type: cgroup_sysctl
# attach: cgroup_sysctl
# expect: reject
# error: At program exit the register R0 has smin=2 smax=2 should have been in [0, 1]
# insn: 1
# errno: EINVAL
call f
exit
f:
r0 = 2
exit
---
# case: sk_lookup_return_0
# type: sk_lookup
# attach: sk_lookup
# expect: accept
r0 = 0
exit
---
# case: sk_lookup_return_1_from_callee
# type: sk_lookup
# attach: sk_lookup
# expect: accept
call f
exit
f:
r0 = 1
exit
---
# case: sk_lookup_return_2
# type: sk_lookup
# attach: sk_lookup
# expect: reject
# error: At program exit the register R0 has smin=2 smax=2 should have been in [0, 1]
# insn: 1
# errno: EINVAL
r0 = 2
exit
---
# case: sk_lookup_return_unknown
# type: sk_lookup
# attach: sk_lookup
# expect: reject
# error: At program exit the register R0 has unknown scalar value should have been in [0, 1]
# insn: 1
# errno: EINVAL
call 7
exit
---
# case: sk_lookup_return_masked_in_callee
# type: sk_lookup
# attach: sk_lookup
# expect: accept
call f
exit
f:
call 7
r0 &= 1
exit
---
# case: sock_ops_return_1
# type: sock_ops
# attach: cgroup_sock_ops
# expect: accept
r0 = 1
exit
---
# case: sock_ops_return_7_from_callee
# type: sock_ops
# attach: cgroup_sock_ops
# expect: reject
# error: At program exit the register R0 has smin=7 smax=7 should have been in [0, 1]
# insn: 1
# errno: EINVAL
call f
exit
f:
r0 = 7
exit
---
# case: xdp_return_5
# type: xdp
# expect: accept
r0 = 5
exit
---
# case: xdp_return_minus_1_from_callee
# type: xdp
# expect: accept
call f
exit
f:
r0 = -1
exit
---
# case: socket_filter_return_minus_1
# type: socket_filter
# expect: accept
r0 = -1
exit
---
# case: kprobe_return_12345
# type: kprobe
# expect: accept
r0 = 12345
exit
---
# case: exit_r0_uninit_main
# type: socket_filter
# expect: reject
# error: R0 !read_ok
# insn: 0
# errno: EACCES
exit
---
# case: exit_r0_uninit_callee_unused_result
# type: socket_filter
# expect: accept
call f
r0 = 1
exit
f:
exit
---
# case: exit_r0_uninit_callee_result_used
# type: xdp
# expect: reject
# error: R0 !read_ok
# insn: 1
# errno: EACCES
call f
exit
f:
exit
---
# case: exit_r0_uninit_one_path
# type: socket_filter
# expect: reject
# error: R0 !read_ok
# insn: 3
# errno: EACCES
r1 = *(u32 *)(r1 + 0)
if r1 == 0 goto out
r0 = 0
out:
exit
---
# case: exit_r0_set_on_both_paths
# type: socket_filter
# expect: accept
r1 = *(u32 *)(r1 + 0)
r0 = 1
if r1 == 0 goto out
r0 = 0
out:
exit
---
# case: exit_r0_pointer_cgroup_skb
# type: cgroup_skb
# attach: cgroup_inet_ingress
# expect: reject
# error: At program exit the register R0 is not a known value (fp)
# insn: 1
# errno: EINVAL
r0 = r10
exit
---
# case: exit_r0_pointer_xdp_callee
# type: xdp
# expect: accept
call f
r0 = 2
exit
f:
r0 = r1
exit
---
# case: exit_r0_ctx_pointer_from_callee_cgroup_skb
# type: cgroup_skb
# attach: cgroup_inet_ingress
# expect: reject
# error: At program exit the register R0 is not a known value (ctx)
# insn: 1
# errno: EINVAL
call f
exit
f:
r0 = r1
exit
---
# case: exit_r0_w_register_cgroup_skb
# type: cgroup_skb
# attach: cgroup_inet_ingress
# expect: accept
w0 = 1
exit
---
# case: exit_r0_range_after_jump_cgroup_sock
# type: cgroup_sock
# attach: cgroup_inet_sock_create
# expect: accept
call 7
if r0 > 1 goto big
exit
big:
r0 = 0
exit
---
# case: exit_r0_signed_range_cgroup_sock
# type: cgroup_sock
# attach: cgroup_inet_sock_create
# expect: reject
# error: At program exit the register R0 has smax=1 should have been in [0, 1]
# insn: 2
# errno: EINVAL
call 7
if r0 s> 1 goto big
exit
big:
r0 = 0
exit
