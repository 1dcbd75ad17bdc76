// Checks the helper table against libbpf's bpf_helper_defs.h and spot-checks prototypes with real kernel loads.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HELPERS, helperById, helperByName, helperLabel, helperProtoFor, LAST_HELPER_ID } from './helpers.js';
import { MAP_TYPE_HELPERS } from './map-types.js';

const workDir = mkdtempSync(join(tmpdir(), 'tsbpf-helpers-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const helperDefs = readFileSync('/usr/include/bpf/bpf_helper_defs.h', 'utf8');
const declared = [...helperDefs.matchAll(/\(\*bpf_(\w+)\)\([^;]*\) = \(void \*\) (\d+);/g)].map(
  ([, name, id]) => ({
    id: Number(id),
    name,
  }),
);

describe('helper ids and names', () => {
  it('equal those of bpf_helper_defs.h', () => {
    expect(declared.length).toBeGreaterThan(200);
    expect(HELPERS.map(({ id, name }) => ({ id, name }))).toEqual(declared);
    expect(LAST_HELPER_ID).toBe(declared[declared.length - 1].id);
  });
  it('look up both ways', () => {
    for (const { id, name } of declared) {
      expect(helperById(id)?.name).toBe(name);
      expect(helperByName(name)?.id).toBe(id);
      expect(helperByName(`bpf_${name}`)?.id).toBe(id);
    }
    expect(helperById(0)).toBeUndefined();
    expect(helperById(LAST_HELPER_ID + 1)).toBeUndefined();
    expect(helperLabel(helperById(1)!)).toBe('bpf_map_lookup_elem#1');
  });
});

const implemented = [
  'map_lookup_elem',
  'map_update_elem',
  'map_delete_elem',
  'map_push_elem',
  'map_pop_elem',
  'map_peek_elem',
  'ktime_get_ns',
  'ktime_get_boot_ns',
  'get_prandom_u32',
  'get_smp_processor_id',
  'trace_printk',
  'tail_call',
  'redirect',
  'redirect_map',
  'xdp_adjust_head',
  'xdp_adjust_tail',
  'xdp_adjust_meta',
  'skb_load_bytes',
  'skb_store_bytes',
  'l3_csum_replace',
  'l4_csum_replace',
  'csum_diff',
  'perf_event_output',
  'ringbuf_output',
  'ringbuf_reserve',
  'ringbuf_submit',
  'ringbuf_discard',
  'loop',
  'for_each_map_elem',
  'get_current_pid_tgid',
  'get_current_uid_gid',
  'get_current_comm',
  'probe_read_kernel',
  'snprintf',
  'strtol',
  'jiffies64',
  'get_numa_node_id',
  'spin_lock',
  'spin_unlock',
];

describe('prototypes', () => {
  it('exist for every helper tsbpf implements', () => {
    for (const name of implemented) expect(helperByName(name)?.proto, name).toBeDefined();
  });
  it('read as the kernel declares them', () => {
    const lookup = helperByName('map_lookup_elem')!.proto!;
    expect(lookup.ret.kernelName).toBe('RET_PTR_TO_MAP_VALUE_OR_NULL');
    expect(lookup.ret).toMatchObject({ type: 'RET_PTR_TO_MAP_VALUE', flags: ['PTR_MAYBE_NULL'] });
    expect(lookup.args.map((a) => a.type)).toEqual(['ARG_CONST_MAP_PTR', 'ARG_PTR_TO_MAP_KEY']);
    expect(lookup.pktAccess).toBe(true);

    const reserve = helperByName('ringbuf_reserve')!.proto!;
    expect(reserve.ret).toMatchObject({ type: 'RET_PTR_TO_MEM', sizeArg: 1 });
    expect(reserve.ret.flags).toEqual(['PTR_MAYBE_NULL', 'MEM_RINGBUF']);

    const load = helperByName('skb_load_bytes')!.proto!;
    expect(load.args[2]).toMatchObject({ type: 'ARG_PTR_TO_MEM', flags: ['MEM_UNINIT', 'MEM_WRITE'] });
    expect(load.args[3].type).toBe('ARG_CONST_SIZE');

    const printk = helperByName('trace_printk')!.proto!;
    expect(printk.gplOnly).toBe(true);
    expect(printk.args[0]).toMatchObject({ type: 'ARG_PTR_TO_MEM', flags: ['MEM_RDONLY'] });

    const loop = helperByName('loop')!.proto!;
    expect(loop.args.map((a) => a.kernelName)).toEqual([
      'ARG_ANYTHING',
      'ARG_PTR_TO_FUNC',
      'ARG_PTR_TO_STACK_OR_NULL',
      'ARG_ANYTHING',
    ]);
    expect(helperByName('strtol')!.proto!.args[3]).toMatchObject({ type: 'ARG_PTR_TO_MEM', size: 8 });
    expect(helperByName('tail_call')!.changesPktData).toBe(true);
    expect(helperByName('map_lookup_elem')!.changesPktData).toBe(false);
  });
  it('follow the program type where the kernel swaps prototypes', () => {
    const stackid = helperByName('get_stackid')!;
    expect(helperProtoFor(stackid, 'kprobe')?.gplOnly).toBe(true);
    expect(helperProtoFor(stackid, 'perf_event')?.gplOnly).toBe(false);
    expect(helperProtoFor(stackid, 'xdp')).toBeUndefined();
    const classid = helperByName('get_cgroup_classid')!;
    expect(helperProtoFor(classid, 'sched_cls')?.args.length).toBe(1);
    expect(helperProtoFor(classid, 'kprobe')?.args.length).toBe(0);
  });
  it('allow the program types the kernel allows', () => {
    const allowed = (name: string) => helperByName(name)!.programTypes;
    expect(allowed('xdp_adjust_head')).toEqual(['xdp']);
    expect(allowed('skb_store_bytes')).toContain('sched_cls');
    expect(allowed('skb_store_bytes')).not.toContain('socket_filter');
    expect(allowed('skb_load_bytes')).toContain('socket_filter');
    expect(allowed('map_lookup_elem')).toContain('kprobe');
    expect(allowed('redirect_map')).toEqual(['xdp']);
    expect(allowed('probe_read_kernel')).toContain('tracepoint');
  });
  it('agree with the map side of map/helper compatibility', () => {
    for (const [mapType, names] of Object.entries(MAP_TYPE_HELPERS)) {
      for (const name of names ?? []) {
        const helper = helperByName(name);
        expect(helper, name).toBeDefined();
        if (helper?.mapTypes) expect(helper.mapTypes, `${name} with ${mapType}`).toContain(mapType);
      }
    }
  });
});

/**
 * A few real loads: call a helper from a program type and read the verifier's verdict. Only the first
 * check of check_helper_call matters here: "program of this type cannot use helper" or a later complaint.
 */
describe('kernel spot checks', () => {
  const loader = `#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <unistd.h>
#include <bpf/bpf.h>
int main(int argc, char **argv) {
  static char log[65536];
  int type = atoi(argv[1]), id = atoi(argv[2]);
  struct bpf_insn insns[] = {
    { .code = BPF_JMP | BPF_CALL, .imm = id },
    { .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
    { .code = BPF_JMP | BPF_EXIT },
  };
  LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_buf = log, .log_size = sizeof log, .log_level = 1);
  int fd = bpf_prog_load(type, "probe", argv[3], insns, 3, &opts);
  if (fd >= 0) { close(fd); printf("loaded\\n"); return 0; }
  if (errno == EPERM) { printf("eperm\\n"); return 0; }
  printf("%s\\n", log);
  return 0;
}`;
  const cPath = join(workDir, 'load.c');
  const exe = join(workDir, 'load');
  writeFileSync(cPath, loader);
  execFileSync('gcc', ['-O1', '-o', exe, cPath, '-lbpf']);
  const verdict = (typeId: number, helperId: number, license = 'GPL') =>
    execFileSync(exe, [String(typeId), String(helperId), license]).toString();

  const refused = verdict(1, 1).includes('eperm');
  if (refused) {
    if (process.env.CI === 'true') throw new Error('bpf() refused in CI');
    console.warn('SKIP: bpf() refused (EPERM); kernel helper spot checks not run');
  }
  const cases: [string, number, string][] = [
    ['socket_filter', 1, 'xdp_adjust_head'],
    ['socket_filter', 1, 'skb_load_bytes'],
    ['socket_filter', 1, 'skb_store_bytes'],
    ['sched_cls', 3, 'skb_store_bytes'],
    ['xdp', 6, 'xdp_adjust_head'],
    ['xdp', 6, 'skb_load_bytes'],
    ['kprobe', 2, 'probe_read_kernel'],
    ['tracepoint', 5, 'redirect'],
  ];
  it.skipIf(refused).each(cases)('%s calling %s', (type, typeId, name) => {
    const helper = helperByName(name)!;
    const log = verdict(typeId, helper.id);
    const kernelRefuses = log.includes(`program of this type cannot use helper ${helperLabel(helper)}`);
    expect(kernelRefuses).toBe(helperProtoFor(helper, type as 'xdp') === undefined);
  });
  it.skipIf(refused)('refuses GPL-only helpers to non-GPL programs', () => {
    const printk = helperByName('trace_printk')!;
    expect(printk.proto?.gplOnly).toBe(true);
    expect(verdict(2, printk.id, 'Proprietary')).toContain('cannot call GPL-restricted function');
    expect(verdict(2, helperByName('ktime_get_ns')!.id, 'Proprietary')).not.toContain('GPL-restricted');
  });
});
