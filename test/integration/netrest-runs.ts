// One test run of an object's program in tsbpf and in the kernel (a fresh network namespace), reduced to what the
// netrest-*-kernel tests compare: retval, packet out, ctx out and the .bss bytes.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { fieldOffset, SK_BUFF_FIELDS } from '../../src/abi/context-structs.js';
import { Bpf } from '../../src/api/bpf.js';
import type { NetworkDeclaration } from '../../src/vm/network.js';
import { bytesToHex } from '../oracle/oracle.js';
import type { requireOracle } from '../oracle/require-oracle.js';

type Oracle = ReturnType<typeof requireOracle>;

export { expectSameRefusal } from './same-refusal.js';

export interface RunInput {
  readonly data: Uint8Array;
  readonly ctx?: Uint8Array;
  /** tsbpf's namespace. */
  readonly network?: NetworkDeclaration;
  /** The kernel's: sockets the oracle opens on lo (which brings lo up). */
  readonly netnsSockets?: readonly string[];
  /**
   * cgroup_array slots filled before the run with the root cgroup or the running task's own (in tsbpf: the
   * `cgroupId` setting, default the root; in the kernel: the oracle's cgroup2 directory).
   */
  readonly cgroupArray?: readonly {
    readonly map: string;
    readonly index: number;
    readonly cgroup: 'root' | 'own';
  }[];
}

export interface RunOutcome {
  readonly retval: number;
  readonly dataOut: string;
  readonly ctxOut: string;
  readonly bss: string;
}

const fileName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

export function tsbpfRun(path: string, program: string, input: RunInput): RunOutcome {
  const bpf = new Bpf({ network: input.network });
  const object = bpf.openObject(readFileSync(path), fileName(path)).load({ programs: [program] });
  for (const { map, index, cgroup } of input.cgroupArray ?? []) {
    const fd = bpf.cgroupOpen(cgroup === 'root' ? 1n : (bpf.vm.settings.cgroupId ?? 1n));
    bpf.mapUpdate(object.mapFd(map), u32(index), u32(fd));
  }
  const run = bpf.testRun(object.program(program).handle.fd, { data: input.data, ctx: input.ctx });
  expect(run.error).toBeUndefined();
  const bss = object.mapNames.find((name) => name.endsWith('.bss'));
  return {
    retval: run.retval,
    dataOut: bytesToHex(run.dataOut),
    ctxOut: input.ctx === undefined || run.ctxOut === undefined ? '' : bytesToHex(run.ctxOut),
    bss: bss === undefined ? '' : bytesToHex(bpf.mapDump(object.mapFd(bss))[0].value!),
  };
}

export function kernelRun(oracle: Oracle, path: string, program: string, input: RunInput): RunOutcome {
  const report = oracle.runObject(path, {
    program,
    data: input.data,
    ctx: input.ctx,
    dumpMaps: true,
    netns: true,
    netnsSockets: input.netnsSockets ?? [],
    cgroupArray: (input.cgroupArray ?? []).map(({ map, index, cgroup }) => ({
      map,
      index,
      path: cgroup === 'root' ? cgroup2Root() : join(cgroup2Root(), ownCgroup()),
    })),
  }).programs[0];
  expect(report.verdict, report.log).toBe('accepted');
  expect(report.testRun!.errno).toBe(0);
  const bss = report.maps!.find((m) => m.name?.endsWith('.bss'));
  return {
    retval: report.testRun!.retval,
    dataOut: report.testRun!.dataOut,
    ctxOut: input.ctx === undefined ? '' : report.testRun!.ctxOut,
    bss: bss === undefined ? '' : bss.entries![0].value,
  };
}

const u32 = (value: number) => Uint8Array.from([value, value >> 8, value >> 16, value >>> 24]);

/** Where cgroup2 is mounted on this machine (the kernel's cgroup_array takes only cgroup2 directories). */
function cgroup2Root(): string {
  const line = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .find((l) => l.split(' ')[2] === 'cgroup2');
  if (line === undefined) throw new Error('no cgroup2 mount: the cgroup_array tests need one');
  return line.split(' ')[1];
}

/** This process's cgroup2 path (the oracle it starts runs there too). */
function ownCgroup(): string {
  const line = readFileSync('/proc/self/cgroup', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('0::'));
  return line === undefined ? '/' : line.slice(3);
}

/** A __sk_buff for ctx_in with only gso_size and gso_segs set. */
export function gsoCtx(size: number, segs: number): Uint8Array {
  const ctx = new Uint8Array(192);
  const view = new DataView(ctx.buffer);
  view.setUint32(fieldOffset(SK_BUFF_FIELDS, 'gso_size'), size, true);
  view.setUint32(fieldOffset(SK_BUFF_FIELDS, 'gso_segs'), segs, true);
  return ctx;
}
