/* core_reader.c: a global function with CO-RE relocations (field offset and existence), to check that the
 * linker carries core_relo records with shifted offsets and re-interned access strings. */
#include "../link.h"

struct flow_key___local {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
} __attribute__((preserve_access_index));

__noinline int core_ports(struct flow_key___local *key)
{
	if (!key)
		return 0;
	if (!__builtin_preserve_field_info(key->dport, 2 /* BPF_FIELD_EXISTS */))
		return -1;
	return key->sport + key->dport;
}
