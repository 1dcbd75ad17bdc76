// Reads register states out of a kernel verifier log (log level 2) and scalar texts back into bounds.

import {
  constant,
  S32_MAX,
  S32_MIN,
  S64_MAX,
  S64_MIN,
  type ScalarBounds,
  U32_MAX,
  U64_MAX,
} from '../../src/verifier/scalar.js';

/** Register (`R3`) or stack slot (`fp-8`) name → the text the kernel printed after `=`. */
export type PrintedState = Map<string, string>;

export type LogEvent =
  /** `N: (op) text ; R1=...`: the instruction and the registers it touched, after it ran. */
  | { kind: 'insn'; index: number; text: string; state: PrintedState }
  /** `N: R1=...`: registers at insn N before it runs. */
  | { kind: 'state'; index: number; state: PrintedState }
  /** `from A to B: R1=...` (a popped branch, whole state) or `from A to B: safe`. */
  | { kind: 'from'; from: number; to: number; state: PrintedState | null }
  /** `N: safe`: the path is pruned. */
  | { kind: 'safe'; index: number };

/** Splits ` R1=ctx() R2=scalar(smin=0,var_off=(0x0; 0xff)) fp-8=...` into names and texts. */
export function parseState(text: string): PrintedState {
  const state: PrintedState = new Map();
  const re = /(?:^|\s)(R\d+|fp-\d+)=/g;
  const starts: { name: string; at: number; valueAt: number }[] = [];
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    // Only boundaries outside parentheses (var_off=(a; b) holds a space).
    let depth = 0;
    for (let i = 0; i < m.index; i++) depth += text[i] === '(' ? 1 : text[i] === ')' ? -1 : 0;
    if (depth === 0) starts.push({ name: m[1] as string, at: m.index, valueAt: m.index + m[0].length });
  }
  starts.forEach((s, i) => {
    const end = i + 1 < starts.length ? (starts[i + 1] as { at: number }).at : text.length;
    state.set(s.name, text.slice(s.valueAt, end).trim());
  });
  return state;
}

/** The events of a log, in order; lines of other kinds (mark_precise, live regs...) are skipped. */
export function parseLog(log: string): LogEvent[] {
  const events: LogEvent[] = [];
  for (const line of log.split('\n')) {
    let m = /^from (\d+) to (\d+): (.*)$/.exec(line);
    if (m) {
      const rest = m[3] as string;
      events.push({
        kind: 'from',
        from: Number(m[1]),
        to: Number(m[2]),
        state: rest.trim() === 'safe' ? null : parseState(rest),
      });
      continue;
    }
    m = /^(\d+): safe$/.exec(line);
    if (m) {
      events.push({ kind: 'safe', index: Number(m[1]) });
      continue;
    }
    m = /^(\d+): \([0-9a-f]{2}\) ([^;]*?)\s*(?:; (.*))?$/.exec(line);
    if (m) {
      events.push({ kind: 'insn', index: Number(m[1]), text: m[2] as string, state: parseState(m[3] ?? '') });
      continue;
    }
    m = /^(\d+): ((?:R\d+|fp-\d+)=.*)$/.exec(line);
    if (m) events.push({ kind: 'state', index: Number(m[1]), state: parseState(m[2] as string) });
  }
  return events;
}

/** A printed scalar with the parts outside the numeric domain taken off. */
export interface ParsedScalar {
  bounds: ScalarBounds;
  id: number;
  addConst: number | undefined;
  precise: boolean;
}

/** Reads `-8`, `P0x10`, `scalar(...)`, `Pscalar(...)` back; undefined for pointers and other types. */
export function parseScalar(text: string): ParsedScalar | undefined {
  let t = text;
  const precise = t.startsWith('P');
  if (precise) t = t.slice(1);
  if (/^-?(?:0x[0-9a-f]+|\d+)$/.test(t)) {
    const v = t.startsWith('-') ? -BigInt(t.slice(1)) : BigInt(t);
    return { bounds: constant(v), id: 0, addConst: undefined, precise };
  }
  const m = /^scalar\((.*)\)$/.exec(t);
  if (!m) return undefined;
  const fields: Record<string, bigint> = {};
  let id = 0;
  let addConst: number | undefined;
  let varOff = { value: 0n, mask: U64_MAX };
  const body = m[1] as string;
  const vm = /var_off=\((0x[0-9a-f]+); (0x[0-9a-f]+)\)/.exec(body);
  if (vm) varOff = { value: BigInt(vm[1] as string), mask: BigInt(vm[2] as string) };
  for (const part of body.replace(/,?var_off=\([^)]*\)/, '').split(',')) {
    if (part === '') continue;
    const names = part.split('=');
    const valueText = names.pop() as string;
    if (names[0] === 'id') {
      const im = /^(\d+)([+-]\d+)?$/.exec(valueText);
      if (!im) throw new Error(`bad id in ${text}`);
      id = Number(im[1]);
      if (im[2] !== undefined) addConst = Number(im[2]);
      continue;
    }
    const v = valueText.startsWith('-') ? -BigInt(valueText.slice(1)) : BigInt(valueText);
    for (const name of names) fields[name] = v;
  }
  const pick = (name: string, fallback: bigint, wrap: (x: bigint) => bigint): bigint =>
    name in fields ? wrap(fields[name] as bigint) : fallback;
  const s64 = (x: bigint): bigint => BigInt.asIntN(64, x);
  const s32 = (x: bigint): bigint => BigInt.asIntN(32, x);
  const same = (x: bigint): bigint => x;
  return {
    bounds: {
      varOff,
      smin: pick('smin', S64_MIN, s64),
      smax: pick('smax', S64_MAX, s64),
      umin: pick('umin', 0n, same),
      umax: pick('umax', U64_MAX, same),
      s32Min: pick('smin32', S32_MIN, s32),
      s32Max: pick('smax32', S32_MAX, s32),
      u32Min: pick('umin32', 0n, same),
      u32Max: pick('umax32', U32_MAX, same),
    },
    id,
    addConst,
    precise,
  };
}

/** A printed register without its `id=` and `P`: the part the numeric domain decides. */
export function withoutIdentity(text: string): string {
  return text
    .replace(/^P/, '')
    .replace(/id=\d+(?:[+-]\d+)?,?/, '')
    .replace(/,\)$/, ')');
}
