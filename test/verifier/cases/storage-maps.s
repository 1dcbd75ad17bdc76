# case: get_local_storage_read
# type: cgroup_skb
# map: cgroup_storage 8 8 0
# expect: accept
r1 = map0 ll
r2 = 0
call 81
r0 = *(u64 *)(r0 + 0)
r0 &= 1
exit
---
# case: get_local_storage_flags
# type: cgroup_skb
# map: cgroup_storage 8 8 0
# expect: reject
# error: get_local_storage() doesn't support non-zero flags
# insn: 3
# errno: EINVAL
r1 = map0 ll
r2 = 1
call 81
r0 = 1
exit
---
# case: get_local_storage_wrong_map
# type: cgroup_skb
# map: hash 8 8 4
# expect: reject
# error: cannot pass map_type 1 into func bpf_get_local_storage#81
# insn: 3
# errno: EINVAL
r1 = map0 ll
r2 = 0
call 81
r0 = 1
exit
