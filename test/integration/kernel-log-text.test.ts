// Differential test: the instruction text, state-column padding and "Live regs before insn:" block tsbpf
// prints equal the Linux verifier log at level 2, for the corpus objects, the semantics programs and
// generated programs covering every opcode.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import { OPCODE_TABLE } from '../../src/isa/opcode-table.js';
import {
  BPF_LD_IMM64,
  BPF_PSEUDO_BTF_ID,
  BPF_PSEUDO_MAP_FD,
  BPF_PSEUDO_MAP_IDX,
  BPF_PSEUDO_MAP_IDX_VALUE,
  BPF_PSEUDO_MAP_VALUE,
} from '../../src/isa/opcodes.js';
import { assemble } from '../../src/isa/assembler.js';
import { type Insn, insn } from '../../src/isa/insn.js';
import type { ProgramTypeName } from '../../src/abi/program-types.js';
import {
  kernelInsnLine,
  kernelInsnText,
  type KernelInsnTextOptions,
  padInsnForState,
} from '../../src/verifier/kernel-insn-text.js';
import {
  analyzeLiveRegisters,
  helperArgCountFor,
  type LiveRegistersOptions,
  liveRegistersLog,
} from '../../src/verifier/live-registers.js';
import { corpusObjects, REPO_ROOT } from '../corpus.js';
import { decodeOracleInsns } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { generatedPrograms, programText } from '../semantics/generated-cases.js';

const oracle = requireOracle();

const LIVE_HEADER = 'Live regs before insn:\n';
/** A line of the block: SCC id or blanks, index, r0-r9. */
const LIVE_LINE = /^(?: {4}|[ \d]{2}\d+ )[ \d]{2}\d+: [.\d]{10} /;
/** Pseudo LD_IMM64 forms the kernel prints as the kernel address it resolved them to. */
const ADDRESS_LOADS = new Set([
  BPF_PSEUDO_MAP_FD,
  BPF_PSEUDO_MAP_VALUE,
  BPF_PSEUDO_BTF_ID,
  BPF_PSEUDO_MAP_IDX,
  BPF_PSEUDO_MAP_IDX_VALUE,
]);
const KERNEL_ADDRESS_TEXT = '<kernel address>';

/** The "Live regs before insn:" block of a log, or undefined when the kernel did not get that far. */
function kernelLiveBlock(log: string): string | undefined {
  const start = log.indexOf(LIVE_HEADER);
  if (start < 0) return undefined;
  const lines = log.slice(start + LIVE_HEADER.length).split('\n');
  const end = lines.findIndex((line) => !LIVE_LINE.test(line));
  return (
    LIVE_HEADER +
    lines
      .slice(0, end)
      .map((line) => `${line}\n`)
      .join('')
  );
}

function addressLoads(insns: readonly Insn[]): Set<number> {
  const at = new Set<number>();
  for (let i = 0; i < insns.length; i += insns[i].code === BPF_LD_IMM64 ? 2 : 1) {
    if (insns[i].code === BPF_LD_IMM64 && ADDRESS_LOADS.has(insns[i].src)) at.add(i);
  }
  return at;
}

/**
 * Map and BTF-variable loads print a kernel address that changes with every load: the kernel's must look like
 * one (the kernel prints no `map[id:...]` form), then both sides compare with it masked.
 */
function maskAddresses(block: string, insns: readonly Insn[], side: 'kernel' | 'tsbpf'): string {
  const at = addressLoads(insns);
  return block
    .split('\n')
    .map((line) => {
      const index = /^.{4} *(\d+): /.exec(line)?.[1];
      if (index === undefined || !at.has(Number(index))) return line;
      const value = /= 0x([0-9a-f]+)$/.exec(line)?.[1];
      if (side === 'kernel') {
        expect(value, `kernel address in: ${line}`).toBeDefined();
        expect(BigInt(`0x${value}`) >= 0xffff800000000000n, `kernel address in: ${line}`).toBe(true);
      }
      return line.replace(/= 0x[0-9a-f]+$/, `= ${KERNEL_ADDRESS_TEXT}`);
    })
    .join('\n');
}

interface Compared {
  /** Instruction lines of the walk that were checked. */
  walkLines: number;
}

/** Compares the block and every walk line of `log` with tsbpf's; the kernel must have printed the block. */
function compareWithLog(
  label: string,
  insns: readonly Insn[],
  log: string,
  liveOptions: LiveRegistersOptions,
  textOptions: KernelInsnTextOptions = {},
): Compared {
  const theirs = kernelLiveBlock(log);
  expect(theirs, `${label}: the kernel printed no live-register block:\n${log.slice(0, 2000)}`).toBeDefined();
  const ours = liveRegistersLog(insns, analyzeLiveRegisters(insns, liveOptions), textOptions);
  expect(maskAddresses(ours, insns, 'tsbpf'), `${label}: live-register block`).toBe(
    maskAddresses(theirs!, insns, 'kernel'),
  );
  const at = addressLoads(insns);
  let walkLines = 0;
  for (const line of log.split('\n')) {
    const match = /^(\d+): (\([0-9a-f]{2}\) .*|BUG_.*)$/.exec(line);
    if (!match) continue;
    const index = Number(match[1]);
    if (at.has(index)) continue; // a kernel address, checked in the block
    const expected = kernelInsnLine(insns, index, textOptions);
    if (line.includes(';'))
      expect(line.startsWith(padInsnForState(expected)), `${label}: ${line}`).toBe(true);
    else expect(line, label).toBe(expected);
    walkLines++;
  }
  return { walkLines };
}

function liveOptionsFor(type: string): LiveRegistersOptions {
  return { helperArgCount: helperArgCountFor(type as ProgramTypeName) };
}

const objects = [
  ...corpusObjects(),
  // The linker corpus as one object (its parts alone have unresolved externs).
  { path: 'test/link/all.o', absolutePath: join(REPO_ROOT, 'test', 'link', 'all.o') },
];

oracle.describe('kernel log text: corpus objects at log level 2', () => {
  for (const object of objects) {
    oracle.it(object.path, () => {
      const result = oracle.runObject(object.absolutePath, { logLevel: 2 });
      expect(result.openError).toBeNull();
      expect(result.programs.length).toBeGreaterThan(0);
      for (const program of result.programs) {
        const insns = decodeOracleInsns(program.insns);
        const { walkLines } = compareWithLog(
          `${object.path} ${program.name}`,
          insns,
          program.log,
          liveOptionsFor(program.type),
        );
        // The walk printed instructions (an accepted program prints each one it verified).
        expect(walkLines, `${object.path} ${program.name}: walk lines`).toBeGreaterThan(0);
      }
    });
  }
});
