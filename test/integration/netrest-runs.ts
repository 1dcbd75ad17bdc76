// One test run of an object's program in tsbpf and in the kernel (a fresh network namespace), reduced to what the
// netrest-*-kernel tests compare: retval, packet out, ctx out and the .bss bytes. Also the verifier's refusal of a
// program in both, in the kernel's words.

import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { fieldOffset, SK_BUFF_FIELDS } from '../../src/abi/context-structs.js';
import { Bpf } from '../../src/api/bpf.js';
import { ProgLoadError } from '../../src/api/bpf-error.js';
import type { NetworkDeclaration } from '../../src/vm/network.js';
import { bytesToHex } from '../oracle/oracle.js';
import type { requireOracle } from '../oracle/require-oracle.js';
import { errorLine } from '../verifier/cases.js';

type Oracle = ReturnType<typeof requireOracle>;

export interface RunInput {
  readonly data: Uint8Array;
  readonly ctx?: Uint8Array;
  /** tsbpf's namespace. */
  readonly network?: NetworkDeclaration;
  /** The kernel's: sockets the oracle opens on lo (which brings lo up). */
  readonly netnsSockets?: readonly string[];
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

/** Both refuse `program`: the same last log line, instruction and errno. */
export function expectSameRefusal(oracle: Oracle, path: string, program: string): void {
  const kernel = oracle.runObject(path, { program, logLevel: 1 }).programs[0];
  expect(kernel.verdict).toBe('rejected');
  let refusal: unknown;
  try {
    new Bpf().openObject(readFileSync(path), fileName(path)).load({ programs: [program], logLevel: 1 });
  } catch (error) {
    refusal = error;
  }
  expect(refusal).toBeInstanceOf(ProgLoadError);
  const ours = refusal as ProgLoadError;
  expect({ ...errorLine(ours.log), errno: ours.errno }).toEqual({
    ...errorLine(kernel.log),
    errno: kernel.errno,
  });
}

/** A __sk_buff for ctx_in with only gso_size and gso_segs set. */
export function gsoCtx(size: number, segs: number): Uint8Array {
  const ctx = new Uint8Array(192);
  const view = new DataView(ctx.buffer);
  view.setUint32(fieldOffset(SK_BUFF_FIELDS, 'gso_size'), size, true);
  view.setUint32(fieldOffset(SK_BUFF_FIELDS, 'gso_segs'), segs, true);
  return ctx;
}
