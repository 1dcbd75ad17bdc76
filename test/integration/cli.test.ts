// The `tsbpf` command end to end: objdump against llvm-objdump-14, asm round trips, inspect, exit statuses.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ObjectDescription } from '../../src/object/describe-object.js';
import { corpusObjects, REPO_ROOT } from '../corpus.js';
import { runCli } from '../run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'tsbpf-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = runCli;

function llvmObjdump(...args: string[]): string {
  return execFileSync('llvm-objdump-14', args, { cwd: REPO_ROOT, encoding: 'utf8' });
}

/** objdump output without its first lines (the file name differs between an object and its rebuild). */
function body(listing: string): string {
  return listing.split('\n').slice(2).join('\n');
}

describe('tsbpf objdump equals llvm-objdump-14 line for line', () => {
  for (const object of corpusObjects()) {
    it(object.path, async () => {
      for (const flags of [['-d'], ['-d', '-r']]) {
        const ours = await run(
          'objdump',
          ...(flags.includes('-r') ? ['-r'] : []),
          object.path.replaceAll('\\', '/'),
        );
        expect(ours.status).toBe(0);
        // main() runs with the repository root as cwd in vitest, so paths print the same.
        expect(ours.stdout.split('\n')).toEqual(llvmObjdump(...flags, object.path).split('\n'));
      }
    });
  }
});

describe('tsbpf asm reads what tsbpf objdump -r prints', () => {
  for (const object of corpusObjects()) {
    it(`${object.path}: text -> object -> same disassembly and relocations`, async () => {
      const listing = await run('objdump', '-r', object.path);
      const source = join(work, `${object.path.replace(/\W/g, '_')}.s`);
      const rebuilt = join(work, `${object.path.replace(/\W/g, '_')}.o`);
      writeFileSync(source, listing.stdout);
      const assembled = await run('asm', source, '-o', rebuilt);
      expect(assembled.stderr).toBe('');
      expect(assembled.status).toBe(0);
      expect(body(llvmObjdump('-d', '-r', rebuilt))).toBe(body(llvmObjdump('-d', '-r', object.path)));
    });
  }

  it('assembles named functions and local calls into an object libbpf can load', async () => {
    const source = join(work, 'calls.s');
    writeFileSync(
      source,
      [
        '        .text',
        'double:',
        '        r0 = r1',
        '        r0 += r1',
        '        exit',
        '        .section socket,"ax",@progbits',
        '        .globl prog',
        'prog:',
        '        r1 = 21',
        '        call double',
        '        exit',
      ].join('\n'),
    );
    const output = join(work, 'calls.o');
    expect((await run('asm', source, '-o', output)).status).toBe(0);
    const inspected = await run('inspect', '--json', output);
    const description = JSON.parse(inspected.stdout) as ObjectDescription;
    expect(description.programs).toHaveLength(1);
    expect(description.programs[0].functions.map((f) => [f.name, f.start, f.count])).toEqual([
      ['prog', 0, 3],
      ['double', 3, 3],
    ]);
    expect(description.programs[0].calls).toEqual([
      { caller: 'prog', callee: 'double', insn: 1, kind: 'call' },
    ]);
  });
});

describe('tsbpf inspect', () => {
  it('describes programs, appended functions, the call graph and maps', async () => {
    const result = await run('inspect', '--json', 'test/progs/global_data.o');
    expect(result.status).toBe(0);
    const description = JSON.parse(result.stdout) as ObjectDescription;
    expect(description.license).toBe('GPL');
    // libbpf's internal map names: 8 characters of the object name, then the section (in section order).
    expect(description.maps.map((m) => m.name)).toEqual([
      'global_d.rodata',
      'global_d.data',
      '.data.tuning',
      '.rodata.names',
      'global_d.bss',
    ]);
    for (const program of description.programs) {
      expect(program.error).toBeUndefined();
      expect(program.functions[0].name).toBe(program.name);
      expect(program.functions[0].start).toBe(0);
      // Functions are laid out back to back, each call edge points at a placed function.
      for (let i = 1; i < program.functions.length; i++) {
        const previous = program.functions[i - 1];
        expect(program.functions[i].start).toBe(previous.start + previous.count);
      }
      const placed = new Set(program.functions.map((f) => f.name));
      for (const call of program.calls) expect(placed.has(call.callee)).toBe(true);
    }
  });

  it('prints a readable text form', async () => {
    const result = await run('inspect', 'test/progs/calls_basic.o');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('call graph: sock_diamond -> left_path');
    expect(result.stdout).toMatch(/\[22\.\.25\] left_path/);
  });
});

describe('exit statuses and messages', () => {
  it('0 for --help of every command', async () => {
    for (const command of ['objdump', 'inspect', 'asm', 'example']) {
      const result = await run(command, '--help');
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(`Usage: tsbpf ${command}`);
    }
    expect((await run('--help')).status).toBe(0);
  });

  it('2 for bad usage and unreadable input, with one line on stderr', async () => {
    for (const argv of [
      ['nope'],
      ['objdump'],
      ['objdump', '--bogus', 'x.o'],
      ['asm', 'x.s'],
      ['inspect', 'missing.o'],
    ]) {
      const result = await run(...argv);
      expect(result.status, argv.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n'), argv.join(' ')).toHaveLength(1);
    }
    expect((await run('inspect', 'missing.o')).stderr).toContain("cannot read 'missing.o'");
  });

  it('1 for a refused object or program, naming where', async () => {
    const truncated = join(work, 'truncated.o');
    writeFileSync(truncated, readFileSync(join(REPO_ROOT, 'test/progs/calls_basic.o')).subarray(0, 200));
    const result = await run('inspect', truncated);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^tsbpf inspect: elf: .*truncated\.o/);

    const bad = join(work, 'bad.s');
    writeFileSync(bad, 'r0 = 1\nr11 = 2\nexit\n');
    const assembled = await run('asm', bad, '-o', join(work, 'bad.o'));
    expect(assembled.status).toBe(1);
    expect(assembled.stderr).toMatch(/bad\.s:2:/);
    expect(spawnSync('test', ['-e', join(work, 'bad.o')]).status).not.toBe(0);
  });

  it('the installed bin runs the example', () => {
    const result = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/tsbpf.js'), 'example'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('sock_diamond -> left_path');
    expect(result.stdout).toContain('sock_diamond: fd');
    // The kernel's BPF_PROG_TEST_RUN gives the same return values for this packet (checked with the oracle).
    expect(result.stdout).toMatch(/sock_diamond: retval 2973,/);
    expect(result.stdout).toMatch(/sock_five_args: retval 891,/);
    expect(result.stdout).toMatch(/sock_legacy_loads: retval 20684,/);
  });
});
