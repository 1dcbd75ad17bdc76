// What `tsbpf run` prints, on the corpus: --trace and runtime faults name the functions (BTF func_info) and the
// source lines (line_info, checked against the C files), instructions in program and section; ctx out by field
// name; --data-out.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import type { ObjectHandle } from '../../src/api/object-handle.js';
import { ProgramLocations } from '../../src/cli/program-locations.js';
import { faultLines, printRunResult } from '../../src/cli/run-output.js';
import { InstructionTraceRecorder } from '../../src/vm/instruction-trace.js';
import { corpusObjects, REPO_ROOT } from '../corpus.js';
import { runCli } from '../run-cli.js';
import { testPackets } from './testrun-packets.js';

const work = mkdtempSync(join(tmpdir(), 'tsbpf-run-output-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const packet = testPackets().find((p) => p.name === 'ipv4-tcp-http')!.data;
const packetPath = join(work, 'packet.bin');
writeFileSync(packetPath, packet);

const RUNNABLE = new Set(['socket_filter', 'sched_cls', 'xdp']);

interface CorpusProgram {
  file: string;
  bytes: Uint8Array;
  name: string;
}

/** Every program of the corpus that test-run can run. */
function runnablePrograms(): CorpusProgram[] {
  const programs: CorpusProgram[] = [];
  for (const object of corpusObjects()) {
    const bpf = new Bpf();
    let handle: ObjectHandle;
    try {
      handle = bpf.openObject(object.bytes, object.path).load();
    } catch {
      continue; // objects whose programs tsbpf cannot load (tracing types) have nothing to run
    }
    for (const name of handle.programNames) {
      if (RUNNABLE.has(handle.program(name).handle.type)) {
        programs.push({ file: object.path, bytes: object.bytes, name });
      }
    }
  }
  return programs;
}

const PROGRAMS = runnablePrograms();

/** The BTF FUNC names of an object: what every function a trace or fault names must be. */
function funcNames(bytes: Uint8Array): Set<string> {
  const object = new Bpf().openObject(bytes);
  return new Set(object.object.btf!.types.filter((t) => t.kind === 'func').map((t) => t.name));
}

const sources = new Map<string, string[]>();
/** Line `line` of the C file line_info names (paths are relative to the repository root). */
function sourceLine(file: string, line: number): string {
  let lines = sources.get(file);
  if (lines === undefined) {
    lines = readFileSync(join(REPO_ROOT, file), 'utf8').split('\n');
    sources.set(file, lines);
  }
  return lines[line - 1] ?? '';
}

/** `; text @ base.c:N` comments of a trace or fault: each must quote line N of the source file. */
function checkSourceComments(lines: readonly string[], cFile: string): number {
  let checked = 0;
  for (const line of lines) {
    const match = /^\s*; (.*) @ ([\w.]+):(\d+)$/.exec(line);
    if (match === null) continue;
    expect(cFile.endsWith(match[2]), line).toBe(true);
    if (match[3] !== '0') expect(sourceLine(cFile, Number(match[3])).trimStart(), line).toBe(match[1]);
    checked++;
  }
  return checked;
}

describe('tsbpf run --trace on the corpus', () => {
  it('finds runnable programs in the corpus', () => {
    expect(PROGRAMS.length).toBeGreaterThanOrEqual(20);
  });

  it.each(PROGRAMS.map((p) => [`${p.file} ${p.name}`, p] as const))('%s', async (_, program) => {
    const result = await runCli(
      'run',
      program.file,
      '--program',
      program.name,
      '--data',
      packetPath,
      '--trace',
      '--trace-limit',
      '300',
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    const steps = lines.filter((line) => /^\s*\w+ \d+: \([0-9a-f]{2}\) /.test(line));
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.length).toBeLessThanOrEqual(300);
    const names = funcNames(program.bytes);
    for (const step of steps) expect(names, step).toContain(step.trim().split(' ')[0]);
    expect(steps[0].trim().startsWith(`${program.name} 0: `)).toBe(true);
    const cFile = program.file.replace(/(\.v3)?\.o$/, '.c');
    expect(checkSourceComments(lines, cFile)).toBeGreaterThan(0);
    const omitted = /^\.\.\. (\d+) more instructions? not shown \(--trace-limit 300\)$/m.exec(result.stdout);
    // Either the whole run is shown, or exactly 300 steps and a count of the rest.
    if (omitted !== null) expect(steps).toHaveLength(300);
    expect(result.stdout).toMatch(new RegExp(`^${program.name}: retval `, 'm'));
  });
});

describe('tsbpf run --trace bounds', () => {
  it('keeps --trace-limit lines over many repeats and counts the rest (JSON too)', async () => {
    const args = ['run', 'test/progs/calls_basic.o', '--program', 'sock_diamond', '--data', packetPath];
    const once = JSON.parse((await runCli(...args, '--trace', '--trace-limit', '100000', '--json')).stdout);
    const isStep = (line: string) => /^\s*\w+ \d+: \([0-9a-f]{2}\) /.test(line);
    const perRun = once.insnTrace.filter(isStep).length;
    expect(once.insnTraceOmitted).toBe(0);
    expect(perRun).toBeGreaterThan(10);
    const many = JSON.parse(
      (await runCli(...args, '--repeat', '1000', '--trace', '--trace-limit', '50', '--json')).stdout,
    );
    expect(many.insnTrace.filter(isStep)).toHaveLength(50);
    expect(many.insnTrace.at(-1)).toBe(
      `... ${perRun * 1000 - 50} more instructions not shown (--trace-limit 50)`,
    );
    expect(many.insnTraceOmitted).toBe(perRun * 1000 - 50);
    expect((await runCli(...args, '--trace-limit', '5')).status).toBe(2);
  });
});

describe('runtime faults on the corpus', () => {
  it.each(PROGRAMS.map((p) => [`${p.file} ${p.name}`, p] as const))('%s', (_, program) => {
    // A trace of the run chooses where to stop it: the first instruction executed in a called function (or the
    // middle of the run), which the instruction budget then turns into a fault.
    const bpf = new Bpf();
    const object = bpf.openObject(program.bytes, program.file).load({ engine: 'interp' }); // the engine that traces
    const fd = object.program(program.name).handle.fd;
    const recorder = new InstructionTraceRecorder(100_000);
    expect(bpf.testRun(fd, { data: packet, trace: recorder }).error).toBeUndefined();
    let target = recorder.steps.findIndex((step) => step.depth > 0);
    if (target < 0) target = Math.floor(recorder.steps.length / 2);
    const step = recorder.steps[target];

    const fresh = new Bpf();
    const faulting = fresh.openObject(program.bytes, program.file).load({ engine: 'interp' });
    const result = fresh.testRun(faulting.program(program.name).handle.fd, { data: packet, budget: target });
    const fault = result.error?.fault;
    expect(fault?.reason).toBe(`instruction budget of ${target} exhausted`);
    expect(fault!.insn).toBe(step.pc);

    const locations = new ProgramLocations(faulting);
    const lines = faultLines(program.name, fault!, locations);
    const names = funcNames(program.bytes);
    const at = /^ {2}at (\S+) \(insn (\d+) of (\S+); (\S+) insn (\d+)\)/.exec(lines[1]);
    expect(at, lines.join('\n')).not.toBeNull();
    const [, fn, insn, prog, section, sectionInsn] = at!;
    expect(names).toContain(fn);
    expect(Number(insn)).toBe(step.pc);
    expect(prog).toBe(program.name);
    // The instruction named in its ELF section is the faulting one (relocation changes only imm and src).
    const code = faulting.object.codeSections.find((s) => s.name === section)!.insns[Number(sectionInsn)];
    expect(code.code).toBe(faulting.program(program.name).handle.insns[step.pc].code);
    if (step.depth > 0) {
      expect(fn).not.toBe(program.name);
      expect(lines.some((line) => line.startsWith(`  called from ${program.name} (`))).toBe(true);
    }
    expect(lines.filter((line) => / {2}(at|called from) /.test(line))).toHaveLength(step.depth + 1);
    checkSourceComments(lines, program.file.replace(/(\.v3)?\.o$/, '.c'));
    expect(lines[2]).toMatch(/^ {4}; .* @ [\w.]+:\d+$/);
  });

  it('go to stderr, with the JSON error naming each frame', () => {
    const program = PROGRAMS.find((p) => p.name === 'sock_diamond')!;
    const bpf = new Bpf();
    const object = bpf.openObject(program.bytes, program.file).load({ engine: 'interp' });
    const result = bpf.testRun(object.program(program.name).handle.fd, { data: packet, budget: 12 });
    const out: string[] = [];
    const err: string[] = [];
    const run = { bpf, object, result, program: program.name, trace: undefined };
    printRunResult(
      run,
      { json: false, dumpMaps: false },
      (t) => out.push(t),
      (t) => err.push(t),
    );
    expect(out.join('\n')).not.toMatch(/fault/);
    expect(err[0]).toBe('sock_diamond: runtime fault: instruction budget of 12 exhausted');
    expect(err[1]).toMatch(/^ {2}at \w+ \(insn \d+ of sock_diamond; \S+ insn \d+\) calls_basic\.c:\d+$/);

    out.length = 0;
    printRunResult(
      run,
      { json: true, dumpMaps: false },
      (t) => out.push(t),
      () => {},
    );
    const json = JSON.parse(out.join(''));
    expect(json.error.code).toBe('EFAULT');
    expect(json.error.at[0]).toMatchObject({ program: 'sock_diamond', file: './test/progs/calls_basic.c' });
    expect(json.error.at[json.error.at.length - 1].function).toBe('sock_diamond');
  });
});

describe('ctx out and --data-out', () => {
  it('decodes struct xdp_md by field and writes data_out', async () => {
    const ctx = new Uint8Array(24);
    new DataView(ctx.buffer).setUint32(4, packet.length, true);
    const ctxPath = join(work, 'xdp_md.bin');
    writeFileSync(ctxPath, ctx);
    const dataOut = join(work, 'out.bin');
    const args = ['run', 'test/progs/xdp_rewrite.o', '--program', 'xdp_vlan_push', '--data', packetPath];
    const text = await runCli(...args, '--ctx', ctxPath, '--data-out', dataOut);
    expect(text.status, text.stderr).toBe(0);
    const json = JSON.parse((await runCli(...args, '--ctx', ctxPath, '--json')).stdout);
    // The VLAN push grows the packet by 4 bytes: data_end in ctx out and the file written follow it.
    expect(json.ctx).toEqual({
      data: 0,
      data_end: packet.length + 4,
      data_meta: 0,
      ingress_ifindex: 0,
      rx_queue_index: 0,
      egress_ifindex: 0,
    });
    expect(text.stdout).toContain(`  data=0 data_end=${packet.length + 4} data_meta=0 ingress_ifindex=0`);
    expect(Buffer.from(readFileSync(dataOut)).toString('hex')).toBe(json.dataOut);
  });

  it('decodes struct __sk_buff by field (u64 as decimal strings, cb as words)', async () => {
    const ctx = new Uint8Array(192);
    const view = new DataView(ctx.buffer);
    view.setUint32(8, 7, true); // mark
    view.setUint32(48, 0xdead, true); // cb[0]
    view.setBigUint64(152, 123456789012345678n, true); // tstamp
    const ctxPath = join(work, 'skb.bin');
    writeFileSync(ctxPath, ctx);
    const args = ['run', 'test/progs/tc_classify.o', '--program', 'tc_port_classifier', '--data', packetPath];
    const json = JSON.parse((await runCli(...args, '--ctx', ctxPath, '--json')).stdout);
    expect(json.ctx.cb[0]).toBe(0xdead);
    expect(json.ctx.cb).toHaveLength(5);
    expect(json.ctx.tstamp).toBe('123456789012345678');
    expect(typeof json.ctx.mark).toBe('number');
    expect(Object.keys(json.ctx)).not.toContain('(padding)');
  });

  it('refusals go to stderr in one line, nothing on stdout', async () => {
    const short = join(work, 'short.bin');
    writeFileSync(short, new Uint8Array(4));
    const result = await runCli(
      'run',
      'test/progs/tc_classify.o',
      '--program',
      'tc_port_classifier',
      '--data',
      short,
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^tsbpf run: tc_port_classifier: refused: EINVAL: /);
  });
});
