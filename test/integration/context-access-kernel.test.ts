// The context access tables (abi/context-access.ts) and exit ranges (abi/return-ranges.ts) against the kernel
// verifier: verdicts, error lines and the register type each pointer load gives, for every program type.

import { expect } from 'vitest';
import {
  type AccessSize,
  CONTEXT_LOAD_TYPE_LOG_NAMES,
  type ContextAccessSource,
  contextAccess,
  contextSize,
  PROGRAM_CONTEXTS,
} from '../../src/abi/context-access.js';
import { type AttachTypeName, attachTypeByName, type ProgramTypeName } from '../../src/abi/program-types.js';
import { returnNotScalarMessage, returnOutOfRangeMessage, returnRange } from '../../src/abi/return-ranges.js';
import { type Insn, insn } from '../../src/isa/insn.js';
import {
  BPF_ALU64,
  BPF_AND,
  BPF_ATOMIC,
  BPF_B,
  BPF_DW,
  BPF_EXIT,
  BPF_H,
  BPF_JMP,
  BPF_K,
  BPF_LDX,
  BPF_MEM,
  BPF_MEMSX,
  BPF_MOV,
  BPF_ST,
  BPF_STX,
  BPF_W,
  BPF_X,
} from '../../src/isa/opcodes.js';
import type { OracleInsnsResult } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';

const oracle = requireOracle();

/**
 * The default run (about two thousand loads, each a process, so under a minute) sends all accesses
 * the tables allow in one program per program type and attach type, and a chosen set of refused ones
 * one by one: accesses are grouped in classes of (instruction, size, field); every refused access of a
 * class that also has allowed ones, one refused access of each wholly refused class on a field that is
 * accessible some other way, and every sign-extending load of a pointer field. Variants whose tables
 * are identical (lwt_in and lwt_out, the sock_addr attach types of one family, ...) share that list,
 * each sending its own slice; each variant also sends one access of an inaccessible field or gap and
 * one BPF_ST (which the kernel treats as BPF_STX), rotating. TSBPF_CTX_EXHAUSTIVE=1 sends every
 * refused access on its own instead, misaligned ones included (over a hundred thousand loads: most of
 * an hour).
 */
const EXHAUSTIVE = process.env['TSBPF_CTX_EXHAUSTIVE'] === '1';
/** kernel: BPF_F_SLEEPABLE, which syscall programs must carry. */
const BPF_F_SLEEPABLE = 1 << 4;
/** kernel: atomic operations in the imm of a BPF_ATOMIC instruction. */
const BPF_FETCH = 0x01;
const BPF_XCHG = 0xe0 | BPF_FETCH;
const BPF_CMPXCHG = 0xf0 | BPF_FETCH;
const BPF_LOAD_ACQ = 0x100;
const BPF_STORE_REL = 0x110;

