# case: trivial
# type: socket_filter
# expect: accept
r0 = 0
exit
---
# case: uninit_r0
# type: socket_filter
# expect: reject
# error: R0 !read_ok
# insn: 0
# errno: EACCES
exit
---
# case: callee_reads_uninit
# type: socket_filter
# expect: accept
r1 = r10
r1 += -16
call f
r0 = 0
exit
f:
r0 = *(u64 *)(r1 + 0)
exit
---
# case: map_lookup_no_null
# type: socket_filter
# map: hash 4 8 16
# expect: reject
# error: R0 invalid mem access 'map_value_or_null'
# insn: 6
# errno: EACCES
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r0 = *(u64 *)(r0 + 0)
r0 = 0
exit
---
# case: loop_cb
# type: socket_filter
# expect: reject
# error: missing btf func_info
# insn: 1
# errno: EINVAL
r1 = 4
r2 = cb ll
r3 = 0
r4 = 0
call 181
r0 = 0
exit
cb:
r0 = 0
exit
---
# case: backedge
# type: socket_filter
# unpriv
# expect: reject
# error: 
# insn: none
# errno: EPERM
r0 = 0
l:
r0 += 1
if r0 < 10 goto l
exit
