/* tracing: a kprobe and a tracepoint program (loaded and verified only; never attached) whose callees use
 * tracing-safe helpers: pid/tgid, comm, ktime, CPU id, bpf_probe_read_kernel/user, a hash map of per-task
 * counters, a per-CPU histogram and a ringbuf record built across calls. Not test-runnable: the kernel has
 * no BPF_PROG_TEST_RUN for these types, so only loader and verifier see them. */
/* bpf_tracing.h picks the register names of struct pt_regs (from asm/ptrace.h) by target arch. */
#define __TARGET_ARCH_x86
#include "progs.h"
#include <asm/ptrace.h>
#include <bpf/bpf_tracing.h>

#define TASK_COMM_LEN 16

struct task_key {
	__u32 tgid;
	__u32 pid;
};

struct task_stats {
	__u64 calls;
	__u64 first_ns;
	__u64 last_ns;
	char comm[TASK_COMM_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct task_key);
	__type(value, struct task_stats);
} task_calls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 32);
	__type(key, __u32);
	__type(value, __u64);
} size_log2_hist SEC(".maps");

struct open_event {
	__u64 ts_ns;
	__u32 tgid;
	__u32 cpu;
	__s32 dfd;
	__u32 flags;
	char path[32];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8192);
} open_events SEC(".maps");

/* Layout of the syscalls:sys_enter_openat tracepoint record. */
struct sys_enter_openat_args {
	__u64 common;
	__s32 syscall_nr;
	__u32 pad;
	__s64 dfd;
	const char *filename;
	__s64 flags;
	__s64 mode;
};

/* log2 bucket of a size, by halving in a bounded loop. */
static __noinline __u32 log2_bucket(__u64 value)
{
	__u32 bucket = 0;

	NO_UNROLL
	for (int i = 0; i < 31 && value > 1; i++) {
		value >>= 1;
		bucket++;
	}
	return bucket;
}

static __noinline void hist_add(__u64 value)
{
	__u32 bucket = log2_bucket(value);
	__u64 *count = bpf_map_lookup_elem(&size_log2_hist, &bucket);

	if (count)
		*count += 1;
}

/* Per-task call counter: first call records the comm and the start time. */
static __noinline __u64 count_task_call(void)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct task_key key = { .tgid = pid_tgid >> 32, .pid = (__u32)pid_tgid };
	struct task_stats *st = bpf_map_lookup_elem(&task_calls, &key);
	__u64 now = bpf_ktime_get_ns();

	if (st) {
		__sync_fetch_and_add(&st->calls, 1);
		st->last_ns = now;
		return st->calls;
	}

	struct task_stats fresh = { .calls = 1, .first_ns = now, .last_ns = now };

	bpf_get_current_comm(fresh.comm, sizeof(fresh.comm));
	bpf_map_update_elem(&task_calls, &key, &fresh, BPF_NOEXIST);
	return 1;
}

/* Global function with scalar arguments only, as the kernel verifies it on its own. */
__noinline int flags_are_write(__s64 flags)
{
	return (flags & 3) != 0;
}

static __noinline void fill_open_event(struct open_event *ev, __s64 dfd, const char *user_path, __s64 flags)
{
	ev->ts_ns = bpf_ktime_get_ns();
	ev->tgid = bpf_get_current_pid_tgid() >> 32;
	ev->cpu = bpf_get_smp_processor_id();
	ev->dfd = (__s32)dfd;
	ev->flags = (__u32)flags;
	if (bpf_probe_read_user_str(ev->path, sizeof(ev->path), user_path) < 0)
		ev->path[0] = 0;
}

SEC("tracepoint/syscalls/sys_enter_openat")
int trace_openat(struct sys_enter_openat_args *args)
{
	struct open_event *ev;

	count_task_call();
	if (!flags_are_write(args->flags))
		return 0;
	ev = bpf_ringbuf_reserve(&open_events, sizeof(*ev), 0);
	if (!ev)
		return 0;
	fill_open_event(ev, args->dfd, args->filename, args->flags);
	bpf_ringbuf_submit(ev, 0);
	return 0;
}

/* kprobe on vfs_write(file, buf, count, pos): histogram of write sizes per CPU. */
SEC("kprobe/vfs_write")
int kprobe_vfs_write(struct pt_regs *ctx)
{
	__u64 count = PT_REGS_PARM3(ctx);
	__u64 pos = 0;
	void *ppos = (void *)PT_REGS_PARM4(ctx);

	if (ppos)
		bpf_probe_read_kernel(&pos, sizeof(pos), ppos);
	hist_add(count);
	if (count_task_call() == 1)
		hist_add(pos);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
