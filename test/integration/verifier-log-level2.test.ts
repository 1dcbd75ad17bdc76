// Level-2 verifier logs on the corpus against the kernel's: the same source lines (from line_info) everywhere,
// and line for line on the programs where tsbpf walks the kernel's paths.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { corpusObjects, REPO_ROOT } from '../corpus.js';
import { oracleAvailability } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';

const oracle = requireOracle();
const availability = oracleAvailability();
/** The kernel bounds bpf_get_smp_processor_id by its CPU count: tsbpf is given the same. */
const cpus = availability.available ? availability.possibleCpus : 1;

/**
 * Programs whose level-2 log equals the kernel's line for line (after `comparable`): 46 of the 50 (45 names),
 * single- and multi-function, with packets, maps, spills, loops, callbacks, tail calls, global functions, ring
 * buffers, linked scalars and 8-frame chains. docs/verifier-differences.md says why each of the others differs.
 */
const LINE_FOR_LINE: ReadonlySet<string> = new Set([
  'kprobe_vfs_write',
  'sock_alu32',
  'sock_deep_chain',
  'sock_depth8',
  'sock_diamond',
  'sock_five_args',
  'sock_for_loops',
  'sock_global_data',
  'sock_global_funcs',
  'sock_legacy_loads',
  'sock_length_history',
  'sock_map_counters',
  'sock_map_in_map',
  'sock_nested_block',
  'sock_stack_summary',
  'sock_switch_consts',
  'tc_for_each_elem',
  'tc_global_funcs',
  'tc_ip_option_words',
  'tc_length_class',
  'tc_link_parse',
  'tc_map_counters',
  'tc_port_classifier',
  'tc_stack_summary',
  'tc_stack_tree',
  'tc_tcp_options',
  'tc_ttl_floor',
  'trace_openat',
  'xdp_btf_values',
  'xdp_depth6',
  'xdp_dispatch',
  'xdp_dispatch_global',
  'xdp_drop_large',
  'xdp_drop_small',
  'xdp_flow_count',
  'xdp_global_funcs',
  'xdp_handle_ipv4',
  'xdp_handle_ipv6',
  'xdp_ipip_decap',
  'xdp_ipv6_ext_walk',
  'xdp_ipv6_only',
  'xdp_link_parse',
  'xdp_route_events',
  'xdp_udp_reflect',
  'xdp_vlan_push',
]);

/**
 * The log without its statistics (verification time differs) and without the value of LD_IMM64 lines: the
 * kernel prints a map's kernel address there, tsbpf the map's fd (docs/verifier-differences.md).
 */
function comparable(log: string): string[] {
  return log
    .split('\n')
    .filter((line) => !line.startsWith('processed '))
    .map((line) => line.replace(/\(18\) (r\d+) = 0x[0-9a-f]+ */, '(18) $1 = (value) '));
}

function sourceLines(log: string): Set<string> {
  return new Set(log.split('\n').filter((line) => line.startsWith('; ')));
}

const objects = [
  ...corpusObjects(),
  { path: 'test/link/all.o', absolutePath: join(REPO_ROOT, 'test/link/all.o'), bytes: new Uint8Array() },
];

oracle.describe('level-2 verifier logs against the kernel on the corpus', () => {
  let compared = 0;
  /** Names, not programs: two objects of the corpus hold a `sock_alu32`. */
  const lineForLine = new Set<string>();
  let sourceLinesSeen = 0;
  for (const object of objects) {
    oracle.it(object.path, () => {
      const kernel = oracle.runObject(object.absolutePath, { logLevel: 2 });
      for (const program of kernel.programs) {
        const bpf = new Bpf({ cpus });
        const ours = bpf
          .openObject(new Uint8Array(readFileSync(object.absolutePath)), object.path)
          .load({ programs: [program.name], logLevel: 2 });
        const log = ours.program(program.name).handle.log;
        const kernelSources = sourceLines(program.log);
        sourceLinesSeen += kernelSources.size;
        expect([...sourceLines(log)].sort(), `${program.name}: source lines`).toEqual(
          [...kernelSources].sort(),
        );
        if (LINE_FOR_LINE.has(program.name)) {
          expect(comparable(log), `${program.name}: level-2 log`).toEqual(comparable(program.log));
          lineForLine.add(program.name);
        }
        compared++;
      }
    });
  }
  oracle.it('compared every program of the corpus', () => {
    expect(compared).toBeGreaterThanOrEqual(38);
    expect(lineForLine.size).toBe(LINE_FOR_LINE.size);
    // Every corpus object has BTF line info: the comparison of source lines is not vacuous.
    expect(sourceLinesSeen).toBeGreaterThan(1000);
  });
});
