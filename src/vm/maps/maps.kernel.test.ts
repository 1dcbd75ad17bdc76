// Differential test: random sequences of map helper calls run in the kernel (through the oracle) and on tsbpf maps.
import fc from 'fast-check';
import { expect } from 'vitest';
import { type Insn, insn } from '../../isa/insn.js';
import {
  BPF_ADD,
  BPF_ALU64,
  BPF_CALL,
  BPF_DW,
  BPF_EXIT,
  BPF_IMM,
  BPF_JA,
  BPF_JEQ,
  BPF_JMP,
  BPF_K,
  BPF_LD,
  BPF_LDX,
  BPF_MEM,
  BPF_MOV,
  BPF_PSEUDO_MAP_FD,
  BPF_ST,
  BPF_STX,
  BPF_W,
  BPF_X,
} from '../../isa/opcodes.js';
import { bytesToHex } from '../../../test/oracle/oracle.js';
import { requireOracle } from '../../../test/oracle/require-oracle.js';
import { VmMemory } from '../memory.js';
import { u32Bytes } from './bpf-map.js';
import { createMap } from './create-map.js';

const oracle = requireOracle();

const HELPER_MAP_LOOKUP_ELEM = 1;
const HELPER_MAP_UPDATE_ELEM = 2;
const HELPER_MAP_DELETE_ELEM = 3;
const R0 = 0;
const R1 = 1;
const R2 = 2;
const R3 = 3;
const R4 = 4;
const FP = 10;

type Operation = { kind: 'update' | 'delete' | 'lookup'; key: number; value: number; flags: number };

const ldMap = (dst: number, index: number): Insn[] => [
  insn(BPF_LD | BPF_DW | BPF_IMM, dst, BPF_PSEUDO_MAP_FD, 0, index),
  insn(0, 0, 0, 0, 0),
];
const stackPointer = (dst: number, offset: number): Insn[] => [
  insn(BPF_ALU64 | BPF_MOV | BPF_X, dst, FP, 0, 0),
  insn(BPF_ALU64 | BPF_ADD | BPF_K, dst, 0, 0, offset),
];
const call = (helper: number): Insn => insn(BPF_JMP | BPF_CALL, 0, 0, 0, helper);

/**
 * A socket filter that performs `operations` on map 0 and stores each helper's result in map 1 (u64 array):
 * 0 or -errno for update/delete, the u32 value or -1 (NULL) for lookup.
 */
