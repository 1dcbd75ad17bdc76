// Bad run configurations given to the CLI (fixtures, types, budgets, CPUs): each row gives one line on stderr
// naming the fixture file and JSON path (or the flag), the documented exit status, and no crash.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tsbpf-fixture-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LB = 'test/progs/configured/lb_fixture.o';
const SIZED = 'test/progs/configured/sized_maps.o';
const RODATA = 'test/progs/configured/rodata_config.o';
const CUSTOM = 'test/progs/configured/custom_section.o';
const TAIL = 'test/progs/tail_calls.o';

const packetFile = join(dir, 'packet.bin');
writeFileSync(packetFile, new Uint8Array(64));

let files = 0;
function fixture(content: unknown): string {
  const path = join(dir, `fixture-${files++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

interface Row {
  name: string;
  args: () => string[];
  status: number;
  /** What the one stderr line must say (the fixture's path is checked separately where there is one). */
  stderr: RegExp;
  fixture?: boolean;
}

const run = (object: string, program: string, ...more: string[]) => [
  'run',
  object,
  '--program',
  program,
  '--data',
  packetFile,
  ...more,
];

const rows: Row[] = [
  {
    name: 'bad JSON',
    args: () => run(LB, 'xdp_lb', '--maps', fixture('{"maps": {')),
    status: 2,
    stderr: /: \$: bad JSON: /,
    fixture: true,
  },
  {
    name: 'a fixture that is not an object',
    args: () => run(LB, 'xdp_lb', '--maps', fixture([1, 2])),
    status: 2,
    stderr: /: \$: expected an object with "maps", "globals", "network", "kconfig" and\/or "conntrack"/,
    fixture: true,
  },
  {
    name: 'an unknown top-level key',
    args: () => run(LB, 'xdp_lb', '--maps', fixture({ map: {} })),
    status: 2,
    stderr: /: \$\.map: unknown key/,
    fixture: true,
  },
  {
    name: 'an interface under the ifindex of lo',
    args: () =>
      run(LB, 'xdp_lb', '--maps', fixture({ network: { devices: [{ ifindex: 1, name: 'eth0' }] } })),
    status: 2,
    stderr: /: \$\.network\.devices\[0\]: ifindex 1 is already lo/,
    fixture: true,
  },
  {
    name: 'an interface with a malformed MAC',
    args: () =>
      run(
        LB,
        'xdp_lb',
        '--maps',
        fixture({ network: { devices: [{ ifindex: 2, name: 'eth0', mac: '02:00' }] } }),
      ),
    status: 2,
    stderr: /: \$\.network\.devices\[0\]\.mac: expected six hex bytes separated by colons/,
    fixture: true,
  },
  {
    name: 'a socket bound to a device the namespace lacks',
    args: () =>
      run(
        LB,
        'xdp_lb',
        '--maps',
        fixture({
          network: { sockets: [{ kind: 'udp', localAddress: '::', localPort: 53, boundDevice: 9 }] },
        }),
      ),
    status: 2,
    stderr: /: \$\.network\.sockets\[0\]: no device with ifindex 9 to bind to \(ENODEV\)/,
    fixture: true,
  },
  {
    name: 'a peer namespace whose id the namespace has for itself',
    args: () =>
      run(LB, 'xdp_lb', '--maps', fixture({ network: { netnsId: 3, peers: [{ id: 3, network: {} }] } })),
    status: 2,
    stderr: /: \$\.network\.peers\[0\]: netns id 3 is taken \(EEXIST\)/,
    fixture: true,
  },
  {
    name: 'an unknown map',
    args: () => run(LB, 'xdp_lb', '--maps', fixture({ maps: { vipz: { entries: [] } } })),
    status: 2,
    stderr: /: \$\.maps\.vipz: map 'vipz' is not in .*lb_fixture\.o \(maps: vips, backends, backend_stats\)/,
    fixture: true,
  },
  {
    name: 'an unknown variable',
    args: () => run(RODATA, 'tc_configured_policy', '--maps', fixture({ globals: { cfg_prot: 80 } })),
    status: 2,
    stderr: /: \$\.globals\.cfg_prot: no global variable 'cfg_prot' .*\(variables: .*cfg_port/,
    fixture: true,
  },
  {
    name: 'a key of the wrong size (hex)',
    args: () =>
      run(
        LB,
        'xdp_lb',
        '--maps',
        fixture({ maps: { backends: { entries: [{ key: '0200', value: '00' }] } } }),
      ),
    status: 2,
    stderr:
      /: \$\.maps\.backends\.entries\[0\]\.key: expected an integer .* \(as hex: 2 bytes given, the key has 4\)/,
    fixture: true,
  },
  {
    name: 'a value of the wrong shape',
    args: () =>
      run(LB, 'xdp_lb', '--maps', fixture({ maps: { backends: { entries: [{ key: 1, value: [1] }] } } })),
    status: 2,
    stderr:
      /: \$\.maps\.backends\.entries\[0\]\.value: expected an object with the members of struct backend/,
    fixture: true,
  },
  {
    name: 'a member the type does not have',
    args: () =>
      run(
        LB,
        'xdp_lb',
        '--maps',
        fixture({ maps: { backends: { entries: [{ key: 1, value: { adr: 1 } }] } } }),
      ),
    status: 2,
    stderr: /: \$\.maps\.backends\.entries\[0\]\.value\.adr: struct backend has no member 'adr'/,
    fixture: true,
  },
  {
    name: 'an enum value the type does not have',
    args: () =>
      run(
        SIZED,
        'xdp_port_filter',
        '--maps',
        fixture({
          maps: {
            filter_ports: { maxEntries: 4, entries: [{ key: 1, value: 'PORT_MAYBE' }] },
            action_counters: { maxEntries: 1 },
          },
        }),
      ),
    status: 2,
    stderr: /: \$\.maps\.filter_ports\.entries\[0\]\.value: 'PORT_MAYBE' is not a value of enum port_action/,
    fixture: true,
  },
  {
    name: 'an integer out of range',
    args: () => run(RODATA, 'tc_configured_policy', '--maps', fixture({ globals: { cfg_port: 70000 } })),
    status: 2,
    stderr: /: \$\.globals\.cfg_port: 70000 does not fit u16/,
    fixture: true,
  },
  {
    name: 'an array index past max_entries',
    args: () =>
      run(LB, 'xdp_lb', '--maps', fixture({ maps: { backends: { entries: [{ key: 256, value: {} }] } } })),
    status: 2,
    stderr: /: \$\.maps\.backends\.entries\[0\]: map 'backends': .*E2BIG/,
    fixture: true,
  },
  {
    name: 'per-CPU values for the wrong number of CPUs',
    args: () =>
      run(
        LB,
        'xdp_lb',
        '--cpus',
        '2',
        '--maps',
        fixture({ maps: { backend_stats: { entries: [{ key: 0, values: [{}] }] } } }),
      ),
    status: 2,
    stderr:
      /: \$\.maps\.backend_stats\.entries\[0\]\.values: expected 2 values \(one per possible CPU\), got 1/,
    fixture: true,
  },
  {
    name: 'maxEntries that is not a positive u32',
    args: () =>
      run(SIZED, 'xdp_port_filter', '--maps', fixture({ maps: { filter_ports: { maxEntries: 0 } } })),
    status: 2,
    stderr: /: \$\.maps\.filter_ports\.maxEntries: expected an integer 1\.\.4294967295/,
    fixture: true,
  },
  {
    name: 'a prog array slot naming no program',
    args: () =>
      run(
        TAIL,
        'xdp_dispatch',
        '--maps',
        fixture({ maps: { dispatch_table: { entries: [{ key: 0, value: 'xdp_nope' }] } } }),
      ),
    status: 2,
    stderr: /: \$\.maps\.dispatch_table\.entries\[0\]\.value: program 'xdp_nope' is not in /,
    fixture: true,
  },
  {
    name: 'max_entries 0 without a size',
    args: () => run(SIZED, 'xdp_port_filter'),
    status: 1,
    stderr:
      /map 'filter_ports': max_entries is 0 .*\$\.maps\.filter_ports\.maxEntries in a fixture \(--maps FILE\)/,
  },
  {
    name: 'a section without a type',
    args: () => run(CUSTOM, 'xdp_vlan_filter'),
    status: 1,
    stderr: /prog 'xdp_vlan_filter': missing BPF prog type, check ELF section name 'xdp_drop_vlan_4'/,
  },
  {
    name: 'a missing fixture file',
    args: () => run(LB, 'xdp_lb', '--maps', join(dir, 'absent.json')),
    status: 2,
    stderr: /cannot read '.*absent\.json': no such file/,
  },
  {
    name: 'an unknown --type',
    args: () => run(CUSTOM, 'xdp_vlan_filter', '--type', 'xpd'),
    status: 2,
    stderr: /--type: unknown program type 'xpd'/,
  },
  {
    name: 'an unknown --expected-attach-type',
    args: () => run(CUSTOM, 'xdp_vlan_filter', '--type', 'xdp', '--expected-attach-type', 'nope'),
    status: 2,
    stderr: /--expected-attach-type: unknown attach type 'nope'/,
  },
  {
    name: '--budget 0',
    args: () => run(LB, 'xdp_lb', '--budget', '0'),
    status: 2,
    stderr: /--budget: '0' is not an integer 1\.\./,
  },
  {
    name: '--cpus past 4096',
    args: () => run(LB, 'xdp_lb', '--cpus', '5000'),
    status: 2,
    stderr: /--cpus: '5000' is not an integer 1\.\.4096/,
  },
  {
    name: '--type on map dump',
    args: () => ['map', 'dump', CUSTOM, '--type', 'bogus'],
    status: 2,
    stderr: /--type: unknown program type 'bogus'/,
  },
];

describe('fixture and run-configuration errors in the CLI', () => {
  for (const row of rows) {
    it(row.name, async () => {
      const args = row.args();
      const result = await runCli(...args);
      const lines = result.stderr.split('\n').filter((line) => line.length > 0);
      expect(lines, result.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(row.stderr);
      expect(lines[0]).not.toMatch(/internal error|at .*\.ts:\d+/);
      if (row.fixture) expect(lines[0]).toContain(args[args.indexOf('--maps') + 1]);
      expect(result.status).toBe(row.status);
      expect(result.stdout).toBe('');
    });
  }
});

describe('run configuration that works', () => {
  it('--budget stops a run in checked mode (exit 1, the fault on the output)', async () => {
    const packet = join(dir, 'udp.bin');
    // Ethernet + IPv4 + UDP to 192.168.0.10:80, a VIP of the fixture below
    writeFileSync(
      packet,
      Buffer.from(
        '020000000001020000000002080045000022000140004011000a0a090001c0a8000a9c400050000e0000686568656c6f',
        'hex',
      ),
    );
    const vips = fixture({
      maps: {
        vips: {
          entries: [{ key: 'c0a8000a00501100', value: { flags: 0, first_backend: 0, backend_count: 1 } }],
        },
        backends: { entries: [{ key: 0, value: { addr: 1, mac: [2, 0, 0, 0, 0, 9], weight: 1 } }] },
      },
    });
    const ok = await runCli('run', LB, '--program', 'xdp_lb', '--data', packet, '--maps', vips);
    expect(ok.stdout).toMatch(/^xdp_lb: retval 3 /);
    expect(ok.status).toBe(0);
    const stopped = await runCli(
      'run',
      LB,
      '--program',
      'xdp_lb',
      '--data',
      packet,
      '--maps',
      vips,
      '--budget',
      '20',
    );
    expect(stopped.status).toBe(1);
    expect(stopped.stdout + stopped.stderr).toMatch(/budget|instruction limit/i);
  });

  it('map dump loads every program and warns about the one it cannot type', async () => {
    const result = await runCli('map', 'dump', CUSTOM);
    expect(result.status).toBe(0);
    expect(result.stderr.trim()).toBe(
      "tsbpf map: warning: prog 'xdp_vlan_filter' (section 'xdp_drop_vlan_4') not loaded: missing BPF prog type, " +
        "check ELF section name 'xdp_drop_vlan_4' (or give the type: --type TYPE, setProgramType)",
    );
    const typed = await runCli('map', 'dump', CUSTOM, '--type', 'xdp', '--json');
    expect(typed.stderr).toBe('');
    const maps = JSON.parse(typed.stdout) as { name: string; type: string; entries: unknown[] }[];
    expect(maps.find((m) => m.name === 'verdicts')).toMatchObject({ type: 'array' });
    expect(maps.find((m) => m.name === 'verdicts')?.entries).toHaveLength(5);
  });

  it('map dump shows the fixture, sizes and globals included, before any run', async () => {
    const result = await runCli(
      'map',
      'dump',
      SIZED,
      '--maps',
      fixture({
        maps: {
          filter_ports: { maxEntries: 4, entries: [{ key: 80, value: 'PORT_DROP' }] },
          action_counters: { maxEntries: 3 },
        },
      }),
      '--json',
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const maps = JSON.parse(result.stdout) as { name: string; entries: unknown[] }[];
    // bpftool's shape: bytes as "0x.." strings, the BTF-formatted key and value beside them.
    expect(maps.find((m) => m.name === 'filter_ports')?.entries).toEqual([
      {
        key: ['0x50', '0x00'],
        value: ['0x01', '0x00', '0x00', '0x00'],
        formatted: { key: 80, value: 'PORT_DROP' },
      },
    ]);
    expect(maps.find((m) => m.name === 'action_counters')?.entries).toHaveLength(3);
    const rodata = await runCli(
      'map',
      'dump',
      RODATA,
      '--maps',
      fixture({ globals: { cfg_port: 443, cfg_mark: '0xdeadbeef' } }),
    );
    expect(rodata.stdout).toContain('"cfg_port": 443');
    expect(rodata.stdout).toContain('"cfg_mark": 3735928559');
  });
});
