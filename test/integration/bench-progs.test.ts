// The benchmark suite's programs (bench/progs) load and verify in tsbpf, and one test run of each on its packet
// gives the kernel's retval, output packet and maps, in every engine tsbpf has (the kernel through the oracle).

import { describe, expect, it } from 'vitest';
import { SUITE_CASES, suiteProgram } from '../../bench/suite-workload.js';
import { Bpf } from '../../src/api/bpf.js';
import { jitAvailable } from '../../src/api/engine-choice.js';
import type { EngineName } from '../../src/vm/runtime.js';
import { REPO_ROOT } from '../corpus.js';
import { bytesToHex, oracleAvailability } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';

const oracle = requireOracle();
const availability = oracleAvailability();
const cpus = availability.available ? availability.possibleCpus : 1;
const engines: EngineName[] = jitAvailable() ? ['interp', 'jit'] : ['interp'];

/** Hash-like maps list their entries in no fixed order: compare them sorted by key. */
function sortedEntries(entries: readonly { key: string; value: string }[]): { key: string; value: string }[] {
  return [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function runInTsbpf(index: number, engine: EngineName) {
  const suiteCase = SUITE_CASES[index];
  const program = suiteProgram(REPO_ROOT, suiteCase);
  const bpf = new Bpf({ cpus });
  const loaded = bpf.openObject(program.bytes, program.objectPath).load({ engine });
  const handle = loaded.program(suiteCase.program).handle;
  const result = bpf.testRun(handle.fd, { data: suiteCase.packet.data });
  return { bpf, loaded, handle, result };
}

describe('bench/progs in tsbpf', () => {
  it('has every case of the suite, on objects that exist', () => {
    expect(SUITE_CASES.map((c) => c.name)).toEqual([
      'fnv1a',
      'calls',
      'checksum-64',
      'checksum-1500',
      'parse',
      'maps',
      'lb',
      'empty',
    ]);
  });

  SUITE_CASES.forEach((suiteCase, index) => {
    it(`${suiteCase.name}: verified, runs in fast mode in every engine with the same result`, () => {
      const results = engines.map((engine) => {
        const { handle, result, bpf, loaded } = runInTsbpf(index, engine);
        expect(handle.verified).toBe(true);
        expect(handle.mode).toBe('fast');
        expect(handle.engine).toBe(engine);
        expect(result.error).toBeUndefined();
        const maps = loaded.mapNames.map((name) =>
          sortedEntries(
            bpf
              .mapDump(loaded.mapFd(name))
              .map((e) => ({ key: bytesToHex(e.key), value: bytesToHex(e.value) })),
          ),
        );
        return { retval: result.retval, dataOut: bytesToHex(result.dataOut), maps };
      });
      for (const other of results.slice(1)) expect(other).toEqual(results[0]);
    });
  });
});

oracle.describe('bench/progs give the kernel’s results', () => {
  SUITE_CASES.forEach((suiteCase, index) => {
    oracle.it(`${suiteCase.name} on ${suiteCase.packet.name}`, () => {
      const program = suiteProgram(REPO_ROOT, suiteCase);
      const kernel = oracle.runObject(program.absolutePath, {
        program: suiteCase.program,
        data: suiteCase.packet.data,
        dumpMaps: true,
      });
      const report = kernel.programs.find((p) => p.name === suiteCase.program);
      expect(report?.verdict).toBe('accepted');
      const kernelRun = report!.testRun!;
      expect(kernelRun.errno).toBe(0);
      for (const engine of engines) {
        const { bpf, loaded, result } = runInTsbpf(index, engine);
        expect({ engine, retval: result.retval, dataOut: bytesToHex(result.dataOut) }).toEqual({
          engine,
          retval: kernelRun.retval,
          dataOut: kernelRun.dataOut,
        });
        const dumps = report!.maps ?? [];
        expect(dumps.length).toBe(loaded.mapNames.length);
        for (const dump of dumps) {
          const ours = bpf
            .mapDump(loaded.mapFd(dump.name!))
            .map((e) => ({ key: bytesToHex(e.key), value: bytesToHex(e.value) }));
          expect({ map: dump.name, entries: sortedEntries(ours) }).toEqual({
            map: dump.name,
            entries: sortedEntries(dump.entries ?? []),
          });
        }
      }
    });
  });
});
