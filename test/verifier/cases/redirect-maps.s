# case: devmap_lookup_read
# A devmap lookup gives the stored struct bpf_devmap_val, readable.
# type: xdp
# map: devmap 4 8 4
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r0 = *(u32 *)(r0 + 4)
out:
r0 = 2
exit
---
# case: devmap_lookup_write
# The kernel makes devmap values read-only for programs (BPF_F_RDONLY_PROG).
# type: xdp
# map: devmap 4 4 4
# expect: reject
# error: write into map forbidden, value_size=4 off=0 size=4
# insn: 7
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
*(u32 *)(r0 + 0) = 3
out:
r0 = 2
exit
---
# case: devmap_hash_update_from_program
# type: xdp
# map: devmap_hash 4 4 4
# expect: reject
# error: write into map forbidden
# insn: 9
# errno: EACCES
*(u32 *)(r10 - 4) = 0
*(u32 *)(r10 - 8) = 1
r2 = r10
r2 += -4
r3 = r10
r3 += -8
r4 = 0
r1 = map0 ll
call 2
r0 = 2
exit
---
# case: cpumap_lookup
# type: xdp
# map: cpumap 4 4 4
# expect: reject
# error: cannot pass map_type 16 into func bpf_map_lookup_elem#1
# insn: 5
# errno: EINVAL
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r0 = 2
exit
---
# case: cpumap_redirect
# type: xdp
# map: cpumap 4 8 4
# expect: accept
r1 = map0 ll
r2 = 1
r3 = 2
call 51
exit
---
# case: xskmap_queue_id
# A non-null xskmap lookup is an xdp_sock whose u32 queue_id can be read.
# type: xdp
# map: xskmap 4 4 4
# expect: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r0 = *(u32 *)(r0 + 0)
out:
r0 = 2
exit
---
# case: xskmap_beyond_queue_id
# type: xdp
# map: xskmap 4 4 4
# expect: reject
# error: R0 invalid xdp_sock access off=4 size=4
# insn: 7
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r0 = *(u32 *)(r0 + 4)
out:
r0 = 2
exit
---
# case: xskmap_write
# type: xdp
# map: xskmap 4 4 4
# expect: reject
# error: R0 cannot write into xdp_sock
# insn: 7
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
*(u32 *)(r0 + 0) = 1
out:
r0 = 2
exit
---
# case: xskmap_narrow_read
# type: xdp
# map: xskmap 4 4 4
# expect: reject
# error: R0 invalid xdp_sock access off=0 size=2
# insn: 7
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto out
r0 = *(u16 *)(r0 + 0)
out:
r0 = 2
exit
---
# case: redirect_map_from_tc
# type: sched_cls
# map: devmap 4 4 4
# expect: reject
# error: program of this type cannot use helper bpf_redirect_map#51
# insn: 4
# errno: EINVAL
r1 = map0 ll
r2 = 0
r3 = 0
call 51
exit
