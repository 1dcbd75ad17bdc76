// `tsbpf run --maps FIXTURE` with the fixture keys of kfunc programs: `kconfig` values reach `__kconfig` externs,
// `conntrack` entries are found by the conntrack kfuncs, and a bad entry is one stderr line naming its path.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tsbpf-kfunc-fixture-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Ethernet + IPv4 + TCP SYN|ACK from 192.0.2.1:5555 to 192.0.2.2:80. */
const synAck = file(
  'syn-ack.bin',
  Uint8Array.from([
    ...[2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00],
    ...[0x45, 0, 0, 40, 0, 1, 0, 0, 64, 6, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2],
    ...[0x15, 0xb3, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x12, 0x10, 0, 0, 0, 0, 0],
  ]),
);
const entry = { saddr: '192.0.2.1', daddr: '192.0.2.2', sport: 5555, dport: 80, proto: 'tcp' };

describe('kfunc fixture keys on the command line', () => {
  it('a conntrack entry from the fixture lets an established connection through', async () => {
    const run = (maps: string[]) =>
      runCli(
        'run',
        'test/progs/net/kfunc_ct.o',
        '--program',
        'xdp_ct_firewall',
        '--data',
        synAck,
        '--json',
        ...maps,
      );
    const without = await run([]);
    expect(without.status).toBe(0);
    expect(JSON.parse(without.stdout).retval).toBe(1); // XDP_DROP: unknown, and not a SYN
    const withEntry = await run(['--maps', file('ct.json', JSON.stringify({ conntrack: [entry] }))]);
    expect(withEntry.status, withEntry.stderr).toBe(0);
    expect(JSON.parse(withEntry.stdout).retval).toBe(2); // XDP_PASS: conntrack knows it
  });

  it('kconfig values from the fixture reach the program', async () => {
    const run = (maps: string[]) =>
      runCli(
        'run',
        'test/progs/net/kfunc_kconfig.o',
        '--program',
        'xdp_kconfig',
        '--data',
        synAck,
        '--json',
        ...maps,
      );
    expect(JSON.parse((await run([])).stdout).retval).toBe(2); // CONFIG_HZ 250: XDP_PASS
    const hz = await run(['--maps', file('hz.json', JSON.stringify({ kconfig: { CONFIG_HZ: 1000 } }))]);
    expect(JSON.parse(hz.stdout).retval).toBe(1); // XDP_DROP
  });

  it('a bad conntrack entry or kconfig value is one line naming the fixture and its path', async () => {
    const bad = file('bad.json', JSON.stringify({ conntrack: [{ ...entry, proto: 'icmp' }] }));
    const result = await runCli(
      'run',
      'test/progs/net/kfunc_ct.o',
      '--program',
      'xdp_ct_firewall',
      '--data',
      synAck,
      '--maps',
      bad,
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('$.conntrack[0].proto');
    const kconfig = file('kc.json', JSON.stringify({ kconfig: { CONFIG_HZ: [1] } }));
    const refused = await runCli(
      'run',
      'test/progs/net/kfunc_kconfig.o',
      '--program',
      'xdp_kconfig',
      '--data',
      synAck,
      '--maps',
      kconfig,
    );
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('$.kconfig.CONFIG_HZ');
  });
});
