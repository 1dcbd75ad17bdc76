/* kconfig_user.c: an extern the loader resolves from the kernel (kconfig); the linker keeps it unresolved. */
#include "../link.h"

extern unsigned int LINUX_KERNEL_VERSION __kconfig;

SEC("xdp")
int xdp_kernel_version(struct xdp_md *ctx)
{
	return LINUX_KERNEL_VERSION > 0 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
