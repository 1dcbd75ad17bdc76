// Every vector of the public eBPF conformance suite through `tsbpf conformance-plugin`: in-process for all of
// them, and through the real command (stdin, argv, stdout, exit status) for a handful.

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runConformancePlugin } from '../../src/cli/conformance-plugin.js';
import { writeInsns } from '../../src/isa/insn.js';
import { loadConformanceTest } from '../../src/isa/conformance-asm.js';
import { conformanceDir } from '../conformance-data.js';
import { REPO_ROOT } from '../corpus.js';

/**
 * Vectors that need a feature the Linux ISA does not have, with the reason. The suite's plugins for Linux
 * (its own `bpf_conformance` runs against the kernel) skip the same.
 */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  'callx.data':
    'callx (BPF_JMP|BPF_CALL|BPF_X, opcode 0x8d) calls through a register; Linux has no such instruction ("unknown opcode 8d")',
};

const dir = join(conformanceDir(), 'tests');
const files = readdirSync(dir)
  .filter((file) => file.endsWith('.data'))
  .sort();

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

describe('conformance suite through the plugin protocol', () => {
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
  for (const file of ['call_local.data', 'mem-len.data', 'lock_cmpxchg.data', 'ldxb.data']) {
    it(file, () => {
      const path = join(dir, file);
      const test = loadConformanceTest(readFileSync(path, 'utf8'), file);
      const result = spawnSync(process.execPath, [bin, 'conformance-plugin', toHex(test.mem)], {
        input: writeInsns(test.insns),
        encoding: 'utf8',
      });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(BigInt(`0x${result.stdout.trim()}`)).toBe(BigInt.asUintN(64, test.result!));
    });
  }

  it('an unknown opcode is an error exit with the reason on stderr', () => {
    const result = spawnSync(process.execPath, [bin, 'conformance-plugin'], {
      input: Buffer.from('8d20000000000000' + '9500000000000000', 'hex'),
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/unknown opcode 8d/);
  });
});
