// SYN-cookie helpers on raw headers (bpf_tcp_raw_gen/check_syncookie_ipv4/6): the kernel's cookie layout (a
// minute counter in the top 8 bits, the MSS index under a keyed hash in the low 24) with tsbpf's own key.
// The kernel's key is random per boot, so cookie values never match it; the MSS chosen, the errors and
// whether a cookie checks out do.

import type { HelperCall } from '../runtime.js';
import { errno, readArg, u32 } from './helper-call.js';

/** Kernel msstab (IPv4) and msstab (IPv6): the MSS values a cookie can encode, by index. */
const MSS_TABLE_IPV4 = [536, 1300, 1440, 1460] as const;
const MSS_TABLE_IPV6 = [1220, 1420, 1440, 8940] as const;
/** Kernel TCP_MSS_DEFAULT, and the IPv6 default (IPV6_MIN_MTU less TCP and IPv6 headers). */
const MSS_DEFAULT_IPV4 = 536;
const MSS_DEFAULT_IPV6 = 1280 - 20 - 40;
const COOKIE_BITS = 24;
const COOKIE_MASK = (1 << COOKIE_BITS) - 1;
/** Kernel MAX_SYNCOOKIE_AGE: a cookie is good for this many minutes. */
const MAX_COOKIE_AGE = 2;
const TCP_HEADER = 20;
const TCP_OPTION_EOL = 0;
const TCP_OPTION_NOP = 1;
const TCP_OPTION_MSS = 2;
/** tsbpf's cookie key (the kernel draws its own at boot). */
const COOKIE_KEY = [0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344] as const;

function rotl(value: number, bits: number): number {
  return ((value << bits) | (value >>> (32 - bits))) >>> 0;
}

/** A keyed 32-bit hash of the connection's addresses and ports, a counter and a salt (kernel cookie_hash). */
function cookieHash(addresses: Uint8Array, ports: number, count: number, salt: number): number {
  let h = COOKIE_KEY[salt & 1] ^ Math.imul(count, 0x9e37_79b1);
  const words = [...new Uint32Array(addresses.slice().buffer), ports, COOKIE_KEY[2 + (salt & 1)]];
  for (const word of words) {
    h = Math.imul(rotl((h ^ word) >>> 0, 13), 5) + 0xe654_6b64;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return Math.imul(h ^ (h >>> 15), 0x2c1b_3c6d) >>> 0;
}

/** The minute counter cookies carry (kernel tcp_cookie_time: jiffies / (60 * HZ)). */
function cookieTime(call: HelperCall): number {
  return Number((call.vm.settings.ktimeNs() / 60_000_000_000n) & 0xffff_ffffn);
}

interface Connection {
  /** Source then destination address (4 or 16 bytes each), as in the IP header. */
  readonly addresses: Uint8Array;
  /** Source port << 16 | destination port. */
  readonly ports: number;
  readonly seq: number;
  readonly ackSeq: number;
}

function connection(ip: Uint8Array, tcp: Uint8Array, ipv6: boolean): Connection {
  const view = new DataView(tcp.buffer, tcp.byteOffset, tcp.byteLength);
  return {
    addresses: ipv6 ? ip.slice(8, 40) : ip.slice(12, 20),
    ports: view.getUint32(0, false),
    seq: view.getUint32(4, false),
    ackSeq: view.getUint32(8, false),
  };
}

/** Kernel secure_tcp_syn_cookie. */
function makeCookie(c: Connection, seq: number, count: number, data: number): number {
  const base = (cookieHash(c.addresses, c.ports, 0, 0) + seq + ((count << COOKIE_BITS) >>> 0)) >>> 0;
  return (base + ((cookieHash(c.addresses, c.ports, count, 1) + data) & COOKIE_MASK)) >>> 0;
}

/** Kernel check_tcp_syn_cookie: the MSS index the cookie carries, or -1 when it is stale or forged. */
function cookieData(c: Connection, cookie: number, seq: number, count: number): number {
  const rest = (cookie - cookieHash(c.addresses, c.ports, 0, 0) - seq) >>> 0;
  const age = (count - (rest >>> COOKIE_BITS)) & (0xffff_ffff >>> COOKIE_BITS);
  if (age >= MAX_COOKIE_AGE) return -1;
  return ((rest - cookieHash(c.addresses, c.ports, (count - age) >>> 0, 1)) >>> 0) & COOKIE_MASK;
}

/** Kernel tcp_parse_mss_option with no user MSS: the MSS option's value, 0 when absent or malformed. */
function parseMss(tcp: Uint8Array): number {
  const end = Math.min(tcp.length, (tcp[12] >> 4) * 4);
  let at = TCP_HEADER;
  while (at < end) {
    const kind = tcp[at];
    if (kind === TCP_OPTION_EOL) break;
    if (kind === TCP_OPTION_NOP) {
      at++;
      continue;
    }
    if (at + 1 >= end) break;
    const size = tcp[at + 1];
    if (size < 2 || size > end - at) break;
    if (kind === TCP_OPTION_MSS && size === 4) {
      const mss = (tcp[at + 2] << 8) | tcp[at + 3];
      if (mss !== 0) return mss;
    }
    at += size;
  }
  return 0;
}

function generate(call: HelperCall, helper: string, ipv6: boolean): bigint {
  const ip = readArg(call, helper, 0, ipv6 ? 40 : 20);
  const length = u32(call.args[2]);
  const tcp = readArg(call, helper, 1, length);
  if (length < TCP_HEADER || length !== (tcp[12] >> 4) * 4) return errno('EINVAL');
  const table = ipv6 ? MSS_TABLE_IPV6 : MSS_TABLE_IPV4;
  const mss = parseMss(tcp) || (ipv6 ? MSS_DEFAULT_IPV6 : MSS_DEFAULT_IPV4);
  let index = table.length - 1;
  while (index > 0 && mss < table[index]) index--;
  const c = connection(ip, tcp, ipv6);
  const cookie = makeCookie(c, c.seq, cookieTime(call), index);
  return (BigInt(table[index]) << 32n) | BigInt(cookie);
}

function check(call: HelperCall, helper: string, ipv6: boolean): bigint {
  const ip = readArg(call, helper, 0, ipv6 ? 40 : 20);
  const tcp = readArg(call, helper, 1, TCP_HEADER);
  const c = connection(ip, tcp, ipv6);
  const index = cookieData(c, (c.ackSeq - 1) >>> 0, (c.seq - 1) >>> 0, cookieTime(call));
  return index >= 0 && index < 4 ? 0n : errno('EACCES');
}

export function tcpRawGenSyncookieIpv4(call: HelperCall): bigint {
  return generate(call, 'tcp_raw_gen_syncookie_ipv4', false);
}

export function tcpRawGenSyncookieIpv6(call: HelperCall): bigint {
  return generate(call, 'tcp_raw_gen_syncookie_ipv6', true);
}

export function tcpRawCheckSyncookieIpv4(call: HelperCall): bigint {
  return check(call, 'tcp_raw_check_syncookie_ipv4', false);
}

export function tcpRawCheckSyncookieIpv6(call: HelperCall): bigint {
  return check(call, 'tcp_raw_check_syncookie_ipv6', true);
}
