// The verifier case suite's harness: case files parsed, assembled and loaded into the kernel or tsbpf, logs reduced to one line.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bpf, type ProgLoadOptions } from '../../src/api/bpf.js';
import { ProgLoadError } from '../../src/api/bpf-error.js';
import { assemble } from '../../src/isa/assembler.js';
import { INSN_SIZE, type Insn } from '../../src/isa/insn.js';
import type { VerifierCapabilities } from '../../src/verifier/index.js';
import {
  BPF_LD_IMM64,
  BPF_PSEUDO_FUNC,
  BPF_PSEUDO_MAP_FD,
  BPF_PSEUDO_MAP_VALUE,
} from '../../src/isa/opcodes.js';
import type {
  OracleCapability,
  OracleInsnsOptions,
  OracleInsnsResult,
  OracleMapSpec,
} from '../oracle/oracle.js';

export const CASES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'cases');

/** `BPF_F_*` program flags a case may name in `# flags:` (values from include/uapi/linux/bpf.h). */
export const PROG_FLAGS: Readonly<Record<string, number>> = {
  strict_alignment: 1 << 0,
  any_alignment: 1 << 1,
  test_rnd_hi32: 1 << 2,
  test_state_freq: 1 << 3,
  sleepable: 1 << 4,
  xdp_has_frags: 1 << 5,
  test_sanity_strict: 1 << 6,
};

/** A `# map:` line: the oracle's map spec (index K is `mapK` in the assembly). */
export type CaseMap = OracleMapSpec;

export interface VerifierCase {
  /** File (without directory) and 1-based line of the case's first line, for messages. */
  file: string;
  line: number;
  name: string;
  /** Program type as libbpf spells it (`socket_filter`, `xdp`, ...). */
  type: string;
  attach?: string;
  progFlags?: number;
  /** The flags as written (names or a number), kept for rewriting the header. */
  flagsText?: string;
  unpriv: boolean;
  /** `# caps: bpf,net_admin`: load with only these capabilities (of CAP_BPF, _PERFMON, _NET_ADMIN, _SYS_ADMIN). */
  caps?: OracleCapability[];
  license?: string;
  maps: CaseMap[];
  expect?: 'accept' | 'reject';
  /** The verdict line: see `errorLine`. */
  error?: string;
  /** Index of the instruction the error is reported at; null when the log names none (`insn: none`). */
  insn?: number | null;
  errno?: string;
  /** Free-text header lines (without the leading `# `), kept in order. */
  notes: string[];
  /** The assembly (everything after the header), as written. */
  body: string;
}

export class CaseFormatError extends Error {
  override readonly name = 'CaseFormatError';
  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`);
  }
}

const CAPABILITIES: ReadonlySet<string> = new Set<OracleCapability>([
  'bpf',
  'perfmon',
  'net_admin',
  'sys_admin',
]);

const HEADER_KEY = /^#\s*([a-z_]+)\s*:\s*(.*?)\s*$/;
const KNOWN_KEYS = new Set([
  'case',
  'type',
  'attach',
  'flags',
  'license',
  'caps',
  'map',
  'expect',
  'error',
  'insn',
  'errno',
]);

/** Parses one case file: cases separated by lines `---`, each a `# key: value` header then assembly. */
export function parseCaseFile(text: string, file: string): VerifierCase[] {
  const lines = text.split('\n');
  const cases: VerifierCase[] = [];
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i === lines.length || lines[i].trim() === '---') {
      const chunk = lines.slice(start, i);
      if (chunk.some((l) => l.trim() !== '')) cases.push(parseCase(chunk, file, start + 1));
      start = i + 1;
    }
  }
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.name)) throw new CaseFormatError(file, c.line, `duplicate case name '${c.name}'`);
    seen.add(c.name);
  }
  return cases;
}

