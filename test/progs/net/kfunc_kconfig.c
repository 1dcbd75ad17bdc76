/* __kconfig externs of every kind libbpf fills: libbpf's virtual LINUX_* values, bool, tristate, char, integers
 * of 1, 4 and 8 bytes (decimal and hex in the config), a char array, and weak externs the config lacks. An XDP
 * program copies them into .bss and folds them into its return value. */
#include <stdbool.h>
#include "../progs.h"

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern bool LINUX_HAS_BPF_COOKIE __kconfig;
extern int LINUX_TSBPF_UNKNOWN __kconfig __weak;
extern bool CONFIG_BPF_SYSCALL __kconfig;
extern enum libbpf_tristate CONFIG_NF_CONNTRACK __kconfig;
extern enum libbpf_tristate CONFIG_TSBPF_TRISTATE __kconfig __weak;
extern char CONFIG_BPF_JIT __kconfig;
extern int CONFIG_HZ __kconfig;
extern unsigned char CONFIG_PGTABLE_LEVELS __kconfig;
extern unsigned long long CONFIG_ILLEGAL_POINTER_VALUE __kconfig;
extern char CONFIG_DEFAULT_HOSTNAME[8] __kconfig;
extern int CONFIG_TSBPF_NOT_SET __kconfig __weak;
extern bool CONFIG_TSBPF_BOOL __kconfig __weak;

struct seen {
  unsigned long long illegal_pointer;
  unsigned int version;
  int hz;
  int not_set;
  int linux_unknown;
  int tristate;
  int tsbpf_tristate;
  char hostname[8];
  unsigned char cookie, bpf_syscall, jit, pgtable_levels, tsbpf_bool;
};

struct seen seen;

SEC("xdp")
int xdp_kconfig(struct xdp_md *ctx) {
  seen.illegal_pointer = CONFIG_ILLEGAL_POINTER_VALUE;
  seen.version = LINUX_KERNEL_VERSION;
  seen.hz = CONFIG_HZ;
  seen.not_set = CONFIG_TSBPF_NOT_SET;
  seen.linux_unknown = LINUX_TSBPF_UNKNOWN;
  seen.tristate = CONFIG_NF_CONNTRACK;
  seen.tsbpf_tristate = CONFIG_TSBPF_TRISTATE;
  __builtin_memcpy(seen.hostname, CONFIG_DEFAULT_HOSTNAME, sizeof(seen.hostname));
  seen.cookie = LINUX_HAS_BPF_COOKIE;
  seen.bpf_syscall = CONFIG_BPF_SYSCALL;
  seen.jit = CONFIG_BPF_JIT;
  seen.pgtable_levels = CONFIG_PGTABLE_LEVELS;
  seen.tsbpf_bool = CONFIG_TSBPF_BOOL;
  if (LINUX_KERNEL_VERSION < KERNEL_VERSION(5, 0, 0)) return XDP_ABORTED;
  if (CONFIG_TSBPF_BOOL) return XDP_TX;
  return CONFIG_HZ >= 1000 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