interface Variant {
  readonly type: ProgramTypeName;
  readonly attach?: AttachTypeName;
  readonly progFlags?: number;
  /** Offsets tried (beyond the struct by 8 bytes; sampled windows for the large raw buffers). */
  readonly offsets: readonly number[];
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
const around = (type: ProgramTypeName): number[] => range(-8, (contextSize(type) ?? 0) + 8);

const VARIANTS: readonly Variant[] = [
  ...(
    ['socket_filter', 'sched_cls', 'sched_act', 'lwt_in', 'lwt_out', 'lwt_xmit', 'lwt_seg6local'] as const
  ).map((type) => ({ type, offsets: around(type) })),
  ...([undefined, 'xdp_devmap', 'xdp_cpumap'] as const).map((attach) => ({
    type: 'xdp' as const,
    ...(attach ? { attach } : {}),
    offsets: around('xdp'),
  })),
  ...(['cgroup_inet_ingress', 'cgroup_inet_egress'] as const).map((attach) => ({
    type: 'cgroup_skb' as const,
    attach,
    offsets: around('cgroup_skb'),
  })),
  // no attach type: the kernel makes it a sock_create program
  { type: 'cgroup_sock', offsets: around('cgroup_sock') },
  ...(
    [
      'cgroup_inet_sock_create',
      'cgroup_inet4_post_bind',
      'cgroup_inet6_post_bind',
      'cgroup_inet_sock_release',
    ] as const
  ).map((attach) => ({ type: 'cgroup_sock' as const, attach, offsets: around('cgroup_sock') })),
  ...(
    [
      'cgroup_inet4_bind',
      'cgroup_inet6_bind',
      'cgroup_inet4_connect',
      'cgroup_inet6_connect',
      'cgroup_udp4_sendmsg',
      'cgroup_udp6_sendmsg',
      'cgroup_udp4_recvmsg',
      'cgroup_udp6_recvmsg',
      'cgroup_inet4_getpeername',
      'cgroup_inet6_getpeername',
      'cgroup_inet4_getsockname',
      'cgroup_inet6_getsockname',
      'cgroup_unix_connect',
      'cgroup_unix_sendmsg',
      'cgroup_unix_recvmsg',
      'cgroup_unix_getpeername',
      'cgroup_unix_getsockname',
    ] as const
  ).map((attach) => ({ type: 'cgroup_sock_addr' as const, attach, offsets: around('cgroup_sock_addr') })),
  ...(['sk_skb_stream_parser', 'sk_skb_stream_verdict', 'sk_skb_verdict'] as const).map((attach) => ({
    type: 'sk_skb' as const,
    attach,
    offsets: around('sk_skb'),
  })),
  { type: 'sk_msg', attach: 'sk_msg_verdict', offsets: around('sk_msg') },
  { type: 'sock_ops', offsets: around('sock_ops') },
  { type: 'flow_dissector', attach: 'flow_dissector', offsets: around('flow_dissector') },
  { type: 'sk_lookup', attach: 'sk_lookup', offsets: around('sk_lookup') },
  { type: 'kprobe', offsets: around('kprobe') },
  { type: 'kprobe', attach: 'trace_kprobe_session', offsets: range(-8, 24) },
  { type: 'perf_event', offsets: around('perf_event') },
  { type: 'raw_tracepoint', offsets: around('raw_tracepoint') },
  { type: 'raw_tracepoint_writable', offsets: around('raw_tracepoint_writable') },
  // the trace record: its header, its start, its end, and the far negative offsets the kernel lets through
  { type: 'tracepoint', offsets: [...range(-32768, -32744), ...range(-16, 40), ...range(8168, 8208)] },
  {
    type: 'syscall',
    progFlags: BPF_F_SLEEPABLE,
    offsets: [...range(-16, 40), ...range(32736, 32768)],
  },
  { type: 'cgroup_device', attach: 'cgroup_device', offsets: around('cgroup_device') },
  { type: 'cgroup_sysctl', attach: 'cgroup_sysctl', offsets: around('cgroup_sysctl') },
  ...(['cgroup_getsockopt', 'cgroup_setsockopt'] as const).map((attach) => ({
    type: 'cgroup_sockopt' as const,
    attach,
    offsets: around('cgroup_sockopt'),
  })),
  ...(['sk_reuseport_select', 'sk_reuseport_select_or_migrate'] as const).map((attach) => ({
    type: 'sk_reuseport' as const,
    attach,
    offsets: around('sk_reuseport'),
  })),
];

const SIZE_BITS: Readonly<Record<AccessSize, number>> = { 1: BPF_B, 2: BPF_H, 4: BPF_W, 8: BPF_DW };
const SIZES: readonly AccessSize[] = [1, 2, 4, 8];
const SOURCE_SIZES: Readonly<Record<ContextAccessSource, readonly AccessSize[]>> = {
  ldx: SIZES,
  ldxsx: [1, 2, 4],
  stx: SIZES,
  st: SIZES,
  atomic: [4, 8],
  load_acquire: SIZES,
  store_release: SIZES,
};

interface Access {
  readonly source: ContextAccessSource;
  readonly offset: number;
  readonly size: AccessSize;
  /** For `atomic`: the operation in imm (default BPF_ADD). */
  readonly atomicOp?: number;
}

/** The instruction doing the access: loads into r2, stores from r2 (a scalar) or of an immediate 0. */
function accessInsn(access: Access): Insn {
  const { source, offset, size } = access;
  const bits = SIZE_BITS[size];
  switch (source) {
    case 'ldx':
      return insn(BPF_LDX | BPF_MEM | bits, 2, 1, offset, 0);
    case 'ldxsx':
      return insn(BPF_LDX | BPF_MEMSX | bits, 2, 1, offset, 0);
    case 'stx':
      return insn(BPF_STX | BPF_MEM | bits, 1, 2, offset, 0);
    case 'st':
      return insn(BPF_ST | BPF_MEM | bits, 1, 0, offset, 0);
    case 'atomic':
      return insn(BPF_STX | BPF_ATOMIC | bits, 1, 2, offset, access.atomicOp ?? 0);
    case 'load_acquire':
      return insn(BPF_STX | BPF_ATOMIC | bits, 2, 1, offset, BPF_LOAD_ACQ);
    case 'store_release':
      return insn(BPF_STX | BPF_ATOMIC | bits, 1, 2, offset, BPF_STORE_REL);
    default: {
      const unreachable: never = source;
      return unreachable;
    }
  }
}

const movImm = (dst: number, imm: number): Insn => insn(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm);
const EXIT = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);

