/* weak_note.c: a weak note_proto that stats.c's strong definition overrides in every link order. */
#include "../link.h"

__u32 weak_note_calls;

__attribute__((weak)) __noinline int note_proto(__u32 proto)
{
	weak_note_calls++;
	return 1000 + proto;
}
