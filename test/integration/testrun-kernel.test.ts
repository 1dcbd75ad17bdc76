// Differential test of BPF_PROG_TEST_RUN: every socket, xdp and tc program of the corpus on every test packet,
// in tsbpf (Bpf.openObject().load() + testRun) and in the running kernel (the oracle): retval, data_out, the
// errno of refused runs, and the maps after the run must be equal. Each run starts from a freshly loaded object.
// No corpus program of these types reads a clock or random numbers (only tracing.c does, and it is not run),
// so every compared value is deterministic.

import { expect } from 'vitest';
import { programTypeForSection } from '../../src/object/section-names.js';
import { Bpf } from '../../src/api/bpf.js';
import { corpusObjects } from '../corpus.js';
import { bytesToHex, type OracleMapDump, oracleAvailability } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { testPackets } from './testrun-packets.js';

const oracle = requireOracle();
const availability = oracleAvailability();
const cpus = availability.available ? availability.possibleCpus : 1;
const RUNNABLE = new Set(['socket_filter', 'xdp', 'sched_cls', 'sched_act']);
/** Maps whose values are kernel object ids (prog ids, inner map ids): compared by their keys only. */
const HANDLE_MAPS = new Set(['prog_array', 'array_of_maps', 'hash_of_maps']);
const HASH_LIKE = new Set(['hash', 'percpu_hash', 'lru_hash', 'lru_percpu_hash', 'hash_of_maps', 'lpm_trie']);
const PER_CPU = new Set(['percpu_array', 'percpu_hash', 'lru_percpu_hash']);

interface ComparableMap {
  name: string;
  entries: { key: string; value: string }[] | null;
}

/**
 * Puts a dump in a form both sides agree on: per-CPU values as a sorted list of CPU slots (the kernel ran on
 * whichever CPU the test process was on, tsbpf on CPU 0), handle maps by key only.
 */
function normalise(
  name: string,
  type: string,
  valueSize: number,
  entries: { key: string; value: string }[] | null,
): ComparableMap {
  if (entries === null) return { name, entries: null };
  const slot = Math.ceil(valueSize / 8) * 8 * 2;
  const normalised = entries.map(({ key, value }) => {
    if (HANDLE_MAPS.has(type)) return { key, value: '(handle)' };
    if (!PER_CPU.has(type)) return { key, value };
    const slots: string[] = [];
    for (let i = 0; i < value.length; i += slot) slots.push(value.slice(i, i + slot));
    return { key, value: slots.sort().join('|') };
  });
  if (HASH_LIKE.has(type)) normalised.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { name, entries: normalised };
}

const packets = testPackets();

for (const object of corpusObjects()) {
  const programs = (() => {
    const bpf = new Bpf({ cpus });
    const handle = bpf.openObject(object.bytes, object.path);
    return handle.programNames.filter((name) => {
      const section = handle.object.functions.find((f) => f.name === name)?.section ?? '';
      return RUNNABLE.has(programTypeForSection(section)?.programType ?? '');
    });
  })();
  if (programs.length === 0) continue;
  oracle.describe(`test-run of ${object.path} equals the kernel's`, () => {
    for (const program of programs) {
      for (const packet of packets) {
        oracle.it(`${program} on ${packet.name}`, () => {
          const kernel = oracle.runObject(object.absolutePath, {
            program,
            data: packet.data,
            dumpMaps: true,
          });
          const kernelProgram = kernel.programs.find((p) => p.name === program);
          expect(kernelProgram?.verdict).toBe('accepted');
          const kernelRun = kernelProgram!.testRun!;

          const bpf = new Bpf({ cpus });
          const loaded = bpf.openObject(object.bytes, object.path).load();
          const ours = bpf.testRun(loaded.program(program).handle.fd, { data: packet.data });
          if (ours.error !== undefined && ours.error.code !== 'EINVAL')
            throw ours.error.fault ?? new Error(ours.error.message);
          expect({
            errno: ours.error?.errno ?? 0,
            retval: ours.retval,
            dataOut: bytesToHex(ours.dataOut),
          }).toEqual({
            errno: kernelRun.errno,
            retval: kernelRun.retval,
            dataOut: kernelRun.dataOut,
          });

          const definitions = new Map(kernel.maps.map((m) => [m.name, m]));
          const kernelMaps = (kernelProgram!.maps ?? []).map((dump: OracleMapDump) => {
            const definition = definitions.get(dump.name!)!;
            return normalise(dump.name!, definition.type, definition.valueSize, dump.entries);
          });
          const ourMaps = (kernelProgram!.maps ?? []).map((dump: OracleMapDump) => {
            const definition = definitions.get(dump.name!)!;
            if (dump.entries === null)
              return normalise(dump.name!, definition.type, definition.valueSize, null);
            const entries = bpf
              .mapDump(loaded.mapFd(dump.name!))
              .map((e) => ({ key: bytesToHex(e.key), value: bytesToHex(e.value) }));
            return normalise(dump.name!, definition.type, definition.valueSize, entries);
          });
          expect(ourMaps).toEqual(kernelMaps);
        });
      }
    }
  });
}