const describeAccess = ({ source, offset, size, atomicOp }: Access): string =>
  `${source}${atomicOp === undefined ? '' : `(${atomicOp})`} ${size}@${offset}`;

function expectedFor(variant: Variant, access: Access) {
  return contextAccess(variant.type, {
    offset: access.offset,
    size: access.size,
    source: access.source,
    ...(variant.attach ? { expectedAttachType: variant.attach } : {}),
  });
}

/** The verifier's last word: the line before "processed N insns", or the last line. */
function errorLine(log: string): string {
  const lines = log.trimEnd().split('\n');
  const processed = lines.findIndex((line) => line.startsWith('processed '));
  return lines[(processed === -1 ? lines.length : processed) - 1] ?? '';
}

function load(variant: Variant, insns: readonly Insn[], logLevel = 1): OracleInsnsResult {
  return oracle.runInsns({
    type: variant.type,
    insns,
    logLevel,
    ...(variant.attach ? { expectedAttachType: String(attachTypeByName(variant.attach)!.id) } : {}),
    ...(variant.progFlags ? { progFlags: variant.progFlags } : {}),
  });
}

/** A program ending with the smallest exit value the type accepts. */
function program(variant: Variant, body: readonly Insn[]): Insn[] {
  // r0 is set first because cmpxchg reads it
  return [
    movImm(0, 0),
    movImm(2, 7),
    ...body,
    movImm(0, returnRange(variant.type, variant.attach)?.min ?? 0),
    EXIT,
  ];
}

const variantName = (variant: Variant): string =>
  `${variant.type}${variant.attach ? ` (${variant.attach})` : ''}`;

/** Accesses of a source over the variant's offsets: aligned ones, misaligned ones too when exhaustive. */
function accessesOf(variant: Variant, source: ContextAccessSource): Access[] {
  return SOURCE_SIZES[source].flatMap((size) =>
    variant.offsets.filter((offset) => offset % size === 0).map((offset) => ({ source, offset, size })),
  );
}

/** The field (rule) an offset falls in, or undefined in a gap or outside the context. */
function fieldOf(variant: Variant, offset: number): string | undefined {
  return PROGRAM_CONTEXTS[variant.type]?.rules.find(
    (rule) => offset >= rule.offset && offset < rule.offset + rule.size,
  )?.field;
}

const PLAIN_SOURCES = ['ldx', 'ldxsx', 'stx', 'st'] as const;

/** What the tables say for every access of a variant, as one string: variants equal here share their work. */
function signature(variant: Variant): string {
  return PLAIN_SOURCES.flatMap((source) =>
    accessesOf(variant, source).map((access) => {
      const verdict = expectedFor(variant, access);
      return `${access.offset}:${access.size}:${verdict.ok ? (verdict.loadType ?? 's') : '-'}`;
    }),
  ).join(' ');
}

