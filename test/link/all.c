/* all.c: the whole split corpus as one translation unit, the single-object build the linked objects are
 * compared with. */
#define LINK_ONE_UNIT
#include "parse.c"
#include "stats.c"
#include "xdp_main.c"
#include "tc_main.c"