function parseCase(lines: string[], file: string, firstLine: number): VerifierCase {
  let i = 0;
  while (i < lines.length && lines[i].trim() === '') i++;
  const line = firstLine + i;
  const fields: Partial<VerifierCase> & { maps: CaseMap[]; notes: string[]; unpriv: boolean } = {
    maps: [],
    notes: [],
    unpriv: false,
  };
  for (; i < lines.length; i++) {
    const text = lines[i].trim();
    if (!text.startsWith('#')) break;
    const at = firstLine + i;
    if (/^#\s*unpriv\s*$/.test(text)) {
      fields.unpriv = true;
      continue;
    }
    const match = HEADER_KEY.exec(text);
    if (!match) {
      fields.notes.push(text.replace(/^#\s?/, ''));
      continue;
    }
    // a note may not look like a key, so that a misspelt key is an error rather than a note
    if (!KNOWN_KEYS.has(match[1])) throw new CaseFormatError(file, at, `unknown header key '${match[1]}'`);
    setField(fields, match[1], match[2], file, at);
  }
  const body = lines.slice(i).join('\n').replace(/\s+$/, '');
  if (fields.name === undefined) throw new CaseFormatError(file, line, 'case without a `# case:` line');
  if (fields.type === undefined)
    throw new CaseFormatError(file, line, `case '${fields.name}' has no \`# type:\``);
  if (fields.expect === 'accept' && (fields.error !== undefined || fields.insn !== undefined)) {
    throw new CaseFormatError(file, line, `case '${fields.name}' is accepted but names an error`);
  }
  if (body.trim() === '') throw new CaseFormatError(file, line, `case '${fields.name}' has no instructions`);
  if (fields.unpriv && fields.caps !== undefined)
    throw new CaseFormatError(file, line, `case '${fields.name}' has both \`# unpriv\` and \`# caps:\``);
  return { ...fields, file, line, body } as VerifierCase;
}

function setField(
  fields: Partial<VerifierCase> & { maps: CaseMap[] },
  key: string,
  value: string,
  file: string,
  line: number,
): void {
  const once = (name: keyof VerifierCase) => {
    if (fields[name] !== undefined) throw new CaseFormatError(file, line, `'${key}' given twice`);
  };
  switch (key) {
    case 'case':
      once('name');
      if (!/^[A-Za-z0-9_]+$/.test(value)) throw new CaseFormatError(file, line, `bad case name '${value}'`);
      fields.name = value;
      return;
    case 'type':
      once('type');
      fields.type = value;
      return;
    case 'attach':
      once('attach');
      fields.attach = value;
      return;
    case 'license':
      once('license');
      fields.license = value;
      return;
    case 'caps': {
      once('caps');
      const caps = value.split(/[\s,]+/).filter(Boolean);
      if (caps.length === 0)
        throw new CaseFormatError(file, line, `'caps' is empty (no capabilities is \`# unpriv\`)`);
      for (const cap of caps) {
        if (!CAPABILITIES.has(cap))
          throw new CaseFormatError(
            file,
            line,
            `unknown capability '${cap}' (known: ${[...CAPABILITIES].join(', ')})`,
          );
      }
      fields.caps = caps as OracleCapability[];
      return;
    }
    case 'flags': {
      once('progFlags');
      let flags = 0;
      for (const word of value.split(/[\s|,]+/).filter(Boolean)) {
        if (/^\d+$/.test(word)) flags |= Number(word);
        else if (PROG_FLAGS[word] !== undefined) flags |= PROG_FLAGS[word];
        else throw new CaseFormatError(file, line, `unknown program flag '${word}'`);
      }
      fields.progFlags = flags;
      fields.flagsText = value;
      return;
    }
    case 'map': {
      const words = value.split(/\s+/);
      const numbers = words.slice(1).map(Number);
      if (words.length < 4 || words.length > 6 || numbers.some((n) => !Number.isInteger(n) || n < 0)) {
        throw new CaseFormatError(
          file,
          line,
          `'map' is TYPE KEY_SIZE VALUE_SIZE MAX_ENTRIES [FLAGS [INNER]]`,
        );
      }
      const map: CaseMap = {
        type: words[0],
        keySize: numbers[0],
        valueSize: numbers[1],
        maxEntries: numbers[2],
      };
      if (numbers[3] !== undefined) map.flags = numbers[3];
      if (numbers[4] !== undefined) map.innerMapIndex = numbers[4];
      fields.maps.push(map);
      return;
    }
    case 'expect':
      once('expect');
      if (value !== 'accept' && value !== 'reject') {
        throw new CaseFormatError(file, line, `'expect' is accept or reject, not '${value}'`);
      }
      fields.expect = value;
      return;
    case 'error':
      once('error');
      fields.error = value;
      return;
    case 'insn':
      once('insn');
      if (value === 'none') fields.insn = null;
      else if (/^\d+$/.test(value)) fields.insn = Number(value);
      else throw new CaseFormatError(file, line, `'insn' is an instruction index or none`);
      return;
    case 'errno':
      once('errno');
      if (!/^E[A-Z0-9]+$/.test(value)) throw new CaseFormatError(file, line, `bad errno '${value}'`);
      fields.errno = value;
      return;
  }
}

/** Writes a case back in the canonical header order (the inverse of parseCase). */
export function formatCase(c: VerifierCase): string {
  const out = [`# case: ${c.name}`];
  for (const note of c.notes) out.push(note === '' ? '#' : `# ${note}`);
  out.push(`# type: ${c.type}`);
  if (c.attach !== undefined) out.push(`# attach: ${c.attach}`);
  if (c.flagsText !== undefined) out.push(`# flags: ${c.flagsText}`);
  if (c.license !== undefined) out.push(`# license: ${c.license}`);
  if (c.unpriv) out.push('# unpriv');
  if (c.caps !== undefined) out.push(`# caps: ${c.caps.join(',')}`);
  for (const m of c.maps) {
    const words: (string | number)[] = [m.type, m.keySize, m.valueSize, m.maxEntries];
    if (m.flags !== undefined || m.innerMapIndex !== undefined) words.push(m.flags ?? 0);
    if (m.innerMapIndex !== undefined) words.push(m.innerMapIndex);
    out.push(`# map: ${words.join(' ')}`);
  }
  if (c.expect !== undefined) out.push(`# expect: ${c.expect}`);
  if (c.error !== undefined) out.push(`# error: ${c.error}`);
  if (c.insn !== undefined) out.push(`# insn: ${c.insn === null ? 'none' : c.insn}`);
  if (c.errno !== undefined) out.push(`# errno: ${c.errno}`);
  return `${out.join('\n')}\n${c.body}\n`;
}

export function formatCaseFile(cases: readonly VerifierCase[]): string {
  return cases.map(formatCase).join('---\n');
}

/** Every case file under `cases/`, sorted by name; the topic is the file name without `.s`. */
export function loadCaseFiles(dir = CASES_DIR): { topic: string; file: string; cases: VerifierCase[] }[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.s'))
    .sort()
    .map((name) => {
      const file = join(dir, name);
      return { topic: name.slice(0, -2), file, cases: parseCaseFile(readFileSync(file, 'utf8'), name) };
    });
}

const MAP_SYMBOL = /^map(\d+)$/;
const MAP_VALUE_SYMBOL = /^mapval(\d+)$/;

/**
 * Assembles a case's body into raw instructions as a loader would hand them to the kernel. Beyond what
 * assembleInsns resolves: `rN = mapK ll` becomes LD_IMM64 src 1 imm K (the K-th `# map`), `rN = mapvalK + OFF ll`
 * src 2 imm K with OFF in the second slot, and `rN = label ll` src 4 (a function pointer, as libbpf relocates it).
 */
export function assembleCase(c: VerifierCase): Insn[] {
  const object = assemble(c.body, { fileName: `${c.file}:${c.name}` });
  const code = object.sections.filter((s) => s.kind === 'code');
  if (code.length !== 1 || object.sections.length !== 1) {
    throw new CaseFormatError(c.file, c.line, `case '${c.name}' must assemble to one code section`);
  }
  const section = code[0];
  const insns = section.insns.map((slot) => ({ ...slot }));
  for (const reloc of section.relocations) {
    const slot = insns[reloc.insnIndex];
    const fail = (why: string) => {
      throw new CaseFormatError(c.file, c.line, `case '${c.name}', insn ${reloc.insnIndex}: ${why}`);
    };
    if (reloc.type !== 'R_BPF_64_64' || slot.code !== BPF_LD_IMM64)
      fail(`unresolved reference '${reloc.symbol}'`);
    const label = section.symbols.find((s) => s.name === reloc.symbol && s.kind !== 'object');
    const mapMatch = MAP_SYMBOL.exec(reloc.symbol);
    const valueMatch = MAP_VALUE_SYMBOL.exec(reloc.symbol);
    if (reloc.againstSection && reloc.symbol === section.name) {
      // A local label goes through the section symbol, as LLVM emits it: imm holds the label's byte offset.
      if (slot.imm % INSN_SIZE !== 0) fail(`'${reloc.symbol}' + ${slot.imm} is not an instruction`);
      slot.src = BPF_PSEUDO_FUNC;
      slot.imm = slot.imm / INSN_SIZE - reloc.insnIndex - 1;
    } else if (label) {
      slot.src = BPF_PSEUDO_FUNC;
      slot.imm = label.offset - reloc.insnIndex - 1;
    } else if (mapMatch) {
      if (slot.imm !== 0) fail('a map reference takes no addend');
      slot.src = BPF_PSEUDO_MAP_FD;
      slot.imm = Number(mapMatch[1]);
    } else if (valueMatch) {
      slot.src = BPF_PSEUDO_MAP_VALUE;
      insns[reloc.insnIndex + 1].imm = slot.imm;
      slot.imm = Number(valueMatch[1]);
    } else {
      fail(`unknown symbol '${reloc.symbol}' (use mapN, mapvalN + OFF or a label)`);
    }
  }
  return insns;
}

const STATISTICS = [/^processed \d+ insns/, /^verification time/, /^stack depth/];
const GLUED_STATISTICS = /processed \d+ insns \(limit \d+\)/;
const INSN_LINE = /^(\d+): \([0-9a-f]{2}\)/;

/**
 * The verdict of a verifier log (kernel or tsbpf): `error` is the last line before the statistics
 * (`processed N insns ...`, `verification time ...`, `stack depth ...`); `insn` the index of the last
 * `N: (op) ...` instruction line before it or, when the log has none (checks made before the walk), the
 * first `insn N` the error names, else null. The `cur state:`/`old state:` pair printed after "infinite loop
 * detected" is skipped, so the message is the error line. Statistics glued to the message (a kernel message without its
 * newline) are cut off.
 */
export function errorLine(log: string): { error: string; insn: number | null } {
  const lines = log.split('\n').map((l) => l.replace(/\s+$/, ''));
  let end = lines.length - 1;
  while (end >= 0 && (lines[end] === '' || STATISTICS.some((re) => re.test(lines[end])))) end--;
  // "infinite loop detected at insn N" is followed by the two states compared: the message is the line above
  if (end >= 1 && /^old state: /.test(lines[end]) && /^cur state: /.test(lines[end - 1])) end -= 2;
  if (end < 0) return { error: '', insn: null };
  // a few kernel messages lack their newline, so the statistics follow on the same line: cut them off
  const glued = GLUED_STATISTICS.exec(lines[end]);
  const error = glued && glued.index > 0 ? lines[end].slice(0, glued.index) : lines[end];
  for (let i = end - 1; i >= 0; i--) {
    const match = INSN_LINE.exec(lines[i]);
    if (match) return { error, insn: Number(match[1]) };
  }
  const named = /\binsn (\d+)/.exec(error);
  return { error, insn: named ? Number(named[1]) : null };
}

/** What a load said, reduced to what a case records. */
export interface CaseOutcome {
  expect: 'accept' | 'reject';
  error?: string;
  insn?: number | null;
  errno?: string;
  log: string;
}

const ERRNO_NAMES: Readonly<Record<number, string>> = {
  1: 'EPERM',
  2: 'ENOENT',
  7: 'E2BIG',
  9: 'EBADF',
  13: 'EACCES',
  14: 'EFAULT',
  16: 'EBUSY',
  22: 'EINVAL',
  28: 'ENOSPC',
  95: 'EOPNOTSUPP',
  524: 'ENOTSUPP',
};

export function errnoText(errno: number): string {
  return ERRNO_NAMES[errno] ?? `E${errno}`;
}

/** The oracle's `insns` options for a case (map references stay indexes; the oracle substitutes fds). */
export function oracleOptions(c: VerifierCase): OracleInsnsOptions {
  return {
    type: c.type,
    insns: assembleCase(c),
    logLevel: 1,
    ...(c.attach !== undefined ? { expectedAttachType: c.attach } : {}),
    ...(c.progFlags !== undefined ? { progFlags: c.progFlags } : {}),
    ...(c.license !== undefined ? { license: c.license } : {}),
    unpriv: c.unpriv,
    ...(c.caps !== undefined ? { caps: c.caps } : {}),
    maps: c.maps,
  };
}

/** The kernel's answer reduced to a case header's fields. */
export function kernelOutcome(result: OracleInsnsResult): CaseOutcome {
  if (result.verdict === 'accepted') return { expect: 'accept', log: result.log };
  return { expect: 'reject', ...errorLine(result.log), errno: errnoText(result.errno), log: result.log };
}

let possibleCpus: number | undefined;

/**
 * The possible CPUs of this machine (nr_cpu_ids, from /sys/devices/system/cpu/possible such as `0-1`), which
 * the kernel's verifier uses to bound bpf_get_smp_processor_id; 1 where the file cannot be read.
 */
export function hostPossibleCpus(): number {
  if (possibleCpus !== undefined) return possibleCpus;
  try {
    const ranges = readFileSync('/sys/devices/system/cpu/possible', 'utf8').trim().split(',');
    possibleCpus = Math.max(...ranges.map((range) => Number(range.split('-').at(-1)))) + 1;
  } catch {
    possibleCpus = 1;
  }
  if (!Number.isInteger(possibleCpus) || possibleCpus < 1) possibleCpus = 1;
  return possibleCpus;
}

/**
 * Loads a case into a fresh tsbpf `Bpf` with as many CPUs as this machine: maps created in order, `mapK`
 * references turned into their fds. `expectedAttachType` and `progFlags` are passed along; `logLevel` 4
 * (statistics only) is what the benchmark uses.
 */
export function loadInTsbpf(c: VerifierCase, logLevel = 1): CaseOutcome {
  const bpf = new Bpf({ cpus: hostPossibleCpus() });
  const fds = c.maps.map((m, index) =>
    bpf.mapCreate({
      // The oracle names its maps map_0, map_1, ... (messages quote them).
      name: `map_${index}`,
      type: m.type,
      keySize: m.keySize,
      valueSize: m.valueSize,
      maxEntries: m.maxEntries,
      flags: m.flags ?? 0,
      ...(m.innerMapIndex !== undefined ? { innerMapFd: fdOf(m.innerMapIndex) } : {}),
    }),
  );
  function fdOf(index: number): number {
    return fds[index] ?? -1;
  }
  const insns = assembleCase(c);
  for (let i = 0; i < insns.length; i++) {
    const slot = insns[i];
    if (slot.code !== BPF_LD_IMM64) continue;
    if (slot.src === BPF_PSEUDO_MAP_FD || slot.src === BPF_PSEUDO_MAP_VALUE) slot.imm = fdOf(slot.imm);
    i++; // the second slot of LD_IMM64
  }
  const options: ProgLoadOptions & { expectedAttachType?: string; progFlags?: number } = {
    type: c.type,
    insns,
    logLevel,
    license: c.license ?? 'GPL',
    privileged: !c.unpriv,
    ...(c.caps !== undefined ? { capabilities: caseCapabilities(c.caps) } : {}),
    ...(c.attach !== undefined ? { expectedAttachType: c.attach } : {}),
    ...(c.progFlags !== undefined ? { progFlags: c.progFlags } : {}),
  };
  try {
    const handle = bpf.progLoad(options);
    return { expect: 'accept', log: handle.log };
  } catch (error) {
    if (!(error instanceof ProgLoadError)) throw error;
    return { expect: 'reject', ...errorLine(error.log), errno: errnoText(error.errno), log: error.log };
  }
}

/** A `# caps:` list as the capabilities tsbpf's loader takes. */
export function caseCapabilities(caps: readonly OracleCapability[]): VerifierCapabilities {
  return {
    bpf: caps.includes('bpf'),
    perfmon: caps.includes('perfmon'),
    netAdmin: caps.includes('net_admin'),
    sysAdmin: caps.includes('sys_admin'),
  };
}

/** The differences between what a case expects and what a load said; empty when they agree. */
export function compareOutcome(c: VerifierCase, got: CaseOutcome): string[] {
  const diffs: string[] = [];
  if (c.expect !== got.expect) diffs.push(`verdict: expected ${c.expect}, got ${got.expect}`);
  else if (c.expect === 'reject') {
    if (c.error !== got.error) diffs.push(`error: expected '${c.error}', got '${got.error}'`);
    if (c.insn !== got.insn) diffs.push(`insn: expected ${c.insn}, got ${got.insn}`);
    if (c.errno !== undefined && c.errno !== got.errno) {
      diffs.push(`errno: expected ${c.errno}, got ${got.errno}`);
    }
  }
  return diffs;
}
