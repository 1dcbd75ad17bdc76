// The conformance suite's test helpers 0-5 (as its plugins define them, ubpf_plugin/test_helpers.h) and the way a
// plugin runs a program: r1 = a copy of the memory, r2 = its length. The suite's vectors exercise only unwind.

import { describe, expect, it } from 'vitest';
import { assembleInsns } from '../isa/assembler.js';
import { InsnError } from '../isa/insn-error.js';
import { insn } from '../isa/insn.js';
import { runConformanceProgram } from './conformance.js';
import { RuntimeFault } from './runtime.js';

const bytes = (...values: number[]) => new Uint8Array(values);
const runText = (text: string, memory = new Uint8Array(0)) =>
  runConformanceProgram(assembleInsns(text), memory);

describe('conformance helpers', () => {
  it('0 gather_bytes packs the low byte of r1..r5, r1 most significant', () => {
    expect(runText('r1 = 0x101\nr2 = 2\nr3 = 3\nr4 = 4\nr5 = 0xff05\ncall 0\nexit')).toBe(0x01_02_03_04_05n);
  });

  it('1 memfrob XORs r2 bytes at r1 with 42', () => {
    const text = 'r6 = r1\nr1 += 2\nr2 = 4\ncall 1\nr0 = *(u64 *)(r6 + 0)\nr0 = be64 r0\nexit';
    expect(runText(text, bytes(1, 2, 3, 4, 5, 6, 7, 8))).toBe(0x0102_292e_2f2c_0708n);
  });

  it('2 no_op returns 0', () => {
    expect(runText('r0 = 5\ncall 2\nexit')).toBe(0n);
  });

  it('3 sqrti truncates the root of the value as a double (C std::sqrt on a u64)', () => {
    expect(runText('r1 = 1000000\ncall 3\nexit')).toBe(1000n);
    expect(runText('r1 = 99\ncall 3\nexit')).toBe(9n);
    // 2^64-1 becomes the double 2^64, whose root is 2^32 (an exact integer root would be 2^32-1).
    expect(runText('r1 = -1\ncall 3\nexit')).toBe(0x1_0000_0000n);
  });

  it('4 strcmp_ext compares the C strings at r1 and r2', () => {
    const memory = new TextEncoder().encode('abcx\0abcy\0abcx\0');
    const compare = (a: number, b: number) =>
      runText(`r2 = r1\nr1 += ${a}\nr2 += ${b}\ncall 4\nexit`, memory);
    expect(compare(0, 10)).toBe(0n);
    expect(BigInt.asIntN(64, compare(0, 5))).toBeLessThan(0n);
    expect(BigInt.asIntN(64, compare(5, 0))).toBeGreaterThan(0n);
  });

  it('5 unwind returns r1, and r1 = 0 ends the program with r0 = 0', () => {
    expect(runText('r1 = 7\ncall 5\nr0 += 1\nexit')).toBe(8n);
    // The whole program ends, also from a subprogram (ubpf: the unwind extension returns from the VM).
    expect(runText('r0 = 3\nr1 = 0\ncall f\nr0 = 2\nexit\nf:\ncall 5\nr0 = 9\nexit')).toBe(0n);
    expect(runText('r0 = 3\nr1 = 0\ncall 5\nr0 = 2\nexit')).toBe(0n);
  });

  it('a helper given a bad pointer is a RuntimeFault, as is an unknown helper', () => {
    expect(() => runText('r1 = 16\nr2 = 1\ncall 1\nexit')).toThrow(RuntimeFault);
    expect(() => runText('call 6\nexit')).toThrow(/unknown helper 6/);
  });
});

describe('runConformanceProgram', () => {
  it('r1 points to a copy of the memory and r2 holds its length', () => {
    const memory = bytes(0x11, 0x22, 0x33);
    expect(runText('r0 = *(u8 *)(r1 + 2)\nr0 <<= 8\nr0 |= r2\nexit', memory)).toBe(0x3303n);
    expect(memory).toEqual(bytes(0x11, 0x22, 0x33));
    expect(runText('r0 = r1\nr0 |= r2\nexit')).toBe(0n);
  });

  it('refuses invalid encodings before running and faults on bad accesses', () => {
    expect(() =>
      runConformanceProgram([insn(0x8d, 0, 2, 0, 0), insn(0x95, 0, 0, 0, 0)], new Uint8Array(0)),
    ).toThrow(InsnError);
    // Checked mode's unit is the allocation, whose size VmMemory rounds up to 8 bytes.
    expect(runText('r0 = *(u8 *)(r1 + 7)\nexit', bytes(1, 2, 3))).toBe(0n);
    expect(() => runText('r0 = *(u8 *)(r1 + 8)\nexit', bytes(1, 2, 3))).toThrow(RuntimeFault);
  });

  it('a runaway program ends at its budget', () => {
    expect(() =>
      runConformanceProgram(assembleInsns('l:\ngoto l'), new Uint8Array(0), { budget: 50 }),
    ).toThrow(/budget of 50/);
  });
});
