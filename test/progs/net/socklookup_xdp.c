/* socklookup_xdp: socket lookups from XDP (the receiving device is the one bound sockets must match; the netns id
 * is a u32 here); see socklookup.h. */
#include "socklookup.h"

SEC("xdp")
int xdp_socklookup(struct xdp_md *ctx)
{
	return socklookup(ctx, (void *)(long)ctx->data, (void *)(long)ctx->data_end);
}

char LICENSE[] SEC("license") = "GPL";
