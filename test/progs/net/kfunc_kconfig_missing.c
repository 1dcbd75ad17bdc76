/* A strong __kconfig extern the kernel's config does not set: libbpf refuses the whole load (ESRCH). */
#include "../progs.h"

extern int CONFIG_TSBPF_MISSING __kconfig;

SEC("xdp")
int xdp_kconfig_missing(struct xdp_md *ctx) {
  return CONFIG_TSBPF_MISSING ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
