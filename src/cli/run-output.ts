// How `tsbpf run` prints a test-run: result and ctx_out by field name on stdout, refusals and runtime faults
// (located in function, section and source line) on stderr, the bounded instruction trace of --trace.

import { CONTEXT_LAYOUTS } from '../abi/context.js';
import type { Bpf } from '../api/bpf.js';
import type { ObjectHandle } from '../api/object-handle.js';
import type { ProgramTypeName } from '../abi/program-types.js';
import { formatInsn } from '../isa/disassembler.js';
import type { InstructionTraceRecorder } from '../vm/instruction-trace.js';
import type { ExecutableProgram, RuntimeFault } from '../vm/runtime.js';
import type { TestRunResult } from '../vm/test-run.js';
import { writeOutput } from './io.js';
import { dumpObjectMaps, mapDumpsToJson, mapDumpsToText } from './map-dump-format.js';
import {
  describeLocation,
  type InstructionLocation,
  ProgramLocations,
  sourceLineComment,
} from './program-locations.js';

/** A context field's value: u32/u8 fields as numbers, u64 and pointers as decimal strings, arrays of u32 words. */
export type ContextFieldValue = number | string | number[];

/**
 * ctx_out of a kernel program type decoded by field (`struct __sk_buff`, `struct xdp_md`, `struct bpf_flow_keys`,
 * `struct bpf_sk_lookup`), in layout order;
 * undefined for types without a known layout. Padding is left out.
 */
export function decodeContext(
  type: string,
  bytes: Uint8Array,
): (readonly [string, ContextFieldValue])[] | undefined {
  const layout = CONTEXT_LAYOUTS[type as ProgramTypeName];
  if (layout === undefined || bytes.length < layout.size) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fields: (readonly [string, ContextFieldValue])[] = [];
  for (const field of layout.fields) {
    let value: ContextFieldValue;
    if (field.size === 1) value = view.getUint8(field.offset);
    else if (field.size === 2) value = view.getUint16(field.offset, true);
    else if (field.size === 8) value = view.getBigUint64(field.offset, true).toString();
    else if (field.size === 4) value = view.getUint32(field.offset, true);
    else {
      value = [];
      for (let at = field.offset; at < field.offset + field.size; at += 4)
        value.push(view.getUint32(at, true));
    }
    fields.push([field.name, value]);
  }
  return fields;
}

/** `name=value` pairs on lines of at most ~100 characters, for the text output. */
export function contextLines(fields: readonly (readonly [string, ContextFieldValue])[]): string[] {
  const lines: string[] = [];
  let line = '';
  for (const [name, value] of fields) {
    const text = `${name}=${Array.isArray(value) ? `[${value.join(',')}]` : value}`;
    if (line.length > 0 && line.length + text.length + 1 > 100) {
      lines.push(line);
      line = '';
    }
    line += line.length === 0 ? text : ` ${text}`;
  }
  if (line.length > 0) lines.push(line);
  return lines;
}

/** A fault's place as JSON tools read it. */
export interface FaultLocationJson {
  function: string;
  program: string;
  insn: number;
  section: string;
  sectionInsn: number;
  file?: string;
  line?: number;
  source?: string;
}

function locationJson(location: InstructionLocation): FaultLocationJson {
  return {
    function: location.function,
    program: location.program,
    insn: location.insn,
    section: location.section,
    sectionInsn: location.sectionInsn,
    ...(location.line === undefined
      ? {}
      : { file: location.line.file, line: location.line.line, source: location.line.text.trimStart() }),
  };
}

/** The fault's frames, innermost (the faulting instruction) first. */
export function faultLocations(fault: RuntimeFault, locations: ProgramLocations): FaultLocationJson[] {
  return [...fault.frames]
    .reverse()
    .map((frame) => locationJson(locate(locations, frame.program, frame.insn)));
}

function locate(locations: ProgramLocations, program: ExecutableProgram, insn: number): InstructionLocation {
  return (
    locations.locate(program, insn) ?? {
      program: program.name,
      insn,
      function: program.name,
      section: '?',
      sectionInsn: insn,
    }
  );
}

/**
 * The fault for stderr: what happened and where, then the source line and each caller, innermost first:
 *   prog: runtime fault: invalid read of 4 bytes at address 0x0 (r1+0)
 *     at parse_ip (insn 41 of prog; .text insn 12) btf_values.c:97
 *       ; __u8 ttl = ip->ttl; @ btf_values.c:97
 *     called from prog (insn 9 of prog; xdp insn 9) btf_values.c:130
 */
export function faultLines(program: string, fault: RuntimeFault, locations: ProgramLocations): string[] {
  const lines = [`${program}: runtime fault: ${fault.reason}`];
  const frames = [...fault.frames].reverse();
  if (frames.length === 0) lines.push(`  at insn ${fault.insn}`);
  frames.forEach((frame, i) => {
    const location = locate(locations, frame.program, frame.insn);
    const where = location.line === undefined ? '' : ` ${baseName(location.line.file)}:${location.line.line}`;
    lines.push(`  ${i === 0 ? 'at' : 'called from'} ${describeLocation(location)}${where}`);
    if (i === 0 && location.line !== undefined) lines.push(`    ${sourceLineComment(location.line)}`);
  });
  return lines;
}

const baseName = (file: string): string => file.slice(file.lastIndexOf('/') + 1);

