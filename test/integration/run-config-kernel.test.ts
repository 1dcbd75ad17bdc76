// Configured runs against the kernel: each program of test/progs/configured runs in tsbpf with a JSON fixture
// (`tsbpf run --maps FILE`, --type, --cpus) and in the kernel loaded through libbpf with the same contents,
// written by hand as hex (bpf_map__set_max_entries, the .rodata/.data initial value, map updates, set_type);
// retval, output packet, context and maps must be equal.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { loadAndRun } from '../../src/cli/run.js';
import type { RunConfig } from '../../src/cli/run-config.js';
import { ObjectError } from '../../src/object/object-error.js';
import { REPO_ROOT } from '../corpus.js';
import { type OracleObjectOptions, oracleAvailability } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';

const oracle = requireOracle();
const availability = oracleAvailability();
const cpus = availability.available ? availability.possibleCpus : 1;
const dir = mkdtempSync(join(tmpdir(), 'tsbpf-run-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const configured = (name: string) => join(REPO_ROOT, 'test', 'progs', 'configured', `${name}.o`);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (text: string) => new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));

/** Ethernet (optionally 802.1Q-tagged) + IPv4 (checksummed) + UDP or TCP header + payload. */
function packet(options: {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  proto?: 'udp' | 'tcp';
  vlan?: number;
  tos?: number;
}): Uint8Array {
  const proto = options.proto ?? 'udp';
  const l4 = proto === 'udp' ? 8 : 20;
  const payload = [0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x21];
  const ip = [
    0x45,
    options.tos ?? 0,
    0,
    20 + l4 + payload.length,
    0,
    1,
    0x40,
    0,
    64,
    proto === 'udp' ? 17 : 6,
  ];
  ip.push(0, 0, ...options.src.split('.').map(Number), ...options.dst.split('.').map(Number));
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += (ip[i] << 8) | ip[i + 1];
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  ip[10] = (~sum >> 8) & 0xff;
  ip[11] = ~sum & 0xff;
  const ports = [options.sport >> 8, options.sport & 0xff, options.dport >> 8, options.dport & 0xff];
  const header =
    proto === 'udp'
      ? [...ports, 0, 8 + payload.length, 0, 0]
      : [...ports, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0];
  const macs = [0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x02];
  const tag = options.vlan === undefined ? [] : [0x81, 0x00, options.vlan >> 8, options.vlan & 0xff];
  return new Uint8Array([...macs, ...tag, 0x08, 0x00, ...ip, ...header, ...payload]);
}

interface Scenario {
  object: string;
  program: string;
  data: Uint8Array;
  ctx?: Uint8Array;
  /** tsbpf's side: a fixture file (JSON shaped by BTF, or hex) and flags. */
  fixture?: unknown;
  config?: Omit<RunConfig, 'fixtureFile'>;
  /** The kernel's side, written independently as libbpf calls. */
  kernel: Omit<OracleObjectOptions, 'program' | 'data' | 'ctx' | 'dumpMaps'>;
}

let fixtures = 0;

/** Runs one scenario on both sides; returns tsbpf's retval after checking everything against the kernel. */
function compare(scenario: Scenario): number {
  const path = configured(scenario.object);
  const kernel = oracle.runObject(path, {
    ...scenario.kernel,
    program: scenario.program,
    data: scenario.data,
    ...(scenario.ctx === undefined ? {} : { ctx: scenario.ctx }),
    dumpMaps: true,
  });
  const report = kernel.programs.find((p) => p.name === scenario.program);
  expect(report?.verdict, report?.log).toBe('accepted');
  expect(report?.testRun?.errno).toBe(0);

  let fixtureFile: string | undefined;
  if (scenario.fixture !== undefined) {
    fixtureFile = join(dir, `fixture-${fixtures++}.json`);
    writeFileSync(fixtureFile, JSON.stringify(scenario.fixture));
  }
  const warnings: string[] = [];
  const { bpf, object, result } = loadAndRun(
    path,
    {
      program: scenario.program,
      data: scenario.data,
      ...(scenario.ctx === undefined ? {} : { ctx: scenario.ctx }),
      config: { ...scenario.config, cpus, ...(fixtureFile === undefined ? {} : { fixtureFile }) },
    },
    (line) => warnings.push(line),
  );
  expect(warnings).toEqual([]);
  expect(result.error).toBeUndefined();
  expect(result.retval).toBe(report?.testRun?.retval);
  expect(hex(result.dataOut)).toBe(report?.testRun?.dataOut);
  if (scenario.ctx !== undefined) expect(hex(result.ctxOut)).toBe(report?.testRun?.ctxOut);
  const sortEntries = (entries: { key: string; value: string }[]) =>
    [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const map of report?.maps ?? []) {
    const fd = object.mapFd(map.name ?? '');
    const info = bpf.map(fd);
    // A test run executes on whichever CPU the kernel picks: per-CPU values compare as a set of CPU slots.
    const perCpu = (value: string) => {
      if (!info.typeName.includes('percpu')) return value;
      const stride = Math.ceil(info.valueSize / 8) * 16;
      return (value.match(new RegExp(`.{${stride}}`, 'g')) ?? []).sort().join('');
    };
    const normalise = (entries: { key: string; value: string }[]) =>
      sortEntries(entries.map((e) => ({ key: e.key, value: perCpu(e.value) })));
    const ours = bpf.mapDump(fd).map((e) => ({ key: hex(e.key), value: hex(e.value) }));
    expect(normalise(ours), map.name).toEqual(normalise(map.entries ?? []));
  }
  return result.retval;
}

const XDP_DROP = 1;
const XDP_PASS = 2;
const XDP_TX = 3;

oracle.describe('configured runs equal the kernel', () => {
  // VIP 192.168.0.10 udp/80 → backends 2..4; VIP 192.168.0.10 tcp/443 has the drop flag.
  const lbFixture = {
    maps: {
      vips: {
        entries: [
          {
            key: { addr: 0x0a00a8c0, port: 0x5000, proto: 17 },
            value: { flags: 'VIP_F_NONE', first_backend: 2, backend_count: 3 },
          },
          // the same kind of key as hex: c0a8000a (addr) 01bb (443) 06 (tcp) 00
          { key: 'c0a8000a01bb0600', value: { flags: 'VIP_F_DROP', first_backend: 0, backend_count: 1 } },
        ],
      },
      backends: {
        entries: [
          { key: 2, value: { addr: 0x0101000a, mac: [2, 0xbb, 0, 0, 0, 2], weight: 1 } },
          { key: 3, value: { addr: 0x0201000a, mac: [2, 0xbb, 0, 0, 0, 3], weight: 1 } },
          { key: 4, value: { addr: 0x0301000a, mac: [2, 0xbb, 0, 0, 0, 4], weight: '2' } },
        ],
      },
      backend_stats: { entries: [{ key: 3, value: { packets: '10', bytes: '18446744073709551000' } }] },
    },
  };
  const lbKernel: Scenario['kernel'] = {
    mapInit: [
      { map: 'vips', key: fromHex('c0a8000a 0050 11 00'), value: fromHex('00000000 02000000 03000000') },
      { map: 'vips', key: fromHex('c0a8000a 01bb 06 00'), value: fromHex('01000000 00000000 01000000') },
      { map: 'backends', key: fromHex('02000000'), value: fromHex('0a000101 02bb00000002 0100') },
      { map: 'backends', key: fromHex('03000000'), value: fromHex('0a000102 02bb00000003 0100') },
      { map: 'backends', key: fromHex('04000000'), value: fromHex('0a000103 02bb00000004 0200') },
      { map: 'backend_stats', key: fromHex('03000000'), value: fromHex('0a00000000000000 98fdffffffffffff') },
    ],
  };

  oracle.it('a load balancer whose VIP and backend maps come from a fixture', () => {
    const retvals = new Set<number>();
    for (const [i, source] of ['10.9.0.1', '10.9.0.2', '10.9.0.77', '172.16.4.4', '10.0.0.1'].entries()) {
      const data = packet({ src: source, dst: '192.168.0.10', sport: 40000 + i * 7, dport: 80 });
      retvals.add(
        compare({ object: 'lb_fixture', program: 'xdp_lb', data, fixture: lbFixture, kernel: lbKernel }),
      );
    }
    const drop = packet({ src: '10.9.0.1', dst: '192.168.0.10', sport: 1, dport: 443, proto: 'tcp' });
    retvals.add(
      compare({ object: 'lb_fixture', program: 'xdp_lb', data: drop, fixture: lbFixture, kernel: lbKernel }),
    );
    const other = packet({ src: '10.9.0.1', dst: '192.168.0.11', sport: 1, dport: 80 });
    retvals.add(
      compare({ object: 'lb_fixture', program: 'xdp_lb', data: other, fixture: lbFixture, kernel: lbKernel }),
    );
    expect([...retvals].sort()).toEqual([XDP_DROP, XDP_PASS, XDP_TX]);
  });

  oracle.it('a program whose section needs --type', () => {
    const retvals = [4, 5, undefined].map((vlan) =>
      compare({
        object: 'custom_section',
        program: 'xdp_vlan_filter',
        data: packet({
          src: '10.0.0.1',
          dst: '10.0.0.2',
          sport: 1,
          dport: 2,
          ...(vlan === undefined ? {} : { vlan }),
        }),
        config: { type: 'xdp' },
        kernel: { types: { xdp_vlan_filter: 'xdp' } },
      }),
    );
    expect(retvals).toEqual([XDP_DROP, XDP_PASS, XDP_PASS]);
    // Without the type tsbpf refuses in libbpf's words; the sibling with a typed section runs on its own.
    expect(() =>
      loadAndRun(configured('custom_section'), { program: 'xdp_vlan_filter', data: new Uint8Array(64) }),
    ).toThrow("prog 'xdp_vlan_filter': missing BPF prog type, check ELF section name 'xdp_drop_vlan_4'");
    compare({
      object: 'custom_section',
      program: 'xdp_count_only',
      data: packet({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2 }),
      kernel: {},
    });
  });

  oracle.it('maps declared with max_entries 0, sized by the fixture', () => {
    const fixture = {
      maps: {
        filter_ports: {
          maxEntries: 16,
          entries: [
            { key: 80, value: 'PORT_DROP' },
            { key: 53, value: 'PORT_COUNT' },
          ],
        },
        action_counters: { maxEntries: 2, entries: [{ key: 0, value: '5' }] },
      },
    };
    const kernel: Scenario['kernel'] = {
      maxEntries: { filter_ports: 16, action_counters: 2 },
      mapInit: [
        { map: 'filter_ports', key: fromHex('5000'), value: fromHex('01000000') },
        { map: 'filter_ports', key: fromHex('3500'), value: fromHex('02000000') },
        { map: 'action_counters', key: fromHex('00000000'), value: fromHex('0500000000000000') },
      ],
    };
    const retvals = [80, 53, 22].map((dport) =>
      compare({
        object: 'sized_maps',
        program: 'xdp_port_filter',
        data: packet({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1000, dport }),
        fixture,
        kernel,
      }),
    );
    expect(retvals).toEqual([XDP_DROP, XDP_PASS, XDP_PASS]);
    // Unsized: tsbpf names the map and the fixture key; libbpf cannot create the map either.
    const unsized = oracle.runObject(configured('sized_maps'), { program: 'xdp_port_filter' });
    expect(unsized.programs[0].verdict).toBe('rejected');
    let caught: unknown;
    try {
      loadAndRun(configured('sized_maps'), { program: 'xdp_port_filter', data: new Uint8Array(64) });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ObjectError);
    expect((caught as ObjectError).map).toBe('filter_ports');
    expect((caught as Error).message).toContain('$.maps.filter_ports.maxEntries');
  });

  oracle.it('a program configured through .rodata and .data, as a skeleton does', () => {
    const ctx = new Uint8Array(192);
    const cases = [
      // mark matching packets, rewrite DSCP
      {
        globals: { cfg_port: 80, cfg_mark: 42, cfg_mode: 'MODE_MARK', cfg_dscp: { enabled: 1, dscp: 46 } },
        kernel: { cfg_port: '5000', cfg_mark: '2a000000', cfg_mode: '01000000', cfg_dscp: '012e0000' },
      },
      // enforce a byte limit the first packet passes (a 64-bit .rodata value), .data start value from the fixture
      {
        globals: { cfg_port: 80, cfg_mode: 'MODE_ENFORCE', cfg_byte_limit: '10', generation: '1000' },
        kernel: {
          cfg_port: '5000',
          cfg_mode: '02000000',
          cfg_byte_limit: '0a00000000000000',
          generation: 'e803000000000000',
        },
      },
      // the same settings given as hex in the fixture
      {
        globals: { cfg_port: '5000', cfg_mode: '01000000', cfg_mark: 'efbeadde' },
        kernel: { cfg_port: '5000', cfg_mode: '01000000', cfg_mark: 'efbeadde' },
      },
      // nothing configured: .rodata as compiled
      { globals: {}, kernel: {} },
    ];
    const retvals = cases.map(({ globals, kernel }) =>
      compare({
        object: 'rodata_config',
        program: 'tc_configured_policy',
        data: packet({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1000, dport: 80, tos: 1 }),
        ctx,
        fixture: { globals },
        kernel: { globals: Object.fromEntries(Object.entries(kernel).map(([k, v]) => [k, fromHex(v)])) },
      }),
    );
    expect(new Set(retvals).size).toBeGreaterThan(2);
  });
});
