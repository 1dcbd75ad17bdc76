// `tsbpf verify`: verdicts, the kernel's log, JSON lines and the veristat-like table, on the corpus and assembly.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tsbpf-verify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function assemblyFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('tsbpf verify', () => {
  it('accepts every program of an object and prints one JSON line each', async () => {
    const result = await runCli('verify', 'test/progs/calls_basic.o', '--json');
    expect(result.status).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => l.program)).toEqual(['sock_diamond', 'sock_five_args', 'sock_legacy_loads']);
    for (const line of lines) {
      expect(line.accepted).toBe(true);
      expect(line.error).toBeNull();
      expect(line.processedInsns).toBeGreaterThan(0);
      expect(line.stackDepth.length).toBeGreaterThan(1);
    }
  });

  it('prints veristat-like rows with --stats', async () => {
    const result = await runCli('verify', 'test/progs/calls_basic.o', '--stats', '--program', 'sock_diamond');
    expect(result.status).toBe(0);
    const [header, rule, row] = result.stdout.trim().split('\n');
    expect(header).toMatch(/^Program +Verdict +Duration \(us\) +Insns +States +Peak states +Stack$/);
    expect(rule).toMatch(/^-+( +-+)+$/);
    expect(row).toMatch(/^sock_diamond +success +\d+ +\d+ +\d+ +\d+ +[\d+]+$/);
  });

  it('refuses an assembly program with the kernel error line and exit status 1', async () => {
    const file = assemblyFile('misaligned.s', 'r0 = 0\n*(u64 *)(r10 - 4) = r0\nexit\n');
    const text = await runCli('verify', file, '--type', 'xdp');
    expect(text.status).toBe(1);
    expect(text.stdout).toContain('prog: refused');
    expect(text.stdout).toContain('misaligned stack access off 0+0+-4 size 8');
    const json = await runCli('verify', file, '--type', 'xdp', '--json');
    const line = JSON.parse(json.stdout.trim());
    expect(line).toMatchObject({
      accepted: false,
      error: 'misaligned stack access off 0+0+-4 size 8',
      insn: 1,
    });
  });

  it('takes prog flags by name and capabilities', async () => {
    // A packet read at offset 1 of 4 bytes is misaligned only under strict alignment (NET_IP_ALIGN is 2).
    const file = assemblyFile(
      'packet.s',
      [
        'r2 = *(u32 *)(r1 + 0)',
        'r3 = *(u32 *)(r1 + 4)',
        'r4 = r2',
        'r4 += 8',
        'if r4 > r3 goto +1',
        'r0 = *(u32 *)(r2 + 1)',
        'r0 = 2',
        'exit',
        '',
      ].join('\n'),
    );
    expect((await runCli('verify', file, '--type', 'xdp', '--json')).status).toBe(0);
    const strict = await runCli(
      'verify',
      file,
      '--type',
      'xdp',
      '--json',
      '--prog-flags',
      'strict_alignment',
    );
    expect(strict.status).toBe(1);
    expect(JSON.parse(strict.stdout.trim()).error).toBe('misaligned packet access off 2+0+0+1 size 4');
    expect((await runCli('verify', file, '--type', 'xdp', '--prog-flags', 'no_such_flag')).status).toBe(2);
    expect((await runCli('verify', file, '--type', 'xdp', '--caps', 'bpf,perfmon,net_admin')).status).toBe(0);
    // xdp needs CAP_NET_ADMIN too: BPF_PROG_LOAD refuses it with EPERM before the verifier runs
    const noNetAdmin = await runCli('verify', file, '--type', 'xdp', '--json', '--caps', 'bpf,perfmon');
    expect(noNetAdmin.status).toBe(1);
    expect(JSON.parse(noNetAdmin.stdout.trim()).error).toContain('needs CAP_NET_ADMIN');
  });

  // The kernel's BTF of this machine stands for the kernel's types; without it the test says so and skips.
  const vmlinux = '/sys/kernel/btf/vmlinux';
  if (!existsSync(vmlinux)) console.warn(`SKIP tsbpf verify --btf: ${vmlinux} is missing`);
  it.skipIf(!existsSync(vmlinux))(
    'takes the kernel BTF with --btf, and names a BTF that does not parse',
    async () => {
      const object = 'test/progs/net/kbtf_core.o';
      const withBtf = await runCli('verify', object, '--program', 'tc_kbtf_core', '--btf', vmlinux);
      expect(withBtf.status).toBe(0);
      expect(withBtf.stdout).toContain('tc_kbtf_core: accepted');
      const table = await runCli('verify', object, '--program', 'tc_kbtf_core');
      expect(table.status).not.toBe(0);
      expect(table.stderr).toMatch(/CO-RE .*ethhdr___k/);
      const cut = join(dir, 'cut.btf');
      writeFileSync(cut, readFileSync(vmlinux).subarray(0, 100));
      const broken = await runCli('verify', object, '--btf', cut);
      expect(broken.status).toBe(1);
      expect(broken.stderr).toContain(`${cut}: kernel BTF does not parse`);
      const inspected = await runCli('inspect', object, '--btf', cut);
      expect(inspected.stderr).toContain(`${cut}: kernel BTF does not parse`);
      expect((await runCli('inspect', 'test/progs/calls_basic.o', '--btf', vmlinux)).status).toBe(0);
      // `run` takes it too: the IPv4 TTL and protocol read through bpf_rdonly_cast to struct iphdr.
      const packet = join(dir, 'ipv4.bin');
      writeFileSync(
        packet,
        Uint8Array.from([
          2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 8, 0, 0x45, 0, 0, 20, 0, 1, 0, 0, 77, 17, 0, 0, 10, 0, 0, 1, 10,
          0, 0, 2,
        ]),
      );
      const run = await runCli(
        'run',
        object,
        '--program',
        'tc_kbtf_core',
        '--data',
        packet,
        '--btf',
        vmlinux,
        '--dump-maps',
        '--json',
      );
      expect(run.status).toBe(0);
      const value = JSON.stringify(JSON.parse(run.stdout).maps);
      expect(value).toMatch(/"ttl":77/);
      expect(value).toMatch(/"protocol":17/);
    },
  );
});
