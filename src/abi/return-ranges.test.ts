// Exit ranges per program type and attach type (the kernel comparison is in test/integration).
import { describe, expect, it } from 'vitest';
import { returnNotScalarMessage, returnOutOfRangeMessage, returnRange } from './return-ranges.js';

describe('return ranges', () => {
  it('bound cgroup programs, with the attach type deciding', () => {
    expect(returnRange('cgroup_skb')).toEqual({ min: 0, max: 1 });
    expect(returnRange('cgroup_skb', 'cgroup_inet_ingress')).toEqual({ min: 0, max: 1 });
    expect(returnRange('cgroup_skb', 'cgroup_inet_egress')).toEqual({ min: 0, max: 3 });
    expect(returnRange('cgroup_sock_addr', 'cgroup_inet6_bind')).toEqual({ min: 0, max: 3 });
    expect(returnRange('cgroup_sock_addr', 'cgroup_udp4_recvmsg')).toEqual({ min: 1, max: 1 });
    expect(returnRange('cgroup_sock_addr', 'cgroup_unix_getsockname')).toEqual({ min: 1, max: 1 });
    expect(returnRange('cgroup_sock_addr', 'cgroup_inet4_connect')).toEqual({ min: 0, max: 1 });
    expect(returnRange('sk_lookup', 'sk_lookup')).toEqual({ min: 0, max: 1 });
    expect(returnRange('kprobe', 'trace_kprobe_session')).toEqual({ min: 0, max: 1 });
  });
  it('leave the others unbounded', () => {
    for (const type of ['socket_filter', 'sched_cls', 'xdp', 'kprobe', 'syscall', 'sk_reuseport'] as const)
      expect(returnRange(type)).toBeUndefined();
  });
  it('word their refusals as the kernel does', () => {
    expect(returnOutOfRangeMessage('smin=2 smax=2', { min: 0, max: 1 })).toBe(
      'At program exit the register R0 has smin=2 smax=2 should have been in [0, 1]',
    );
    expect(returnNotScalarMessage('ctx')).toBe('At program exit the register R0 is not a known value (ctx)');
  });
});
