/* socklookup_tc: socket lookups from tc (the skb's device is the one bound sockets must match); see socklookup.h. */
#define SOCKLOOKUP_VIEWS
#include "socklookup.h"

SEC("tc")
int tc_socklookup(struct __sk_buff *skb)
{
	return socklookup(skb, (void *)(long)skb->data, (void *)(long)skb->data_end);
}

char LICENSE[] SEC("license") = "GPL";
