/* stats.c: owns the maps (flow_stats strong, proto_counts weak) and counts what the parser found. */
#include "link.h"

struct flow_stats_map flow_stats SEC(".maps");
struct proto_counts_map proto_counts SEC(".maps") __weak;

__u64 stats_calls;
__u32 stats_scale = 2;

static __noinline void bump(__u64 *counter, __u64 by)
{
	__sync_fetch_and_add(counter, by);
}

__noinline int note_proto(__u32 proto)
{
	__u32 slot = proto & 0xff;
	__u64 *count = bpf_map_lookup_elem(&proto_counts, &slot);

	stats_calls++;
	if (!count)
		return 0;
	bump(count, 1);
	return (int)*count;
}

__noinline int record_flow(struct flow_key *key, __u32 len)
{
	struct flow_counters fresh = {}, *counters;

	if (!key)
		return 0;
	counters = bpf_map_lookup_elem(&flow_stats, key);
	if (!counters) {
		bpf_map_update_elem(&flow_stats, key, &fresh, BPF_NOEXIST);
		counters = bpf_map_lookup_elem(&flow_stats, key);
		if (!counters)
			return 0;
	}
	bump(&counters->packets, 1);
	bump(&counters->bytes, (__u64)len * stats_scale);
	return (int)counters->packets;
}
