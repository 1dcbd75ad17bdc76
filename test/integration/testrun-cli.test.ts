// `tsbpf run` and `tsbpf map dump` in-process through main(): output formats and exit statuses.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testPackets } from './testrun-packets.js';
import { runCli } from '../run-cli.js';
import { jitAvailable } from '../../src/api/engine-choice.js';

const work = mkdtempSync(join(tmpdir(), 'tsbpf-run-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = runCli;

const packetFile = (name: string): string => {
  const packet = testPackets().find((p) => p.name === name)!;
  const path = join(work, `${name}.bin`);
  writeFileSync(path, packet.data);
  return path;
};

describe('tsbpf run', () => {
  it('has help and is listed by tsbpf --help', async () => {
    expect((await run('run', '--help')).stdout).toMatch(/--program NAME/);
    expect((await run('--help')).stdout).toMatch(/run\s+test-run a program/);
  });

  it('bad usage exits 2', async () => {
    expect((await run('run', 'test/progs/xdp_flow.o', '--data', packetFile('arp'))).status).toBe(2);
    // --data is optional (sk_lookup, syscall and raw_tracepoint take none); an xdp run without it is the kernel's EINVAL
    const noData = await run('run', 'test/progs/xdp_flow.o', '--program', 'xdp_flow_count');
    expect(noData.status).toBe(1);
    expect(noData.stderr).toMatch(/EINVAL/);
    const repeat = await run(
      'run',
      'test/progs/xdp_flow.o',
      '--program',
      'x',
      '--data',
      packetFile('arp'),
      '--repeat',
      '-1',
    );
    expect(repeat.status).toBe(2);
    expect(repeat.stderr).toMatch(/--repeat/);
    expect(
      (await run('run', 'test/progs/missing.o', '--program', 'x', '--data', packetFile('arp'))).status,
    ).toBe(2);
  });

  it('an unknown program is refused with exit 1', async () => {
    const result = await run(
      'run',
      'test/progs/xdp_flow.o',
      '--program',
      'nope',
      '--data',
      packetFile('arp'),
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/no program 'nope' \(programs: /);
  });

  it('--engine picks the engine at load and --json says which one ran', async () => {
    const args = ['test/progs/xdp_flow.o', '--program', 'xdp_flow_count', '--data'] as const;
    const interp = await run('run', ...args, packetFile('ipv4-tcp-http'), '--engine', 'interp', '--json');
    expect(interp.status).toBe(0);
    expect(JSON.parse(interp.stdout)).toMatchObject({ program: 'xdp_flow_count', engine: 'interp' });
    const text = await run('run', ...args, packetFile('ipv4-tcp-http'), '--engine', 'interp');
    expect(text.stdout).toMatch(/^xdp_flow_count: retval \d+ \(0x[0-9a-f]+\) {2}\d+ ns\/run \(interp\)$/m);
    // Without --engine a verified program gets the JIT where tsbpf has one; --trace needs the interpreter.
    const byDefault = JSON.parse((await run('run', ...args, packetFile('ipv4-tcp-http'), '--json')).stdout);
    expect(byDefault.engine).toBe(jitAvailable() ? 'jit' : 'interp');
    const traced = await run('run', ...args, packetFile('ipv4-tcp-http'), '--trace', '--json');
    expect(JSON.parse(traced.stdout).engine).toBe('interp');
    const jit = await run('run', ...args, packetFile('ipv4-tcp-http'), '--engine', 'jit', '--json');
    if (jitAvailable()) {
      expect(jit.status).toBe(0);
      expect(JSON.parse(jit.stdout)).toMatchObject({
        engine: 'jit',
        retval: JSON.parse(interp.stdout).retval,
      });
    } else {
      // Refused at load, naming why, as any other load refusal: one line on stderr, exit 1.
      expect(jit.status).toBe(1);
      expect(jit.stdout).toBe('');
      expect(jit.stderr).toMatch(/^tsbpf run: BPF_PROG_LOAD: EOPNOTSUPP: engine 'jit' is not available/);
    }
  });
});

describe('tsbpf map dump', () => {
  it('prints global data and statically initialised maps after the load', async () => {
    const result = await run('map', 'dump', 'test/progs/tail_calls.o', '--json');
    expect(result.status).toBe(0);
    const maps = JSON.parse(result.stdout) as { name: string; type: string; entries: { key: string[] }[] }[];
    const table = maps.find((m) => m.name === 'dispatch_table')!;
    expect(table.type).toBe('prog_array');
    // bpftool's shape: bytes as "0x.." strings; prog arrays have no BTF, so no `formatted`.
    expect(table.entries.map((e) => e.key.join(' '))).toEqual(['0x00 0x00 0x00 0x00', '0x01 0x00 0x00 0x00']);
    expect(table.entries.every((e) => !('formatted' in e))).toBe(true);
    const text = await run('map', 'dump', 'test/progs/global_data.o');
    expect(text.stdout).toMatch(/^map .*\(array\):$/m);
    expect(text.stdout).toContain('"sample_every": 4');
  });

  it('usage errors exit 2', async () => {
    expect((await run('map', 'list', 'test/progs/tail_calls.o')).status).toBe(2);
    // run inputs need the program they are for; a program without --data is the kernel's EINVAL for xdp (exit 1)
    const orphan = await run('map', 'dump', 'test/progs/tail_calls.o', '--data', 'test/progs/tail_calls.o');
    expect(orphan.status).toBe(2);
    expect(orphan.stderr).toMatch(/--data needs --program/);
    expect((await run('map', 'dump', 'test/progs/tail_calls.o', '--program', 'xdp_dispatch')).status).toBe(1);
  });
});
