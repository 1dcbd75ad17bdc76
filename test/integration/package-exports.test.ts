// The package as a user installs it: built into a node_modules/tsbpf of its own (package.json + dist), then
// imported through its "exports" by plain Node ESM and type-checked from a TypeScript consumer.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPackage, TSC } from '../installed-package.js';

const work = mkdtempSync(join(tmpdir(), 'tsbpf-package-'));

beforeAll(() => {
  installPackage(work);
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function node(file: string, source: string) {
  writeFileSync(join(work, file), source);
  return spawnSync(process.execPath, [join(work, file)], { cwd: work, encoding: 'utf8' });
}

describe('the installed package', () => {
  it("imports 'tsbpf' and its subpaths and runs a program with the README's names", () => {
    const result = node(
      'consumer.mjs',
      `
      import { Bpf, BPF_ANY, BPF_NOEXIST, BPF_EXIST, BpfError, RuntimeFault, userHelper, TRACE_BUFFER_DEFAULT_BYTES, jitAvailable, setDefaultEngine } from 'tsbpf';
      import { assembleInsns, decodeInsn, formatInsn, validateInsns, encodeInsn, assemble } from 'tsbpf/isa';
      import { parseElf, writeElf, ElfError } from 'tsbpf/elf';
      import { parseBtf, parseBtfExt, formatBtfRaw, BtfError } from 'tsbpf/btf';
      import { openObject, relocateProgram, describeObject, ObjectError } from 'tsbpf/object';
      const bpf = new Bpf();
      const fd = bpf.mapCreate({ type: 'hash', keySize: 4, valueSize: 4, maxEntries: 4 });
      bpf.mapUpdate(fd, new Uint8Array(4), new Uint8Array([1, 0, 0, 0]), BPF_NOEXIST);
      let refused = null;
      try { bpf.mapUpdate(fd, new Uint8Array(2), new Uint8Array(4), BPF_ANY); } catch (e) { refused = e instanceof BpfError && e.errno; }
      const insns = assembleInsns('r0 = 2\\nexit');
      const prog = bpf.progLoad({ type: 'xdp', insns, license: 'GPL' });
      const run = bpf.testRun(prog.fd, { data: new Uint8Array(64) });
      const helper = userHelper({ name: 'h', args: ['ARG_ANYTHING'], implementation: () => 0n });
      const names = [decodeInsn, formatInsn, validateInsns, encodeInsn, assemble, parseElf, writeElf, ElfError,
        parseBtf, parseBtfExt, formatBtfRaw, BtfError, openObject, relocateProgram, describeObject, ObjectError,
        RuntimeFault, setDefaultEngine].map((f) => typeof f);
      console.log(JSON.stringify({ exist: BPF_EXIST, refused, retval: run.retval, lookup: [...bpf.mapLookup(fd, new Uint8Array(4))],
        helper: helper.proto.args[0].kernelName, names: [...new Set(names)], trace: TRACE_BUFFER_DEFAULT_BYTES,
        defaultEngine: prog.engine === (jitAvailable() ? 'jit' : 'interp') }));
      `,
    );
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      exist: 2,
      refused: 22,
      retval: 2,
      lookup: [1, 0, 0, 0],
      helper: 'ARG_ANYTHING',
      names: ['function'],
      trace: 1_441_792,
      defaultEngine: true,
    });
  });

  it('refuses deep imports of internals, as "exports" says', () => {
    const result = node('deep.mjs', "await import('tsbpf/dist/vm/vm.js');");
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it('gives TypeScript users the types: a consumer type-checks, misuse does not', () => {
    writeFileSync(
      join(work, 'consumer.ts'),
      `
      import {
        Bpf, BPF_ANY, RuntimeFault, UserProgramType, userHelper,
        type HelperCall, type ProgramTypeDeclaration, type TestRunResult, type RunProgramResult,
      } from 'tsbpf';
      import { type Insn, assembleInsns } from 'tsbpf/isa';
      import type { ElfFile } from 'tsbpf/elf';
      import type { Btf } from 'tsbpf/btf';
      import type { BpfObject } from 'tsbpf/object';

      const refill = (call: HelperCall): bigint => call.args[0] + 1n;
      const declaration: ProgramTypeDeclaration = {
        name: 'rate_limiter',
        context: { size: 8, fields: [{ name: 'tokens', offset: 0, size: 8, write: true }] },
        helpers: [userHelper({ name: 'refill', args: ['ARG_ANYTHING', ['ARG_PTR_TO_MEM', 'MEM_RDONLY', { size: 8 }]], implementation: refill })],
      };
      const bpf = new Bpf();
      const type: UserProgramType = bpf.registerProgramType(declaration);
      const insns: Insn[] = assembleInsns('r0 = 1\\nexit');
      const fd = bpf.progLoad({ type: type.name, insns }).fd;
      const ran: RunProgramResult = bpf.runProgram(fd, { context: { tokens: 3n } });
      const retval: number = ran.retval;
      const run: TestRunResult = bpf.testRun(fd);
      const fault: RuntimeFault | undefined = run.error?.fault;
      const missing: Uint8Array | undefined = bpf.mapLookup(3, new Uint8Array(4));
      bpf.mapUpdate(3, new Uint8Array(4), new Uint8Array(4), BPF_ANY);
      export const used: [number, RuntimeFault | undefined, Uint8Array | undefined, ElfFile?, Btf?, BpfObject?] = [retval, fault, missing];

      // @ts-expect-error a helper takes at most five arguments
      userHelper({ name: 'six', args: ['ARG_ANYTHING', 'ARG_ANYTHING', 'ARG_ANYTHING', 'ARG_ANYTHING', 'ARG_ANYTHING', 'ARG_ANYTHING'], implementation: refill });
      // @ts-expect-error argument kinds are the kernel's names
      userHelper({ name: 'typo', args: ['ARG_ANYTHNG'], implementation: refill });
      // @ts-expect-error retval is a number, not a bigint
      const wide: bigint = ran.retval;
      `,
    );
    writeFileSync(
      join(work, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          noEmit: true,
          types: [],
          lib: ['ES2022'],
        },
        files: ['consumer.ts'],
      }),
    );
    const result = spawnSync(process.execPath, [TSC, '-p', join(work, 'tsconfig.json')], {
      cwd: work,
      encoding: 'utf8',
    });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
