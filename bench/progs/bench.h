/* Shared includes and macros of the benchmark programs in bench/progs. */
#ifndef TSBPF_BENCH_H
#define TSBPF_BENCH_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

/* Keeps a bounded loop a real loop (a back edge for the verifier and the engines) instead of unrolled code. */
#define NO_UNROLL _Pragma("clang loop unroll(disable)")

#endif
