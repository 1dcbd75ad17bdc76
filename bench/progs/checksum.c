/* checksum: the Internet checksum (RFC 1071) of the whole packet, 16-bit words in a loop bounded by the packet's
 * end, then the fold: 3 calls a run, the work in the loop. Run on 64 and on 1,500 bytes. */
#include "bench.h"

/* Words of the largest frame summed (a 1,514-byte frame has 757). */
#define MAX_WORDS 760

__u32 result;

/* The packet's 16-bit words summed in host order, and a last odd byte (the sum is byte-order independent). */
static __noinline __u64 sum_words(void *data, void *data_end)
{
	__u16 *word = data;
	__u64 sum = 0;
	__u32 i;

	NO_UNROLL
	for (i = 0; i < MAX_WORDS; i++) {
		if ((void *)(word + 1) > data_end) {
			__u8 *odd = (__u8 *)word;

			if ((void *)(odd + 1) <= data_end)
				sum += *odd;
			break;
		}
		sum += *word;
		word++;
	}
	return sum;
}

static __noinline __u64 add_carries(__u64 sum)
{
	return (sum & 0xffff) + (sum >> 16);
}

static __noinline __u32 fold(__u64 sum)
{
	sum = add_carries(sum);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

SEC("xdp")
int bench_checksum(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	result = fold(sum_words(data, data_end));
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
