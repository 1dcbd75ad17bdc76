// Packets for the test-run differential tests: IPv4/IPv6, TCP/UDP, IPv4 and TCP options, an IPv6 extension
// header, fragments, VLAN, IPIP, ARP, truncated, 1500 bytes and shorter than an Ethernet header. Headers carry valid IPv4 checksums.

export interface TestPacket {
  readonly name: string;
  readonly data: Uint8Array;
}

const DST_MAC = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
const SRC_MAC = [0x02, 0x00, 0x00, 0x00, 0x00, 0x2a];

export function be16(value: number): number[] {
  return [(value >> 8) & 0xff, value & 0xff];
}

function checksum(bytes: number[]): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i] << 8) | (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

export interface Ipv4Options {
  protocol: number;
  payload: number[];
  ttl?: number;
  tos?: number;
  options?: number[];
  fragment?: number;
  src?: number[];
  dst?: number[];
}

export function ipv4(o: Ipv4Options): number[] {
  const options = o.options ?? [];
  const ihl = 5 + options.length / 4;
  const total = ihl * 4 + o.payload.length;
  const header = [
    0x40 | ihl,
    o.tos ?? 0,
    ...be16(total),
    ...be16(0x1234),
    ...be16(o.fragment ?? 0),
    o.ttl ?? 64,
    o.protocol,
    0,
    0,
    ...(o.src ?? [10, 0, 0, 1]),
    ...(o.dst ?? [10, 0, 0, 2]),
    ...options,
  ];
  const check = checksum(header);
  header[10] = check >> 8;
  header[11] = check & 0xff;
  return [...header, ...o.payload];
}

export function ipv6(nextHeader: number, payload: number[], hopLimit = 64): number[] {
  const address = (last: number) => [0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), last];
  return [
    0x60,
    0,
    0,
    0,
    ...be16(payload.length),
    nextHeader,
    hopLimit,
    ...address(1),
    ...address(2),
    ...payload,
  ];
}

export function udp(sport: number, dport: number, body: number[]): number[] {
  return [...be16(sport), ...be16(dport), ...be16(8 + body.length), 0, 0, ...body];
}

/** A TCP header (ACK|PSH) with `options` (a multiple of 4 bytes) in its data offset, then `body`. */
export function tcp(sport: number, dport: number, body: number[], options: number[] = []): number[] {
  return [
    ...be16(sport),
    ...be16(dport),
    0,
    0,
    0,
    1,
    0,
    0,
    0,
    0,
    (5 + options.length / 4) << 4,
    0x18,
    ...be16(512),
    0,
    0,
    0,
    0,
    ...options,
    ...body,
  ];
}

export function ether(etherType: number, payload: number[]): number[] {
  return [...DST_MAC, ...SRC_MAC, ...be16(etherType), ...payload];
}

/** `length` bytes of a repeating pattern (the builders above are also the benchmark's, bench/suite-workload.ts). */
export const body = (length: number, seed = 1): number[] =>
  Array.from({ length }, (_, i) => (i * 7 + seed) & 0xff);

export function testPackets(): TestPacket[] {
  const packets: [string, number[]][] = [
    ['ipv4-tcp-http', ether(0x0800, ipv4({ protocol: 6, payload: tcp(40000, 80, body(20)) }))],
    ['ipv4-tcp-ssh-src', ether(0x0800, ipv4({ protocol: 6, payload: tcp(22, 50000, body(3)) }))],
    ['ipv4-udp-dns', ether(0x0800, ipv4({ protocol: 17, payload: udp(5353, 53, body(12)) }))],
    ['ipv4-udp-echo', ether(0x0800, ipv4({ protocol: 17, payload: udp(9999, 7, body(16)), tos: 0x10 }))],
    ['ipv4-udp-voice', ether(0x0800, ipv4({ protocol: 17, payload: udp(5060, 5061, body(30)), tos: 0x20 }))],
    ['ipv4-udp-voice-ttl1', ether(0x0800, ipv4({ protocol: 17, payload: udp(5060, 5060, body(8)), ttl: 1 }))],
    [
      'ipv4-options-tcp',
      ether(0x0800, ipv4({ protocol: 6, payload: tcp(1234, 8080, body(10)), options: [0x94, 0x04, 0, 0] })),
    ],
    [
      'ipv4-fragment-udp',
      ether(0x0800, ipv4({ protocol: 17, payload: udp(1000, 2000, body(24)), fragment: 0x2000 })),
    ],
    [
      'ipv4-tcp-options',
      // MSS 1460, NOP, window scale 7, SACK permitted, NOP, NOP.
      ether(
        0x0800,
        ipv4({ protocol: 6, payload: tcp(43000, 443, body(6), [2, 4, 5, 0xb4, 1, 3, 3, 7, 4, 2, 1, 1]) }),
      ),
    ],
    ['ipv4-icmp', ether(0x0800, ipv4({ protocol: 1, payload: [8, 0, 0xf7, 0xff, 0, 0, 0, 0] }))],
    ['ipv6-tcp-https', ether(0x86dd, ipv6(6, tcp(50000, 443, body(16))))],
    // A hop-by-hop options header (next header UDP, 8 bytes, a PadN option) before the UDP header.
    ['ipv6-hopopts-udp', ether(0x86dd, ipv6(0, [17, 0, 1, 4, 0, 0, 0, 0, ...udp(546, 547, body(12))]))],
    ['ipv6-udp-voice', ether(0x86dd, ipv6(17, udp(5061, 5060, body(20)), 1))],
    [
      'vlan-ipv4-udp',
      [
        ...DST_MAC,
        ...SRC_MAC,
        0x81,
        0x00,
        ...be16(42),
        0x08,
        0x00,
        ...ipv4({ protocol: 17, payload: udp(1, 2, body(8)) }),
      ],
    ],
    [
      'ipip',
      ether(
        0x0800,
        ipv4({
          protocol: 4,
          payload: ipv4({ protocol: 17, payload: udp(3000, 7, body(10)), src: [192, 168, 0, 1] }),
        }),
      ),
    ],
    [
      'arp',
      ether(0x0806, [0, 1, 8, 0, 6, 4, 0, 1, ...SRC_MAC, 10, 0, 0, 1, ...new Array(6).fill(0), 10, 0, 0, 2]),
    ],
    ['truncated-ipv4', ether(0x0800, [0x45, 0, 0, 60, 0, 0, 0, 0, 64, 6])],
    [
      'ipv4-udp-1500',
      ether(0x0800, ipv4({ protocol: 17, payload: udp(4000, 4001, body(1500 - 14 - 20 - 8, 3)) })),
    ],
    ['ethernet-only', ether(0x0800, [])],
    ['shorter-than-ethernet', [...DST_MAC, ...SRC_MAC.slice(0, 4)]],
  ];
  return packets.map(([name, bytes]) => ({ name, data: Uint8Array.from(bytes) }));
}
