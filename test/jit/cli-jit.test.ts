// `tsbpf jit`: writes a module that WebAssembly accepts, and refuses bad usage.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WebAssemblyApi } from '../../src/jit/wasm-api.js';
import { runCli } from '../run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'tsbpf-jit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('tsbpf jit', () => {
  for (const mode of ['fast', 'checked']) {
    it(`writes a valid module (${mode} mode)`, async () => {
      const out = join(work, `${mode}.wasm`);
      const result = await runCli(
        'jit',
        'test/progs/calls_basic.o',
        '--program',
        'sock_diamond',
        '--wasm',
        out,
        '--mode',
        mode,
      );
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`structured, 0 dispatch loop\\), ${mode} mode`));
      const bytes = new Uint8Array(readFileSync(out));
      expect(WebAssemblyApi.validate(bytes)).toBe(true);
    });
  }

  it('refuses bad usage', async () => {
    expect((await runCli('jit', 'test/progs/calls_basic.o', '--wasm', join(work, 'x.wasm'))).status).toBe(2);
    const noProgram = await runCli('jit', 'test/progs/calls_basic.o', '--program', 'nope', '--wasm', 'x');
    expect(noProgram.status).toBe(2);
    expect(noProgram.stderr).toMatch(/no program 'nope'/);
    const badMode = await runCli(
      'jit',
      'test/progs/calls_basic.o',
      '--program',
      'sock_diamond',
      '--wasm',
      'x',
      '--mode',
      'turbo',
    );
    expect(badMode.stderr).toMatch(/--mode/);
    expect((await runCli('jit', '--help')).stdout).toMatch(/--wasm OUT.wasm/);
  });
});
