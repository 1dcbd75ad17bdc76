/* map_conflict.c: declares proto_counts weak like xdp_main.c but with a 64-bit key, which conflicts with
 * stats.c's definition. */
#include "../link.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u64);
	__type(value, __u64);
	__uint(max_entries, 256);
} proto_counts SEC(".maps") __weak;
