// ObjectHandle as a skeleton's user space uses it: types, user-type sections, sizes, globals, fixtures, what loads.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileBpf } from '../../test/clang.js';
import { REPO_ROOT } from '../../test/corpus.js';
import { FixtureError } from '../object/fixture.js';
import { ObjectError } from '../object/object-error.js';
import { Bpf } from './bpf.js';

const dir = mkdtempSync(join(tmpdir(), 'tsbpf-object-handle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const corpus = (path: string) => new Uint8Array(readFileSync(join(REPO_ROOT, 'test', 'progs', path)));
const u32 = (value: number) => new Uint8Array(new Uint32Array([value]).buffer);

const RATE_LIMITER = `
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
struct rl_ctx { __u64 tokens; __u32 cost; __u32 client; };
const volatile __u32 burst = 5;
__u32 calls;
SEC("rate_limiter") int limit(struct rl_ctx *ctx) {
  calls += 1;
  if (ctx->tokens + burst < ctx->cost) return 0;
  ctx->tokens = ctx->tokens + burst - ctx->cost;
  return 1;
}
SEC("rate_limiter/strict") int strict(struct rl_ctx *ctx) { return ctx->tokens >= ctx->cost; }
char LICENSE[] SEC("license") = "GPL";
`;

function rateLimiterBpf(): Bpf {
  const bpf = new Bpf();
  bpf.registerProgramType({
    name: 'rate_limiter',
    context: {
      size: 16,
      fields: [
        { name: 'tokens', offset: 0, size: 8, write: true },
        { name: 'cost', offset: 8, size: 4 },
        { name: 'client', offset: 12, size: 4 },
      ],
    },
    helpers: [],
  });
  return bpf;
}

describe('program types', () => {
  const object = new Uint8Array(readFileSync(compileBpf(dir, 'rate_limiter', RATE_LIMITER)));

  it('a section named after a registered user type loads as that type (also with /suffix)', () => {
    const bpf = rateLimiterBpf();
    const handle = bpf.openObject(object, 'rate_limiter.o').load();
    expect(handle.program('limit').type).toBe('rate_limiter');
    expect(handle.program('strict').type).toBe('rate_limiter');
    const run = bpf.runProgram(handle.program('limit').handle.fd, { context: { tokens: 0n, cost: 3 } });
    expect(run.retval).toBe(1);
    expect(run.context.tokens).toBe(2n);
  });

  it('without the registration the section gives libbpf\'s "missing BPF prog type"', () => {
    const bpf = new Bpf();
    expect(() => bpf.openObject(object, 'rate_limiter.o').load()).toThrow(
      "prog 'limit': missing BPF prog type, check ELF section name 'rate_limiter'",
    );
  });

  it('an override per program, at open or with setProgramType, wins over the section', () => {
    const bpf = new Bpf();
    const xdp = corpus('configured/custom_section.o');
    const handle = bpf.openObject(xdp, 'custom_section.o', {
      programs: { xdp_vlan_filter: { type: 'xdp' } },
    });
    handle.setProgramType('xdp_count_only', { type: 'sched_cls' });
    handle.load();
    expect(handle.program('xdp_vlan_filter').type).toBe('xdp');
    expect(handle.program('xdp_count_only').type).toBe('sched_cls');
    expect(handle.program('xdp_count_only').handle.type).toBe('sched_cls');
    expect(() => bpf.openObject(xdp, 'x.o').setProgramType('xdp_vlan_filter', { type: 'xpd' })).toThrow(
      "unknown program type 'xpd'",
    );
    expect(() =>
      bpf.openObject(xdp, 'x.o').setProgramType('xdp_vlan_filter', { expectedAttachType: 'nope' }),
    ).toThrow("unknown attach type 'nope'");
    expect(() => handle.setProgramType('xdp_vlan_filter', { type: 'xdp' })).toThrow('already loaded');
  });
});

describe('globals', () => {
  const object = new Uint8Array(readFileSync(compileBpf(dir, 'rate_limiter', RATE_LIMITER)));

  it('setGlobal before load writes .rodata; after load .bss/.data only, .rodata is frozen', () => {
    const bpf = rateLimiterBpf();
    const handle = bpf.openObject(object, 'rate_limiter.o').setGlobal('burst', 100).load();
    const fd = handle.program('limit').handle.fd;
    expect(bpf.runProgram(fd, { context: { tokens: 0n, cost: 50 } }).retval).toBe(1);
    expect(() => handle.setGlobal('burst', 1)).toThrow(FixtureError);
    expect(() => handle.setGlobal('burst', 1)).toThrow(
      "$.globals.burst: 'burst' is in .rodata, frozen at load",
    );
    handle.setGlobal('calls', 41);
    bpf.runProgram(fd, { context: { tokens: 0n, cost: 1 } });
    expect(bpf.mapLookup(handle.mapFd('rate_lim.bss'), u32(0))).toEqual(u32(42));
  });

  it('variables carry the offsets libbpf fixes up from the symbol table', () => {
    const handle = new Bpf().openObject(corpus('configured/rodata_config.o'), 'rodata_config.o');
    const rodata = handle.object.maps.find((m) => m.origin === 'rodata');
    expect(rodata?.variables?.map((v) => [v.name, v.offset, v.size])).toEqual([
      ['cfg_port', 0, 2],
      ['cfg_mark', 4, 4],
      ['cfg_mode', 8, 4],
      ['cfg_dscp', 12, 4],
      ['cfg_byte_limit', 16, 8],
    ]);
  });
});

describe('sizes and entries', () => {
  it('max_entries 0 maps are refused by name until sized', () => {
    const bytes = corpus('configured/sized_maps.o');
    let caught: unknown;
    try {
      new Bpf().openObject(bytes, 'sized_maps.o').load();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ObjectError);
    expect((caught as ObjectError).map).toBe('filter_ports');
    const bpf = new Bpf();
    const handle = bpf
      .openObject(bytes, 'sized_maps.o')
      .setMaxEntries('filter_ports', 8)
      .applyFixture({ maps: { action_counters: { maxEntries: 3 } } })
      .load();
    expect(bpf.map(handle.mapFd('filter_ports')).maxEntries).toBe(8);
    expect(bpf.map(handle.mapFd('action_counters')).maxEntries).toBe(3);
    expect(() => handle.setMaxEntries('filter_ports', 9)).toThrow('already loaded');
  });

  it('entries applied after load are written at once; per-CPU values spread to every CPU', () => {
    const bpf = new Bpf({ cpus: 3 });
    const handle = bpf.openObject(corpus('configured/lb_fixture.o'), 'lb_fixture.o').load();
    handle.applyFixture({
      maps: { backend_stats: { entries: [{ key: 1, value: { packets: 1, bytes: '2' } }] } },
    });
    const value = bpf.mapLookup(handle.mapFd('backend_stats'), u32(1)) ?? new Uint8Array(0);
    expect(Buffer.from(value).toString('hex')).toBe('01000000000000000200000000000000'.repeat(3));
  });
});

describe('what loads', () => {
  const tail = corpus('tail_calls.o');

  it('only the program asked for and the programs initialised prog arrays place', () => {
    const handle = new Bpf().openObject(tail, 'tail_calls.o').load({ programs: ['xdp_dispatch'] });
    expect(() => handle.program('xdp_dispatch_global')).toThrow(
      "program 'xdp_dispatch_global' is not loaded",
    );
    expect(handle.program('xdp_handle_ipv4').type).toBe('xdp');
    expect(handle.program('xdp_handle_ipv6').type).toBe('xdp');
  });

  it('a fixture can place a program in a prog array by name', () => {
    const bpf = new Bpf();
    const handle = bpf
      .openObject(tail, 'tail_calls.o')
      .applyFixture({ maps: { dispatch_table: { entries: [{ key: 3, value: 'xdp_dispatch_global' }] } } })
      .load({ programs: ['xdp_dispatch'] });
    const slot = bpf.mapLookup(handle.mapFd('dispatch_table'), u32(3));
    expect(slot).toEqual(u32(handle.program('xdp_dispatch_global').handle.fd));
  });

  it('a fixture can place a map in a map of maps by name (user space passes its fd)', () => {
    const bpf = new Bpf();
    const handle = bpf
      .openObject(corpus('map_in_map.o'), 'map_in_map.o')
      .applyFixture({ maps: { flags_by_parity: { entries: [{ key: 7, value: 'flags_odd' }] } } })
      .load();
    const inner = bpf.map(handle.mapFd('flags_odd'));
    const outer = bpf.map(handle.mapFd('flags_by_parity'));
    // Inside the VM a map-in-map slot holds the inner map's id.
    expect(outer.lookupValue(u32(7))).toEqual(u32(inner.id));
    expect(() =>
      bpf
        .openObject(corpus('map_in_map.o'), 'map_in_map.o')
        .applyFixture(
          { maps: { flags_by_parity: { entries: [{ key: 7, value: 'flags_nope' }] } } },
          'f.json',
        ),
    ).toThrow("f.json: $.maps.flags_by_parity.entries[0].value: map 'flags_nope' is not in map_in_map.o");
  });

  it("other programs' refusals are warnings naming program and section with onRefusal 'warn'", () => {
    const bytes = corpus('configured/custom_section.o');
    expect(() => new Bpf().openObject(bytes, 'c.o').load()).toThrow(ObjectError);
    const handle = new Bpf().openObject(bytes, 'c.o').load({ onRefusal: 'warn' });
    expect(handle.warnings.map((w) => [w.program, w.section])).toEqual([
      ['xdp_vlan_filter', 'xdp_drop_vlan_4'],
    ]);
    expect(handle.program('xdp_count_only').type).toBe('xdp');
    expect(() => handle.program('xdp_vlan_filter')).toThrow("program 'xdp_vlan_filter' was refused");
    // A program asked for by name still fails the load.
    expect(() =>
      new Bpf().openObject(bytes, 'c.o').load({ programs: ['xdp_vlan_filter'], onRefusal: 'warn' }),
    ).toThrow('missing BPF prog type');
  });
});
