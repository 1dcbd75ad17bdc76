// bpf_skb_under_cgroup against the kernel: test/progs/net/netrest_under_cgroup.c asks every slot of a cgroup_array,
// one the packet names and two past its end, with slots empty or holding the root cgroup or the running task's
// own (in the kernel: cgroup2 directories the oracle opens; in tsbpf: Bpf.cgroupOpen). Test-run's socket is in
// the running task's cgroup, so both answer 1 for them. Then misuse the verifier refuses.

import { expect } from 'vitest';
import { requireOracle } from '../oracle/require-oracle.js';
import { expectSameRefusal, kernelRun, type RunInput, tsbpfRun } from './netrest-runs.js';

const oracle = requireOracle();
const PATH = 'test/progs/net/netrest_under_cgroup.o';

/** Ethernet (IPv4 type) + 40 bytes, the first naming a slot. */
const packet = (slot: number) =>
  Uint8Array.from([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 8, 0, slot, ...new Array(39).fill(0)]);

const CASES: [string, RunInput][] = [
  ['every slot empty', { data: packet(0) }],
  [
    'the root cgroup in slot 0',
    { data: packet(0), cgroupArray: [{ map: 'cgroups', index: 0, cgroup: 'root' }] },
  ],
  [
    'the own cgroup in slot 3, named by the packet',
    { data: packet(3), cgroupArray: [{ map: 'cgroups', index: 3, cgroup: 'own' }] },
  ],
  [
    'root and own in slots 1 and 2',
    {
      data: packet(2),
      cgroupArray: [
        { map: 'cgroups', index: 1, cgroup: 'root' },
        { map: 'cgroups', index: 2, cgroup: 'own' },
      ],
    },
  ],
  [
    'a slot past the end named by the packet',
    { data: packet(9), cgroupArray: [{ map: 'cgroups', index: 0, cgroup: 'own' }] },
  ],
];

oracle.describe('bpf_skb_under_cgroup equals the kernel', () => {
  for (const [name, input] of CASES) {
    oracle.it(name, () => {
      expect(tsbpfRun(PATH, 'tc_under_cgroup', input)).toEqual(
        kernelRun(oracle, PATH, 'tc_under_cgroup', input),
      );
    });
  }
  for (const program of ['under_cgroup_wrong_map', 'under_cgroup_from_socket']) {
    oracle.it(`the verifier refuses ${program} as the kernel does`, () =>
      expectSameRefusal(oracle, PATH, program),
    );
  }
});