const hexValue = (value: bigint): string => `0x${value.toString(16)}`;
const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * The trace as lines: a source-line comment whenever the line changes (as the kernel's verifier log shows it),
 * then `function pc: (opcode) instruction  ; rN=value ...` for each executed instruction (pc in the program), callee
 * frames indented, and a last line with how many instructions were left out.
 */
export function traceLines(recorder: InstructionTraceRecorder, locations: ProgramLocations): string[] {
  const lines: string[] = [];
  let lastSource = '';
  for (const step of recorder.steps) {
    const location = locate(locations, step.program, step.pc);
    const indent = '  '.repeat(Math.min(step.depth, 16));
    if (location.line !== undefined) {
      const source = sourceLineComment(location.line);
      if (source !== lastSource) lines.push(`${indent}${source}`);
      lastSource = source;
    }
    const insn = step.program.insns[step.pc];
    const code = insn === undefined ? '??' : insn.code.toString(16).padStart(2, '0');
    let text: string;
    try {
      text = formatInsn(step.program.insns, step.pc);
    } catch {
      text = '<unknown>';
    }
    const changed = step.changed.map((change) => `r${change.register}=${hexValue(change.value)}`).join(' ');
    lines.push(
      `${indent}${location.function} ${step.pc}: (${code}) ${text}${changed === '' ? '' : `  ; ${changed}`}`,
    );
  }
  if (recorder.omitted > 0) {
    lines.push(
      `... ${recorder.omitted} more instruction${recorder.omitted === 1 ? '' : 's'} not shown (--trace-limit ${recorder.limit})`,
    );
  }
  return lines;
}

export interface RunOutcome {
  bpf: Bpf;
  object: ObjectHandle;
  result: TestRunResult;
  program: string;
  trace: InstructionTraceRecorder | undefined;
}

/**
 * Prints a test-run: the result on stdout (text or JSON), a refusal or runtime fault on stderr (the fault with
 * its function, instruction in program and section, and source line), the trace, and --data-out.
 */
export function printRunResult(
  run: RunOutcome,
  options: { json: boolean; dumpMaps: boolean; dataOut?: string },
  out: (text: string) => void,
  err: (text: string) => void,
): void {
  const { bpf, object, result, program } = run;
  const locations = new ProgramLocations(object);
  const fault = result.error?.fault;
  if (result.error !== undefined) {
    if (fault === undefined) err(`${program}: refused: ${result.error.code}: ${result.error.message}`);
    else for (const line of faultLines(program, fault, locations)) err(line);
  }
  if (options.dataOut !== undefined && result.error === undefined)
    writeOutput(options.dataOut, result.dataOut);
  const maps = options.dumpMaps ? dumpObjectMaps(bpf, object) : undefined;
  const printk = bpf.traceLog();
  const printkDropped = bpf.traceDropped();
  const { type: programType, engine } = object.program(program).handle;
  const ctxFields = result.ctxOut.length > 0 ? decodeContext(programType, result.ctxOut) : undefined;
  // A flow dissector's data_out is the struct bpf_flow_keys it filled.
  const flowKeys =
    programType === 'flow_dissector' && result.dataOut.length > 0
      ? decodeContext(programType, result.dataOut)
      : undefined;
  const steps = run.trace === undefined ? undefined : traceLines(run.trace, locations);
  if (options.json) {
    // `maps` is spliced in as text: its `formatted` values keep 64-bit integers exact, as bpftool prints them.
    const body = JSON.stringify({
      program,
      engine,
      retval: result.retval,
      dataOut: hex(result.dataOut),
      ctxOut: hex(result.ctxOut),
      ...(ctxFields === undefined ? {} : { ctx: Object.fromEntries(ctxFields) }),
      ...(flowKeys === undefined ? {} : { flowKeys: Object.fromEntries(flowKeys) }),
      durationNs: result.durationNs,
      ...(result.error === undefined
        ? {}
        : {
            error: {
              errno: result.error.errno,
              code: result.error.code,
              // A fault's message names functions by BTF in `at`, not by the interpreter's `func@N`.
              message: fault === undefined ? result.error.message : `runtime fault: ${fault.reason}`,
              ...(fault === undefined ? {} : { at: faultLocations(fault, locations) }),
            },
          }),
      trace: printk,
      traceDropped: printkDropped,
      ...(steps === undefined ? {} : { insnTrace: steps, insnTraceOmitted: run.trace?.omitted ?? 0 }),
    });
    out(maps === undefined ? body : `${body.slice(0, -1)},"maps":${mapDumpsToJson(maps)}}`);
    return;
  }
  if (steps !== undefined) for (const line of steps) out(line);
  if (result.error === undefined) {
    out(
      `${program}: retval ${result.retval} (0x${result.retval.toString(16)})  ${result.durationNs} ns/run (${engine})`,
    );
    out(`data out (${result.dataOut.length} bytes): ${hex(result.dataOut)}`);
    if (flowKeys !== undefined) for (const line of contextLines(flowKeys)) out(`  ${line}`);
    if (result.ctxOut.length > 0) {
      out(`ctx out (${result.ctxOut.length} bytes): ${hex(result.ctxOut)}`);
      if (ctxFields !== undefined) for (const line of contextLines(ctxFields)) out(`  ${line}`);
    }
  }
  if (printkDropped > 0) out(`trace: ${printkDropped} earlier lines dropped (trace buffer full)`);
  for (const line of printk) out(`trace: ${line}`);
  if (maps !== undefined) for (const line of mapDumpsToText(maps)) out(line);
}
