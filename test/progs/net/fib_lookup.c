/* fib_lookup: bpf_fib_lookup with caller-chosen parameters, from tc and from XDP. The packet carries the whole
 * struct bpf_fib_lookup (bytes 0..63) and the flags (a u32 at 64); the program copies the struct to its stack,
 * calls the helper, then writes the struct back over bytes 0..63 and the helper's answer (an s64) at 72, so one
 * run shows everything the kernel wrote on success and on each failure. Returns the answer's low 32 bits. */
#include "../progs.h"

#define FIB_PARAMS_SIZE sizeof(struct bpf_fib_lookup)

struct fib_request {
	struct bpf_fib_lookup params;
	__u32 flags;
	__u32 pad;
	__s64 answer;
};

static __always_inline int lookup(void *ctx, void *data, void *data_end)
{
	struct fib_request *request = data;
	struct bpf_fib_lookup params;
	long answer;

	if ((void *)(request + 1) > data_end)
		return -1;
	__builtin_memcpy(&params, &request->params, FIB_PARAMS_SIZE);
	answer = bpf_fib_lookup(ctx, &params, FIB_PARAMS_SIZE, request->flags);
	__builtin_memcpy(&request->params, &params, FIB_PARAMS_SIZE);
	request->answer = answer;
	return (int)answer;
}

SEC("tc")
int tc_fib_lookup(struct __sk_buff *skb)
{
	return lookup(skb, (void *)(long)skb->data, (void *)(long)skb->data_end);
}

SEC("xdp")
int xdp_fib_lookup(struct xdp_md *xdp)
{
	return lookup(xdp, (void *)(long)xdp->data, (void *)(long)xdp->data_end);
}

char LICENSE[] SEC("license") = "GPL";
