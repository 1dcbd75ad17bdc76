// Events for user space: bpf_perf_event_output (skb, xdp and plain variants) and the ring buffer helpers.

import { PacketState } from '../context/packet.js';
import { BPF_F_CTXLEN_MASK, BPF_F_INDEX_MASK, PerfEventArrayMap, RingbufMap } from '../maps/index.js';
import type { HelperCall } from '../runtime.js';
import { errno, helperFault, mapArg, readArg, result, u32 } from './helper-call.js';

/**
 * bpf_perf_event_output(ctx, map, flags, data, size). For skb and xdp programs BPF_F_CTXLEN_MASK asks for that
 * many packet bytes after the data (kernel: bpf_skb_event_output / bpf_xdp_event_output).
 */
export function perfEventOutput(call: HelperCall): bigint {
  const map = mapArg(call, 'perf_event_output', 1);
  if (!(map instanceof PerfEventArrayMap)) {
    throw helperFault(call, 'perf_event_output', `map type ${map.typeName} is not a perf_event_array`);
  }
  const flags = call.args[2];
  const data = readArg(call, 'perf_event_output', 3, u32(call.args[4]));
  const packet = call.run.packet;
  if (!(packet instanceof PacketState)) return result(map.output(data, flags, call.run.cpu));
  if ((flags & ~(BPF_F_CTXLEN_MASK | BPF_F_INDEX_MASK)) !== 0n) return errno('EINVAL');
  const contextLength = Number((flags & BPF_F_CTXLEN_MASK) >> 32n);
  if (contextLength > packet.length) return errno('EFAULT');
  const sample = new Uint8Array(data.length + contextLength);
  sample.set(data);
  sample.set(packet.read(packet.data, packet.data + contextLength), data.length);
  return result(map.output(sample, flags, call.run.cpu, true));
}

function ringbufArg(call: HelperCall, helper: string): RingbufMap {
  const map = mapArg(call, helper, 0);
  if (!(map instanceof RingbufMap))
    throw helperFault(call, helper, `map type ${map.typeName} is not a ringbuf`);
  return map;
}

export function ringbufOutput(call: HelperCall): bigint {
  const map = ringbufArg(call, 'ringbuf_output');
  const data = readArg(call, 'ringbuf_output', 1, u32(call.args[2]));
  return result(map.output(data, call.args[3]));
}

/** Returns the record's address, or 0 (NULL) when it does not fit or the flags are not 0. */
export function ringbufReserve(call: HelperCall): bigint {
  const map = ringbufArg(call, 'ringbuf_reserve');
  const size = call.args[1] > 0xffff_ffffn ? -1 : Number(call.args[1]);
  return BigInt(map.reserve(size, call.args[2]));
}

/** The ring buffer holding a reserved record (the verifier tracks this; here the address tells). */
export function ringbufOfRecord(
  call: HelperCall,
  helper: string,
  address: bigint = call.args[0],
): { map: RingbufMap; sample: number } {
  const sample = address > 0xffff_ffffn ? -1 : Number(address);
  for (const map of call.vm.maps) {
    if (map instanceof RingbufMap && sample >= map.data && sample < map.data + map.ringSize * 2) {
      return { map, sample };
    }
  }
  throw helperFault(call, helper, `R1 is not a reserved ring buffer record (0x${address.toString(16)})`);
}

export function ringbufSubmit(call: HelperCall): bigint {
  const { map, sample } = ringbufOfRecord(call, 'ringbuf_submit');
  if (map.submit(sample, call.args[1]) < 0) {
    throw helperFault(call, 'ringbuf_submit', 'the record was already submitted or discarded');
  }
  return 0n;
}

export function ringbufDiscard(call: HelperCall): bigint {
  const { map, sample } = ringbufOfRecord(call, 'ringbuf_discard');
  if (map.discard(sample, call.args[1]) < 0) {
    throw helperFault(call, 'ringbuf_discard', 'the record was already submitted or discarded');
  }
  return 0n;
}

export function ringbufQuery(call: HelperCall): bigint {
  return ringbufArg(call, 'ringbuf_query').query(call.args[1]);
}
