/* empty: the per-run cost of a test run and nothing else. */
#include "bench.h"

SEC("xdp")
int bench_empty(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