function programFor(operations: readonly Operation[]): Insn[] {
  const program: Insn[] = [];
  operations.forEach((operation, index) => {
    program.push(insn(BPF_ST | BPF_MEM | BPF_W, FP, 0, -8, operation.key));
    program.push(insn(BPF_ST | BPF_MEM | BPF_W, FP, 0, -16, operation.value));
    program.push(...ldMap(R1, 0), ...stackPointer(R2, -8));
    if (operation.kind === 'update') {
      program.push(...stackPointer(R3, -16), insn(BPF_ALU64 | BPF_MOV | BPF_K, R4, 0, 0, operation.flags));
      program.push(call(HELPER_MAP_UPDATE_ELEM));
    } else if (operation.kind === 'delete') {
      program.push(call(HELPER_MAP_DELETE_ELEM));
    } else {
      program.push(call(HELPER_MAP_LOOKUP_ELEM));
      program.push(insn(BPF_JMP | BPF_JEQ | BPF_K, R0, 0, 2, 0));
      program.push(insn(BPF_LDX | BPF_MEM | BPF_W, R0, R0, 0, 0));
      program.push(insn(BPF_JMP | BPF_JA, 0, 0, 1, 0));
      program.push(insn(BPF_ALU64 | BPF_MOV | BPF_K, R0, 0, 0, -1));
    }
    program.push(insn(BPF_STX | BPF_MEM | BPF_DW, FP, R0, -24, 0));
    program.push(insn(BPF_ST | BPF_MEM | BPF_W, FP, 0, -32, index));
    program.push(...ldMap(R1, 1), ...stackPointer(R2, -32), ...stackPointer(R3, -24));
    program.push(insn(BPF_ALU64 | BPF_MOV | BPF_K, R4, 0, 0, 0), call(HELPER_MAP_UPDATE_ELEM));
  });
  program.push(insn(BPF_ALU64 | BPF_MOV | BPF_K, R0, 0, 0, 0), insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
  return program;
}

interface MapUnderTest {
  type: 'hash' | 'array' | 'percpu_hash' | 'percpu_array';
  maxEntries: number;
  /** Compare the final contents too (per-CPU maps: the run's CPU is unknown, so only results). */
  compareContents: boolean;
}

function runInKernel(map: MapUnderTest, operations: readonly Operation[]) {
  const result = oracle.runInsns({
    type: 'socket_filter',
    insns: programFor(operations),
    maps: [
      { type: map.type, keySize: 4, valueSize: 4, maxEntries: map.maxEntries },
      { type: 'array', keySize: 4, valueSize: 8, maxEntries: operations.length },
    ],
    data: new Uint8Array(64),
    dumpMaps: true,
    logLevel: 0,
  });
  expect(result.verdict, result.log).toBe('accepted');
  expect(result.testRun?.errno).toBe(0);
  const results = result.maps![1].entries!.map((entry) => entry.value);
  const contents = (result.maps![0].entries ?? []).map((entry) => `${entry.key}=${entry.value}`).sort();
  return { results, contents };
}

function runInTsbpf(map: MapUnderTest, operations: readonly Operation[]) {
  const memory = new VmMemory();
  const tsbpfMap = createMap(memory, {
    type: map.type,
    keySize: 4,
    valueSize: 4,
    maxEntries: map.maxEntries,
  });
  const u64Hex = (value: bigint) => {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
    return bytesToHex(bytes);
  };
  const results = operations.map((operation) => {
    const key = u32Bytes(operation.key);
    if (operation.kind === 'update') {
      return u64Hex(BigInt(tsbpfMap.updateFromProgram(key, u32Bytes(operation.value), operation.flags, 0)));
    }
    if (operation.kind === 'delete') return u64Hex(BigInt(tsbpfMap.deleteFromProgram(key)));
    const address = tsbpfMap.lookup(key, 0);
    return u64Hex(address === undefined ? -1n : BigInt(memory.readU32(address)));
  });
  const contents = [...tsbpfMap.entries()]
    .map((entry) => `${bytesToHex(entry.key)}=${bytesToHex(entry.value)}`)
    .sort();
  return { results, contents };
}

const operationArbitrary = fc.record({
  kind: fc.constantFrom('update', 'update', 'delete', 'lookup') as fc.Arbitrary<Operation['kind']>,
  key: fc.integer({ min: 0, max: 6 }),
  value: fc.integer({ min: 0, max: 0x7fffffff }),
  flags: fc.constantFrom(0, 0, 1, 2, 3, 4, 5),
});

const mapsUnderTest: MapUnderTest[] = [
  { type: 'hash', maxEntries: 4, compareContents: true },
  { type: 'array', maxEntries: 4, compareContents: true },
  { type: 'percpu_hash', maxEntries: 3, compareContents: false },
  { type: 'percpu_array', maxEntries: 5, compareContents: false },
];

oracle.describe('maps against the kernel (helper calls from a program)', () => {
  for (const map of mapsUnderTest) {
    oracle.it(`${map.type}: same results and contents for random operation sequences`, () => {
      const sequences = fc.sample(fc.array(operationArbitrary, { minLength: 10, maxLength: 40 }), {
        numRuns: 6,
        seed: 42,
      });
      for (const operations of sequences) {
        const kernel = runInKernel(map, operations);
        const tsbpf = runInTsbpf(map, operations);
        expect(tsbpf.results).toEqual(kernel.results);
        if (map.compareContents) expect(tsbpf.contents).toEqual(kernel.contents);
      }
    });
  }
});
