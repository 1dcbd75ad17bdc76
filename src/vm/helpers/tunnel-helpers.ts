// Tunnel metadata helpers (bpf_skb_get/set_tunnel_key/opt): test-run skbs carry none until a program sets a
// key, which then reads back as the kernel's metadata dst gives it (remote and local swapped, flags as TUNNEL_*).

import type { HelperCall } from '../runtime.js';
import { skbOf } from './skb-common.js';
import { errno, pointerArg, readArg, result, u32 } from './helper-call.js';

/** struct bpf_tunnel_key (uapi): its size and the older sizes the kernel still takes. */
const TUNNEL_KEY_SIZE = 44;
const TUNNEL_KEY_OLD_SIZES = new Set([28, 24, 22]);
const TUNNEL_KEY_IPV4_ONLY_SIZE = 8;
const BPF_F_TUNINFO_IPV6 = 1n;
const BPF_F_TUNINFO_FLAGS = 1n << 4n;
const BPF_F_ZERO_CSUM_TX = 1n << 1n;
const BPF_F_DONT_FRAGMENT = 1n << 2n;
const BPF_F_SEQ_NUMBER = 1n << 3n;
const BPF_F_NO_TUNNEL_KEY = 1n << 4n;
/** Kernel TUNNEL_* flag values as bpf_tunnel_key.tunnel_flags reports them. */
const TUNNEL_CSUM = 0x01;
const TUNNEL_KEY = 0x04;
const TUNNEL_SEQ = 0x08;
const TUNNEL_DONT_FRAGMENT = 0x0100;
const TUNNEL_NOCACHE = 0x2000;
const TUNNEL_GENEVE_OPT = 0x0800;
const TUNNEL_VXLAN_OPT = 0x1000;
const TUNNEL_ERSPAN_OPT = 0x4000;
const TUNNEL_GTP_OPT = 0x8000;
const TUNNEL_OPTIONS_PRESENT = TUNNEL_GENEVE_OPT | TUNNEL_VXLAN_OPT | TUNNEL_ERSPAN_OPT | TUNNEL_GTP_OPT;
/** Kernel IP_TUNNEL_OPTS_MAX: options_len is a u8. */
const TUNNEL_OPTS_MAX = 255;

export function skbGetTunnelKey(call: HelperCall): bigint {
  const skb = skbOf(call, 'skb_get_tunnel_key');
  const size = u32(call.args[2]);
  const flags = call.args[3];
  const to = pointerArg(call, 'skb_get_tunnel_key', 1, size);
  const memory = call.vm.memory;
  const fail = (code: 'EINVAL' | 'EPROTO'): bigint => {
    memory.fill(to, size);
    return errno(code);
  };
  const info = skb.tunnel;
  if (info === undefined || (flags & ~(BPF_F_TUNINFO_IPV6 | BPF_F_TUNINFO_FLAGS)) !== 0n)
    return fail('EINVAL');
  const ipv6 = (flags & BPF_F_TUNINFO_IPV6) !== 0n;
  if (info.ipv6 !== ipv6) return fail('EPROTO');
  if (size !== TUNNEL_KEY_SIZE && !TUNNEL_KEY_OLD_SIZES.has(size)) {
    if (size !== TUNNEL_KEY_IPV4_ONLY_SIZE || info.ipv6) return fail('EINVAL');
  }
  const key = new Uint8Array(TUNNEL_KEY_SIZE);
  const view = new DataView(key.buffer);
  view.setUint32(0, Number(info.id & 0xffff_ffffn), true);
  key[20] = info.tos;
  key[21] = info.ttl;
  if (flags & BPF_F_TUNINFO_FLAGS) view.setUint16(22, info.flags, false);
  if (ipv6) {
    key.set(info.source, 4);
    key.set(info.destination, 28);
    view.setUint32(24, info.label, true);
  } else {
    view.setUint32(4, new DataView(info.source.buffer).getUint32(0, false), true);
    view.setUint32(28, new DataView(info.destination.buffer).getUint32(0, false), true);
  }
  memory.write(to, key.subarray(0, size));
  return 0n;
}