/** The refused accesses a group of identical variants must send between them (see the top comment). */
function sharedRefusals(variant: Variant, rotation: number): Access[] {
  const live = new Set<string>();
  // per instruction and field, per size: the refused accesses and how many are allowed
  const classes = new Map<string, Map<AccessSize, { refused: Access[]; allowed: number }>>();
  for (const source of ['ldx', 'stx'] as const) {
    for (const access of accessesOf(variant, source)) {
      const field = fieldOf(variant, access.offset);
      if (field === undefined) continue;
      const ok = expectedFor(variant, access).ok;
      if (ok) live.add(field);
      const key = `${source} ${field}`;
      const bySize = classes.get(key) ?? new Map();
      const entry = bySize.get(access.size) ?? { refused: [], allowed: 0 };
      if (ok) entry.allowed++;
      else entry.refused.push(access);
      bySize.set(access.size, entry);
      classes.set(key, bySize);
    }
  }
  const chosen: Access[] = [];
  for (const [key, bySize] of classes) {
    const whollyRefused: Access[] = [];
    for (const { refused, allowed } of bySize.values()) {
      if (allowed > 0) chosen.push(...refused);
      else whollyRefused.push(...refused);
    }
    const field = key.slice(key.indexOf(' ') + 1);
    if (whollyRefused.length > 0 && live.has(field))
      chosen.push(whollyRefused[rotation % whollyRefused.length]);
  }
  const plainLoads = accessesOf(variant, 'ldx').filter((access) => expectedFor(variant, access).ok);
  for (const access of plainLoads) {
    const signExtending = { ...access, source: 'ldxsx' as const };
    if (access.size !== 8 && !expectedFor(variant, signExtending).ok) chosen.push(signExtending);
  }
  return chosen;
}

/** Per variant: what to send one by one. `EXHAUSTIVE`: everything. */
function refusedPlan(): Access[][] {
  if (EXHAUSTIVE)
    return VARIANTS.map((variant) =>
      PLAIN_SOURCES.flatMap((source) => accessesOf(variant, source)).filter(
        (access) => !expectedFor(variant, access).ok,
      ),
    );
  const groups = new Map<string, number[]>();
  VARIANTS.forEach((variant, index) => {
    const key = `${variant.type} ${signature(variant)}`;
    groups.set(key, [...(groups.get(key) ?? []), index]);
  });
  const plan: Access[][] = VARIANTS.map(() => []);
  for (const members of groups.values()) {
    const shared = sharedRefusals(VARIANTS[members[0]], members[0]);
    shared.forEach((access, i) => {
      plan[members[i % members.length]].push(access);
    });
  }
  VARIANTS.forEach((variant, index) => {
    // one access of a dead field or gap, and one refused BPF_ST, rotating through the candidates
    const dead = accessesOf(variant, 'ldx').filter((access) => {
      const field = fieldOf(variant, access.offset);
      return (
        !expectedFor(variant, access).ok &&
        (field === undefined ||
          !accessesOf(variant, 'ldx').some(
            (other) => fieldOf(variant, other.offset) === field && expectedFor(variant, other).ok,
          ))
      );
    });
    const stores = accessesOf(variant, 'st').filter((access) => !expectedFor(variant, access).ok);
    for (const candidates of [dead, stores])
      if (candidates.length > 0) plan[index].push(candidates[(index * 7) % candidates.length]);
  });
  return plan;
}

const REFUSED_PLAN = refusedPlan();
console.log(VARIANTS.map((v, i) => `${variantName(v)}=${REFUSED_PLAN[i].length}`).join(' '));

/** Atomic and misaligned accesses: each variant sends three of these kinds, rotating, so all are covered. */
function atomicSample(variant: Variant, variantIndex: number): Access[] {
  const firstWrite = accessesOf(variant, 'stx').find((access) => expectedFor(variant, access).ok);
  const kinds: Access[] = [
    { source: 'ldx', offset: 2, size: 4 },
    { source: 'stx', offset: 1, size: 2 },
    { source: 'atomic', offset: 0, size: 8, atomicOp: BPF_XCHG },
    { source: 'atomic', offset: firstWrite?.offset ?? 4, size: 4 },
    { source: 'atomic', offset: firstWrite?.offset ?? 8, size: 8, atomicOp: BPF_CMPXCHG },
    { source: 'atomic', offset: 0, size: 4, atomicOp: BPF_AND | BPF_FETCH },
    { source: 'load_acquire', offset: 0, size: 8 },
    { source: 'store_release', offset: 2, size: 4 },
    { source: 'store_release', offset: -8, size: 8 },
    firstWrite ? { ...firstWrite, source: 'store_release' } : { source: 'store_release', offset: 0, size: 1 },
  ];
  return [0, 1, 2].map((i) => kinds[(variantIndex * 3 + i) % kinds.length]);
}

