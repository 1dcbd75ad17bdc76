// Numeric limits of the BPF ABI and verifier (Linux 6.18), named as in the kernel.

/** Bytes of stack for one call chain (kernel: MAX_BPF_STACK). */
export const MAX_BPF_STACK = 512;
/** Frames in a call chain, the main program included (kernel: MAX_CALL_FRAMES). */
export const MAX_CALL_FRAMES = 8;
/** Instructions of a program loaded without CAP_BPF/CAP_SYS_ADMIN (kernel: BPF_MAXINSNS). */
export const BPF_MAXINSNS = 4096;
/** Instructions the verifier may process, and the instruction cap for privileged loads (kernel: BPF_COMPLEXITY_LIMIT_INSNS). */
export const BPF_COMPLEXITY_LIMIT_INSNS = 1_000_000;
/** Jump sequence depth of the verifier's pending-branch stack (kernel: BPF_COMPLEXITY_LIMIT_JMP_SEQ). */
export const BPF_COMPLEXITY_LIMIT_JMP_SEQ = 8192;
/** Functions in one program: main program plus subprograms (kernel: BPF_MAX_SUBPROGS). */
export const BPF_MAX_SUBPROGS = 256;
/** Tail calls one program run may chain (kernel: MAX_TAIL_CALL_CNT). */
export const MAX_TAIL_CALL_CNT = 33;
/** Length of program and map names, NUL included (kernel: BPF_OBJ_NAME_LEN). */
export const BPF_OBJ_NAME_LEN = 16;
/** Bytes of a program tag (kernel: BPF_TAG_SIZE). */
export const BPF_TAG_SIZE = 8;
/** Registers r0..r10 (kernel: MAX_BPF_REG). */
export const MAX_BPF_REG = 11;
/** Arguments a helper takes in registers (kernel: MAX_BPF_FUNC_REG_ARGS). */
export const MAX_BPF_FUNC_REG_ARGS = 5;
/** Arguments a BTF function may declare (kernel: MAX_BPF_FUNC_ARGS). */
export const MAX_BPF_FUNC_ARGS = 12;
/** Distinct maps one program may use (kernel: MAX_USED_MAPS). */
export const MAX_USED_MAPS = 64;
/** Iterations bpf_loop() accepts, and a function's may_goto budget where it is a count (kernel: BPF_MAX_LOOPS). */
export const BPF_MAX_LOOPS = 8 * 1024 * 1024;
/**
 * Stack bytes the kernel adds to a function that uses may_goto (do_misc_fixups' stack_depth_extra): 16 on x86-64
 * and arm64, whose JITs keep a count and a start time (timed may_goto); 8 where the budget is a count alone.
 */
export const MAY_GOTO_STACK_EXTRA = 16;
/** Largest variable offset/size the verifier tracks on pointers (kernel: BPF_MAX_VAR_OFF, BPF_MAX_VAR_SIZ). */
export const BPF_MAX_VAR_OFF = 1 << 29;
export const BPF_MAX_VAR_SIZ = 1 << 29;
/** Verifier log levels (kernel: BPF_LOG_LEVEL1, BPF_LOG_LEVEL2, BPF_LOG_STATS, BPF_LOG_FIXED). */
export const BPF_LOG_LEVEL1 = 1;
export const BPF_LOG_LEVEL2 = 2;
export const BPF_LOG_STATS = 4;
export const BPF_LOG_FIXED = 8;
/** Largest log buffer (kernel: len_total > UINT_MAX >> 2 is EINVAL). */
export const BPF_LOG_MAX_SIZE = 0xffffffff >>> 2;
