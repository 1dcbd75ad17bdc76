/* extern_mismatch.c: calls note_proto with a prototype that differs from stats.c's definition. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern int note_proto(__u64 proto, __u64 weight);

__noinline int note_twice(__u32 proto)
{
	return note_proto(proto, 2) + note_proto(proto, 3);
}