oracle.describe('context accesses against the kernel verifier', () => {
  let loads = 0;
  VARIANTS.forEach((variant, variantIndex) => {
    oracle.it(
      `${variantName(variant)}: every allowed access is accepted, with the kernel's load types`,
      () => {
        // one program: loads (r2 shows each result at log level 2), then r2 = 7 and the stores
        const reads = (['ldx', 'ldxsx'] as const).flatMap((source) =>
          accessesOf(variant, source).filter((access) => expectedFor(variant, access).ok),
        );
        const writes = (['stx', 'st'] as const).flatMap((source) =>
          accessesOf(variant, source).filter((access) => expectedFor(variant, access).ok),
        );
        const insns = program(variant, [...reads.map(accessInsn), movImm(2, 7), ...writes.map(accessInsn)]);
        const result = load(variant, insns, 2);
        loads++;
        expect(result.verdict, `${variantName(variant)}: ${errorLine(result.log)}`).toBe('accepted');
        // "N: (61) r2 = *(u32 *)(r1 +76)  ; R1=ctx() R2=pkt(r=0)"
        const printed = new Map<number, string>();
        for (const match of result.log.matchAll(/^(\d+): \([0-9a-f]{2}\) r2 = [^;]*;.*?\bR2=([a-z_]+)/gm))
          printed.set(Number(match[1]), match[2]);
        const expectedTypes = reads.map((access) => {
          const verdict = expectedFor(variant, access);
          const name =
            verdict.ok && verdict.loadType ? CONTEXT_LOAD_TYPE_LOG_NAMES[verdict.loadType] : 'scalar';
          return `${describeAccess(access)}=${name}`;
        });
        // insns 0 and 1 set r0 and r2: read i is insn i + 2
        const kernelTypes = reads.map(
          (access, index) => `${describeAccess(access)}=${printed.get(index + 2)}`,
        );
        expect(kernelTypes).toEqual(expectedTypes);
        expect(reads.length).toBeGreaterThan(0);
      },
    );

    oracle.it(`${variantName(variant)}: refused accesses are refused with the kernel's message`, () => {
      const cases = [...REFUSED_PLAN[variantIndex], ...atomicSample(variant, variantIndex)];
      for (const access of cases) {
        const expected = expectedFor(variant, access);
        const result = load(variant, program(variant, [accessInsn(access)]));
        loads++;
        const got = result.verdict === 'accepted' ? 'accepted' : errorLine(result.log);
        expect(got, `${variantName(variant)} ${describeAccess(access)}`).toBe(
          expected.ok ? 'accepted' : expected.message,
        );
      }
      expect(cases.length).toBeGreaterThan(3);
    });

    oracle.it(`${variantName(variant)}: exit values`, () => {
      // the smallest accepted value is the exit of every program above; here the largest and one past it
      const bounds = returnRange(variant.type, variant.attach);
      const values = bounds ? [bounds.max, bounds.max + 1] : [-1];
      for (const value of values) {
        const result = load(variant, [movImm(0, value), EXIT]);
        loads++;
        const got = result.verdict === 'accepted' ? 'accepted' : errorLine(result.log);
        expect(got, `${variantName(variant)} r0 = ${value}`).toBe(
          bounds === undefined || value <= bounds.max
            ? 'accepted'
            : returnOutOfRangeMessage(`smin=${value} smax=${value}`, bounds),
        );
      }
      // r0 = ctx: fine where the exit is unbounded (as root), "not a known value" where it is bounded
      const result = load(variant, [insn(BPF_ALU64 | BPF_MOV | BPF_X, 0, 1, 0, 0), EXIT]);
      loads++;
      expect(result.verdict === 'accepted' ? 'accepted' : errorLine(result.log)).toBe(
        bounds ? returnNotScalarMessage('ctx') : 'accepted',
      );
    });
  });

  oracle.it('stays a test of a few thousand loads', () => {
    if (!EXHAUSTIVE) expect(loads).toBeLessThan(3000);
    console.log(`context access differential: ${loads} kernel loads`);
  });
});
