// Helpers whose kernel implementation differs by program type: flow_dissector's bpf_skb_load_bytes and
// sk_lookup's bpf_sk_assign, as they behave in a test run.

import { SkLookupContext } from '../context/sk-lookup.js';
import type { HelperCall, HelperImplementation } from '../runtime.js';
import { errno, helperFault, pointerArg, u32 } from './helper-call.js';
import { declaredSocketAt } from './socket-lookup.js';

/** Kernel: BPF_SK_LOOKUP_F_REPLACE and BPF_SK_LOOKUP_F_NO_REUSEPORT. */
const BPF_SK_LOOKUP_F_REPLACE = 1n;
const BPF_SK_LOOKUP_F_NO_REUSEPORT = 2n;

/**
 * Kernel bpf_flow_dissector_load_bytes: reads through the skb behind the context, and a test run has none
 * (ctx->skb is NULL), so it clears the buffer and fails with -EFAULT (measured on Linux 6.18).
 */
export function flowDissectorLoadBytes(call: HelperCall): bigint {
  const length = u32(call.args[3]);
  const destination = pointerArg(call, 'skb_load_bytes', 2, length);
  call.vm.memory.fill(destination, length);
  return errno('EFAULT');
}

const AF_INET = 2;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;

/**
 * Kernel bpf_sk_lookup_assign: selects a socket (one from a sockmap/sockhash, or the one selected so far), or
 * none, as the lookup's result. It takes TCP listeners and unconnected UDP sockets (the others are refcounted:
 * ESOCKTNOSUPPORT) of the lookup's protocol (EPROTOTYPE) and family (EAFNOSUPPORT; a dual-stack IPv6 socket takes
 * IPv4 lookups too); a second pick needs BPF_SK_LOOKUP_F_REPLACE.
 */
export function skLookupAssign(call: HelperCall): bigint {
  const context = call.run.packet;
  if (!(context instanceof SkLookupContext))
    throw helperFault(call, 'sk_assign', 'needs the bpf_sk_lookup context of an sk_lookup program');
  const flags = call.args[2];
  if ((flags & ~(BPF_SK_LOOKUP_F_REPLACE | BPF_SK_LOOKUP_F_NO_REUSEPORT)) !== 0n) return errno('EINVAL');
  const address = Number(call.args[1]);
  const socket = address === 0 ? undefined : declaredSocketAt(call.vm, address);
  if (address !== 0 && socket === undefined)
    throw helperFault(call, 'sk_assign', 'R2 is not a socket of the namespace');
  if (socket !== undefined) {
    const connected = socket.kind === 'tcp-established' || socket.remoteAddress !== undefined;
    if (connected) return errno('ESOCKTNOSUPPORT');
    if ((socket.kind === 'udp' ? IPPROTO_UDP : IPPROTO_TCP) !== context.protocol) return errno('EPROTOTYPE');
    // An IPv4 socket serves IPv4 lookups only; an IPv6 one IPv6 lookups, and IPv4 ones too unless IPV6_V6ONLY.
    const ipv4 = socket.localAddress.length === 4;
    if (ipv4 ? context.family !== AF_INET : context.family === AF_INET && socket.v6Only)
      return errno('EAFNOSUPPORT');
  }
  if (context.selected !== 0 && (flags & BPF_SK_LOOKUP_F_REPLACE) === 0n) return errno('EEXIST');
  context.select(address, (flags & BPF_SK_LOOKUP_F_NO_REUSEPORT) !== 0n);
  return 0n;
}

/**
 * One helper id whose implementation the program type picks (the kernel's get_func_proto hands each type its
 * own proto); types not listed get `otherwise`, or a fault naming the type when there is none.
 */
export function byProgramType(
  name: string,
  implementations: Readonly<Record<string, HelperImplementation>>,
  otherwise?: HelperImplementation,
): HelperImplementation {
  return (call) => {
    const implementation = implementations[call.run.program.type] ?? otherwise;
    if (implementation === undefined)
      throw helperFault(call, name, `not implemented by tsbpf for ${call.run.program.type} programs`);
    return implementation(call);
  };
}