export function skbSetTunnelKey(call: HelperCall): bigint {
  const skb = skbOf(call, 'skb_set_tunnel_key');
  const size = u32(call.args[2]);
  const flags = call.args[3];
  const given = readArg(call, 'skb_set_tunnel_key', 1, size);
  const known =
    BPF_F_TUNINFO_IPV6 | BPF_F_ZERO_CSUM_TX | BPF_F_DONT_FRAGMENT | BPF_F_SEQ_NUMBER | BPF_F_NO_TUNNEL_KEY;
  if ((flags & ~known) !== 0n) return errno('EINVAL');
  if (size !== TUNNEL_KEY_SIZE && !TUNNEL_KEY_OLD_SIZES.has(size) && size !== TUNNEL_KEY_IPV4_ONLY_SIZE) {
    return errno('EINVAL');
  }
  const key = new Uint8Array(TUNNEL_KEY_SIZE);
  key.set(given.subarray(0, Math.min(size, TUNNEL_KEY_SIZE)));
  const view = new DataView(key.buffer);
  const ipv6 = (flags & BPF_F_TUNINFO_IPV6) !== 0n;
  const label = view.getUint32(24, true);
  if ((!ipv6 && label !== 0) || view.getUint16(22, true) !== 0) return errno('EINVAL');
  let tunnelFlags = TUNNEL_NOCACHE;
  if (flags & BPF_F_DONT_FRAGMENT) tunnelFlags |= TUNNEL_DONT_FRAGMENT;
  if (!(flags & BPF_F_ZERO_CSUM_TX)) tunnelFlags |= TUNNEL_CSUM;
  if (flags & BPF_F_SEQ_NUMBER) tunnelFlags |= TUNNEL_SEQ;
  if (!(flags & BPF_F_NO_TUNNEL_KEY)) tunnelFlags |= TUNNEL_KEY;
  const be32 = (value: number) => {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, value, false);
    return bytes;
  };
  // Kernel: the key's remote address is stored as the tunnel's destination, local as its source.
  skb.tunnel = {
    ipv6,
    id: BigInt(view.getUint32(0, true)),
    tos: key[20],
    ttl: key[21],
    flags: tunnelFlags,
    destination: ipv6 ? key.slice(4, 20) : be32(view.getUint32(4, true)),
    source: ipv6 ? key.slice(28, 44) : be32(view.getUint32(28, true)),
    label: ipv6 ? label & 0xfffff : 0,
    options: new Uint8Array(0),
  };
  return 0n;
}

export function skbGetTunnelOpt(call: HelperCall): bigint {
  const skb = skbOf(call, 'skb_get_tunnel_opt');
  const size = u32(call.args[2]);
  const to = pointerArg(call, 'skb_get_tunnel_opt', 1, size);
  const memory = call.vm.memory;
  const info = skb.tunnel;
  if (info === undefined || !(info.flags & TUNNEL_OPTIONS_PRESENT) || size < info.options.length) {
    memory.fill(to, size);
    return errno(info === undefined || !(info.flags & TUNNEL_OPTIONS_PRESENT) ? 'ENOENT' : 'ENOMEM');
  }
  memory.fill(to, size);
  memory.write(to, info.options);
  return result(info.options.length);
}

export function skbSetTunnelOpt(call: HelperCall): bigint {
  const skb = skbOf(call, 'skb_set_tunnel_opt');
  const size = u32(call.args[2]);
  const options = readArg(call, 'skb_set_tunnel_opt', 1, size);
  const info = skb.tunnel;
  if (info === undefined || size & 3) return errno('EINVAL');
  if (size > TUNNEL_OPTS_MAX) return errno('ENOMEM');
  info.options = options;
  skb.tunnel = { ...info, flags: info.flags | TUNNEL_OPTIONS_PRESENT };
  return 0n;
}
