// Every vector of the public eBPF conformance suite through `tsbpf conformance-plugin`: in-process for all of
// them, and through the real command (stdin, argv, stdout, exit status) for a handful.

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { decodeProgramInput, runConformancePlugin } from '../../src/cli/conformance-plugin.js';
import { assemble } from '../../src/isa/assembler.js';
import { writeInsns } from '../../src/isa/insn.js';
import { loadConformanceTest } from '../conformance/conformance-asm.js';
import { assembledObjectToElf } from '../../src/object/assembled-to-elf.js';
import { requireConformanceVectors } from '../conformance-data.js';
import { REPO_ROOT } from '../corpus.js';

/**
 * Vectors that need a feature the Linux ISA does not have, with the reason. The suite's plugins for Linux
 * (its own `bpf_conformance` runs against the kernel) skip the same.
 */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  'callx.data':
    'callx (BPF_JMP|BPF_CALL|BPF_X, opcode 0x8d) calls through a register; Linux has no such instruction ("unknown opcode 8d")',
};

const vectors = requireConformanceVectors();
const dir = join(vectors.dir, 'tests');
const files = vectors.available
  ? readdirSync(dir)
      .filter((file) => file.endsWith('.data'))
      .sort()
  : [];

/** Hex as the suite's runner writes program and memory (`_base_16_encode`: each byte followed by two spaces). */
function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => `${b.toString(16).padStart(2, '0')}  `).join('');
}

vectors.describe('conformance suite through the plugin protocol', () => {
  it('finds the whole suite', () => {
    expect(files.length).toBeGreaterThan(300);
  });

  let passed = 0;
  for (const file of files) {
    const reason = UNSUPPORTED[file];
    it(reason === undefined ? file : `${file} is refused: ${reason}`, () => {
      const test = loadConformanceTest(readFileSync(join(dir, file), 'utf8'), file);
      const program = writeInsns(test.insns);
      if (reason !== undefined) {
        expect(() => runConformancePlugin(program, toHex(test.mem), {})).toThrow();
        return;
      }
      expect(test.result, `${file} has an expected result`).toBeDefined();
      const r0 = runConformancePlugin(program, toHex(test.mem), {});
      expect(BigInt(`0x${r0}`)).toBe(BigInt.asUintN(64, test.result!));
      passed++;
    });
  }

  it('passes every vector but the unsupported ones', () => {
    expect(passed).toBe(files.length - Object.keys(UNSUPPORTED).length);
  });
});

describe('the real command speaks the protocol', () => {
  const bin = join(REPO_ROOT, 'bin', 'tsbpf.js');
  const plugin = (args: string[], input: string | Buffer) =>
    spawnSync(process.execPath, [bin, 'conformance-plugin', ...args], { input, encoding: 'utf8' });

  for (const file of [
    'call_local.data',
    'mem-len.data',
    'lock_cmpxchg.data',
    'ldxb.data',
    'call_unwind_fail.data',
  ]) {
    vectors.it(`${file}: the program as one line of hex on stdin, as the suite sends it`, () => {
      const test = loadConformanceTest(readFileSync(join(dir, file), 'utf8'), file);
      const args = test.mem.length > 0 ? [toHex(test.mem)] : [];
      const result = plugin(args, `${toHex(writeInsns(test.insns))}\n`);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toBe(`${BigInt.asUintN(64, test.result!).toString(16)}\n`);
    });
  }

  it('raw instructions on stdin and --program HEX work too', () => {
    const program = writeInsns(loadConformanceTest('-- asm\nmov %r0, 0x2a\nexit\n-- result\n0x2a\n').insns);
    expect(plugin([], Buffer.from(program)).stdout).toBe('2a\n');
    expect(plugin(['--program', toHex(program), '--interpret'], '').stdout).toBe('2a\n');
  });

  it('an unknown opcode is an error exit with the reason on stderr', () => {
    const result = plugin([], '8d 20 00 00 00 00 00 00 95 00 00 00 00 00 00 00\n');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/unknown opcode 8d/);
  });

  it('--jit runs the program in the WebAssembly JIT', async () => {
    const out: string[] = [];
    // r0 = 7; r0 *= 6; exit
    const status = await main(
      [
        'conformance-plugin',
        '--jit',
        '--program',
        'b7 00 00 00 07 00 00 00 27 00 00 00 06 00 00 00 95 00 00 00 00 00 00 00',
      ],
      (text) => out.push(text),
      () => {},
    );
    expect(status).toBe(0);
    expect(out.join('')).toBe('2a');
  });
});

describe('--elf: the objects the suite writes', () => {
  const object = (section: string) =>
    assembledObjectToElf(
      assemble(
        `.section ${section},"ax",@progbits\n.globl main\nmain:\nr0 = *(u8 *)(r1 + 1)\ncall sub\nexit\nsub:\nr0 += r2\nexit\n`,
      ),
    );

  it('the default layout: the whole program in .text under the global symbol main', () => {
    expect(runConformancePlugin(object('.text'), '10 20 30', { elf: true })).toBe('23');
  });

  it('the xdp layout: a program section', () => {
    expect(runConformancePlugin(object('xdp'), '10 20 30', { elf: true })).toBe('23');
  });

  it('through the real command with the ELF as hex on stdin', () => {
    const result = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'bin', 'tsbpf.js'), 'conformance-plugin', '01 02', '--elf'],
      {
        input: `${toHex(object('.text'))}\n`,
        encoding: 'utf8',
      },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('4\n');
  });
});

describe('program input decoding', () => {
  it('takes hex text as hex and anything else as raw bytes', () => {
    expect(decodeProgramInput(new TextEncoder().encode('95  00\n'))).toEqual(new Uint8Array([0x95, 0]));
    const raw = new Uint8Array([0x95, 0, 0, 0, 0, 0, 0, 0]);
    expect(decodeProgramInput(raw)).toBe(raw);
    expect(() => decodeProgramInput(new TextEncoder().encode('950'))).toThrow(/odd number of hex digits/);
  });
});
