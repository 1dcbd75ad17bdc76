// The context access tables: kernel rules spelled out on examples (the kernel comparison is in test/integration).
import { describe, expect, it } from 'vitest';
import {
  type AccessSize,
  type ContextAccessRequest,
  contextAccess,
  contextSize,
  effectiveAttachType,
  PROGRAM_CONTEXTS,
} from './context-access.js';
import { CONTEXT_STRUCTS } from './context-structs.js';
import type { ProgramTypeName } from './program-types.js';

const access = (type: ProgramTypeName, request: ContextAccessRequest) => contextAccess(type, request);
const read = (
  type: ProgramTypeName,
  offset: number,
  size: AccessSize,
  extra: Partial<ContextAccessRequest> = {},
) => access(type, { offset, size, source: 'ldx', ...extra });
const write = (
  type: ProgramTypeName,
  offset: number,
  size: AccessSize,
  extra: Partial<ContextAccessRequest> = {},
) => access(type, { offset, size, source: 'stx', ...extra });
const allowed = (result: ReturnType<typeof contextAccess>) => result.ok;

describe('context access tables', () => {
  it('refuse with the kernel message, naming offset and size', () => {
    expect(read('socket_filter', 76, 4)).toEqual({
      ok: false,
      message: 'invalid bpf_context access off=76 size=4',
    });
    expect(read('sched_cls', -4, 4)).toEqual({
      ok: false,
      message: 'invalid bpf_context access off=-4 size=4',
    });
    expect(read('sched_cls', 192, 4)).toEqual({
      ok: false,
      message: 'invalid bpf_context access off=192 size=4',
    });
  });

  it('allow narrow loads where the kernel does, and only aligned ones', () => {
    expect(read('socket_filter', 2, 2)).toMatchObject({ ok: true, rule: { field: 'len' } });
    expect(allowed(read('socket_filter', 1, 2))).toBe(false);
    expect(allowed(read('socket_filter', 0, 8))).toBe(false);
    expect(allowed(read('sk_msg', 17, 1))).toBe(false); // sk_msg_md: whole fields only
    expect(allowed(read('cgroup_skb', 100, 4))).toBe(true); // remote_ip6 word by word
    expect(allowed(read('cgroup_skb', 100, 2))).toBe(false);
    // bpf_sock family: 1, 2 or 4 bytes, at its start only
    expect(allowed(read('cgroup_sock', 4, 1))).toBe(true);
    expect(allowed(read('cgroup_sock', 5, 1))).toBe(false);
    // bpf_sock dst_port: a __be16 read narrowly or as a u32 with its padding
    expect([48, 49, 50, 51].map((offset) => allowed(read('cgroup_sock', offset, 1)))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(allowed(read('cgroup_sock', 48, 4))).toBe(true);
  });

  it('give the kernel register type of pointer loads', () => {
    expect(read('sched_cls', 76, 4)).toMatchObject({ ok: true, loadType: 'PTR_TO_PACKET' });
    expect(read('sched_cls', 140, 4)).toMatchObject({ ok: true, loadType: 'PTR_TO_PACKET_META' });
    expect(read('xdp', 4, 4)).toMatchObject({ ok: true, loadType: 'PTR_TO_PACKET_END' });
    expect(read('socket_filter', 168, 8)).toMatchObject({ loadType: 'PTR_TO_SOCK_COMMON_OR_NULL' });
    expect(read('flow_dissector', 144, 8)).toMatchObject({ loadType: 'PTR_TO_FLOW_KEYS' });
    expect(read('sk_lookup', 0, 8)).toMatchObject({ loadType: 'PTR_TO_SOCKET_OR_NULL' });
    expect(read('sock_ops', 184, 8)).toMatchObject({ loadType: 'PTR_TO_SOCKET_OR_NULL' });
    expect(read('sk_msg', 72, 8)).toMatchObject({ loadType: 'PTR_TO_SOCKET' });
    expect(read('sk_reuseport', 48, 8, { expectedAttachType: 'sk_reuseport_select' })).toMatchObject({
      loadType: 'PTR_TO_SOCK_COMMON_OR_NULL',
    });
    expect(read('raw_tracepoint_writable', 0, 8)).toMatchObject({ loadType: 'PTR_TO_TP_BUFFER' });
    expect(read('sched_cls', 0, 4)).not.toHaveProperty('loadType');
  });

  it('treat BPF_ST like BPF_STX, and refuse every atomic on ctx', () => {
    for (const offset of [8, 48, 0, 76]) {
      const stx = write('sched_cls', offset, 4);
      const st = access('sched_cls', { offset, size: 4, source: 'st' });
      expect(st).toEqual(stx);
    }
    expect(access('sched_cls', { offset: 8, size: 4, source: 'atomic' })).toEqual({
      ok: false,
      message: 'BPF_ATOMIC stores into R1 ctx is not allowed',
    });
    expect(access('syscall', { offset: 0, size: 8, source: 'load_acquire', register: 6 })).toEqual({
      ok: false,
      message: 'BPF_ATOMIC loads from R6 ctx is not allowed',
    });
    // store-release: alignment first, then the access as a store, then the refusal
    expect(access('sched_cls', { offset: 10, size: 4, source: 'store_release' })).toEqual({
      ok: false,
      message: 'misaligned context access off 0+0+10 size 4',
    });
    expect(access('sched_cls', { offset: 0, size: 4, source: 'store_release' })).toEqual({
      ok: false,
      message: 'invalid bpf_context access off=0 size=4',
    });
    expect(access('sched_cls', { offset: 8, size: 4, source: 'store_release' })).toEqual({
      ok: false,
      message: 'BPF_ATOMIC stores into R1 ctx is not allowed',
    });
  });

  it('refuse sign-extending loads of pointer fields only', () => {
    expect(allowed(access('sched_cls', { offset: 76, size: 4, source: 'ldxsx' }))).toBe(false);
    expect(allowed(access('sched_cls', { offset: 0, size: 4, source: 'ldxsx' }))).toBe(true);
    expect(allowed(access('sched_cls', { offset: 1, size: 1, source: 'ldxsx' }))).toBe(true);
  });

  it('follow the expected attach type', () => {
    expect(allowed(read('xdp', 20, 4))).toBe(false);
    expect(allowed(read('xdp', 20, 4, { expectedAttachType: 'xdp_devmap' }))).toBe(true);
    const sockAddr = (
      attach: 'cgroup_inet4_connect' | 'cgroup_inet6_connect' | 'cgroup_udp6_sendmsg' | 'cgroup_unix_connect',
      offset: number,
      size: AccessSize,
    ) => allowed(write('cgroup_sock_addr', offset, size, { expectedAttachType: attach }));
    expect(sockAddr('cgroup_inet4_connect', 4, 4)).toBe(true); // user_ip4
    expect(sockAddr('cgroup_inet6_connect', 4, 4)).toBe(false);
    expect(sockAddr('cgroup_inet6_connect', 16, 8)).toBe(true); // user_ip6, 8 bytes wide
    expect(sockAddr('cgroup_udp6_sendmsg', 48, 8)).toBe(true); // msg_src_ip6
    expect(sockAddr('cgroup_inet6_connect', 48, 8)).toBe(false);
    expect(sockAddr('cgroup_unix_connect', 24, 4)).toBe(true); // user_port
    expect(sockAddr('cgroup_unix_connect', 4, 4)).toBe(false);
    expect(allowed(write('cgroup_sockopt', 36, 4, { expectedAttachType: 'cgroup_getsockopt' }))).toBe(true);
    expect(allowed(read('cgroup_sockopt', 36, 4, { expectedAttachType: 'cgroup_setsockopt' }))).toBe(false);
    expect(allowed(write('cgroup_sockopt', 24, 4, { expectedAttachType: 'cgroup_setsockopt' }))).toBe(true);
  });

  it('make a cgroup_sock program without an attach type a sock_create one, as the kernel does', () => {
    expect(effectiveAttachType('cgroup_sock', undefined)).toBe('cgroup_inet_sock_create');
    expect(effectiveAttachType('cgroup_sock', 'cgroup_inet_ingress')).toBe('cgroup_inet_sock_create');
    expect(effectiveAttachType('cgroup_sock', 'cgroup_inet4_post_bind')).toBe('cgroup_inet4_post_bind');
    expect(allowed(write('cgroup_sock', 16, 4))).toBe(true); // mark
    expect(allowed(write('cgroup_sock', 16, 4, { expectedAttachType: 'cgroup_inet4_post_bind' }))).toBe(
      false,
    );
  });

  it('hide cgroup_skb packet pointers and tstamp stores without CAP_BPF', () => {
    expect(allowed(read('cgroup_skb', 76, 4))).toBe(true);
    expect(allowed(read('cgroup_skb', 76, 4, { capBpf: false }))).toBe(false);
    expect(allowed(write('cgroup_skb', 152, 8, { capBpf: false }))).toBe(false);
    expect(allowed(read('cgroup_skb', 152, 8, { capBpf: false }))).toBe(true);
    expect(allowed(write('cgroup_skb', 152, 8))).toBe(true);
  });

  it('bound raw buffer contexts as the kernel does', () => {
    expect(allowed(read('kprobe', 160, 8))).toBe(true);
    expect(allowed(read('kprobe', 164, 8))).toBe(false);
    expect(allowed(write('kprobe', 0, 8))).toBe(false);
    expect(allowed(read('raw_tracepoint', 88, 8))).toBe(true);
    expect(allowed(read('raw_tracepoint', 96, 8))).toBe(false);
    // raw_tracepoint_writable: offset 0 is the buffer pointer, loaded whole
    expect(allowed(read('raw_tracepoint_writable', 0, 4))).toBe(false);
    expect(allowed(read('raw_tracepoint_writable', 4, 4))).toBe(true);
    // tracepoint: the 8-byte common header is hidden; negative offsets slip through (6.18 compares them unsigned)
    expect(allowed(read('tracepoint', 0, 8))).toBe(false);
    expect(allowed(read('tracepoint', 8184, 8))).toBe(true);
    expect(allowed(read('tracepoint', 8192, 1))).toBe(false);
    expect(allowed(read('tracepoint', -8, 8))).toBe(true);
    expect(allowed(read('tracepoint', -7, 2))).toBe(false);
    expect(allowed(write('tracepoint', 8, 8))).toBe(false);
    // syscall: loads and stores anywhere below U16_MAX
    expect(allowed(write('syscall', 32760, 8))).toBe(true);
    expect(allowed(read('syscall', -8, 8))).toBe(false);
    expect(contextSize('syscall')).toBe(0xffff);
  });

  it('refuse everything for program types without a table', () => {
    expect(read('tracing', 0, 8)).toEqual({ ok: false, message: 'invalid bpf_context access off=0 size=8' });
    expect(contextSize('tracing')).toBeUndefined();
  });

  it('keep every struct rule inside its struct, and sizes equal to the struct sizes', () => {
    let rules = 0;
    for (const context of Object.values(PROGRAM_CONTEXTS)) {
      if (!(context.struct in CONTEXT_STRUCTS)) continue;
      const struct = CONTEXT_STRUCTS[context.struct as keyof typeof CONTEXT_STRUCTS];
      expect(context.size).toBe(struct.size);
      for (const rule of context.rules) {
        const field = struct.fields.find((candidate) => candidate.name === rule.field);
        expect(field, `${context.struct}.${rule.field}`).toMatchObject({
          offset: rule.offset,
          size: rule.size,
        });
        rules++;
      }
    }
    expect(rules).toBeGreaterThan(150);
  });
});
