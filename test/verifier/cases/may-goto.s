# case: may_goto_counted_loop
# A loop with both a bound and a may_goto: the bound is proven, the budget is the way out too.
# type: socket_filter
# expect: accept
r0 = 0
l:
may_goto out
r0 += 1
if r0 < 100 goto l
out:
exit
---
# case: may_goto_loop_without_progress
# Nothing changes from one pass to the next: the fall-through is one may_goto deeper, so no infinite loop.
# type: socket_filter
# expect: accept
r0 = 0
l:
may_goto out
goto l
out:
exit
---
# case: may_goto_to_itself
# The jump is explored first and comes back to the may_goto at the same depth with the same state.
# type: socket_filter
# expect: reject
# error: infinite loop detected at insn 1
# insn: 1
# errno: EINVAL
r0 = 0
l:
may_goto l
exit
---
# case: may_goto_offset_zero
# `may_goto +0` goes on either way; the kernel removes it before giving the function its budget slots.
# type: socket_filter
# expect: accept
r0 = 0
may_goto +0
exit
---
# case: may_goto_r0_set_only_in_loop
# The jump out is explored first: r0 was never written on that path.
# type: socket_filter
# expect: reject
# error: R0 !read_ok
# insn: 3
# errno: EACCES
l:
may_goto out
r0 = 1
goto l
out:
exit
---
# case: may_goto_widened_counter_reaches_error
# The counter is widened after two passes (imprecise, changed), so the branch on it goes both ways.
# type: socket_filter
# expect: reject
# error: R3 !read_ok
# insn: 5
# errno: EACCES
r6 = 0
l:
may_goto out
r6 += 1
if r6 > 10 goto bad
goto l
bad:
r0 = r3
exit
out:
r0 = 0
exit
---
# case: may_goto_precise_counter_bounds_access
# The counter indexes the stack after the loop: a precise scalar is not widened, so each pass is walked.
# type: socket_filter
# expect: reject
# error: invalid read from stack R1 off=0 size=8
# insn: 11
# errno: EACCES
r1 = 0
*(u64 *)(r10 - 8) = r1
*(u64 *)(r10 - 16) = r1
r6 = 0
l:
may_goto out
r6 += 1
if r6 < 2 goto l
out:
r1 = r10
r1 += -16
r6 <<= 3
r1 += r6
r0 = *(u64 *)(r1 + 0)
exit
---
# case: may_goto_pointer_walks_off_the_stack
# A pointer is never widened: every pass moves it 8 bytes down until it leaves the 512-byte stack.
# type: socket_filter
# expect: reject
# error: invalid write to stack R1 off=-520 size=8
# insn: 4
# errno: EACCES
r1 = r10
l:
may_goto out
r1 += -8
r2 = 0
*(u64 *)(r1 + 0) = r2
goto l
out:
r0 = 0
exit
---
# case: may_goto_nested_loops
# type: socket_filter
# expect: accept
r0 = 0
outer:
may_goto done
r1 = 0
inner:
may_goto next
r1 += 1
r0 += r1
goto inner
next:
goto outer
done:
r0 = 0
exit
---
# case: may_goto_in_main_and_callee
# Each function using may_goto gets its own budget slots (stack depth of both grows).
# type: socket_filter
# expect: accept
r6 = 0
l:
may_goto out
call f
r6 += r0
goto l
out:
r0 = r6
exit
f:
r0 = 0
m:
may_goto ret
r0 += 1
goto m
ret:
exit
---
# case: may_goto_callee_called_twice
# type: socket_filter
# expect: accept
call f
r6 = r0
call f
r0 += r6
exit
f:
r1 = 0
*(u64 *)(r10 - 8) = r1
r0 = 0
l:
may_goto out
r0 += 1
goto l
out:
exit
---
# case: may_goto_callee_reads_caller_stack
# The callee loops over a pointer into its caller's stack.
# type: socket_filter
# expect: accept
r1 = 7
*(u64 *)(r10 - 8) = r1
r1 = r10
r1 += -8
call f
exit
f:
r0 = 0
l:
may_goto out
r2 = *(u64 *)(r1 + 0)
r0 += r2
goto l
out:
exit
---
# case: may_goto_callee_writes_past_caller_stack
# The pointer into the caller's stack moves up each pass: the write leaves the frame.
# type: socket_filter
# expect: reject
# error: invalid write to stack R1 off=0 size=8
# insn: 9
# errno: EACCES
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = r10
r1 += -8
call f
r0 = 0
exit
f:
l:
may_goto out
r2 = 0
*(u64 *)(r1 + 0) = r2
r1 += 8
goto l
out:
exit
---
# case: may_goto_state_freq
# type: socket_filter
# flags: test_state_freq
# expect: accept
r0 = 0
r1 = 0
l:
may_goto out
r0 += 1
r1 += 2
goto l
out:
exit
---
# case: may_goto_loop_with_map_lookup
# type: socket_filter
# map: array 4 8 4
# expect: accept
r6 = 0
l:
may_goto out
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
if r0 == 0 goto l
r1 = *(u64 *)(r0 + 0)
r6 += r1
goto l
out:
r0 = r6
exit
---
# case: may_goto_loop_array_lookup_without_null_check
# A lookup of a constant key inside an array's bounds cannot fail (Linux 6.18 knows it): no null check needed.
# type: socket_filter
# map: array 4 8 4
# expect: accept
r6 = 0
l:
may_goto out
r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map0 ll
call 1
r1 = *(u64 *)(r0 + 0)
r6 += r1
goto l
out:
r0 = r6
exit
---
# case: may_goto_in_conditional_branch
# type: socket_filter
# expect: accept
r0 = *(u32 *)(r1 + 0)
if r0 > 100 goto big
r0 = 0
exit
big:
r2 = 0
l:
may_goto out
r2 += 1
goto l
out:
r0 = r2
exit
---
# case: may_goto_in_subprog_stack_near_limit
# The budget slots are added after the combined stack check: 512 bytes of stack plus may_goto still load.
# type: socket_filter
# expect: accept
call f
exit
f:
r1 = 0
*(u64 *)(r10 - 512) = r1
r0 = 0
l:
may_goto out
r0 += 1
goto l
out:
exit
---
# case: may_goto_pointer_leak_return
# Privileged programs may return a pointer; the loop changes nothing about it.
# type: socket_filter
# expect: accept
r0 = r1
l:
may_goto out
goto l
out:
exit
---
# case: may_goto_packet_pointer_walk_too_complex
# A packet pointer moving one byte per pass is never widened: each pass is a new state, until the pending
# fall-throughs pass the kernel's 8192 and it gives up (the message counts the branch being pushed).
# type: sched_cls
# expect: reject
# error: The sequence of 8193 jumps is too complex.
# insn: 2
# errno: E2BIG
r2 = *(u32 *)(r1 + 76)
r3 = *(u32 *)(r1 + 80)
l:
may_goto out
r4 = r2
r4 += 1
if r4 > r3 goto out
r2 += 1
goto l
out:
r0 = 0
exit
