// Builds one program's final instructions as libbpf 1.1 hands them to the kernel: entry function, then every
// subprogram it reaches (depth-first, in call order), calls and function addresses re-pointed, maps and
// global data resolved, func_info and line_info moved to the final instruction indexes.

import type { KernelTypes } from '../abi/kernel-structs.js';
import type { BtfFuncInfo, BtfLineInfo } from '../btf/index.js';
import type { Insn } from '../isa/insn.js';
import {
  BPF_CALL_INSN,
  BPF_LD_IMM64,
  BPF_PSEUDO_CALL,
  BPF_PSEUDO_FUNC,
  BPF_PSEUDO_KFUNC_CALL,
  BPF_PSEUDO_MAP_FD,
  BPF_PSEUDO_MAP_VALUE,
} from '../isa/opcodes.js';
import type { BpfFunction, BpfObject, CodeRelocation, CodeSection } from './bpf-object.js';
import { applyCoreRelocation } from './core-relocations.js';
import { ObjectError } from './object-error.js';
import type { ResolvedExterns } from './resolve-externs.js';

const INSN_SIZE = 8;

/** A function as placed in the final program. */
export interface PlacedFunction {
  readonly name: string;
  readonly section: string;
  /** First instruction index in the final program. */
  readonly start: number;
  readonly count: number;
}

/** func_info as the kernel receives it (instruction index, FUNC type id). */
export interface ProgramFuncInfo {
  readonly insnOff: number;
  readonly typeId: number;
}

/** line_info as the kernel receives it (instruction index and the BTF string offsets). */
export interface ProgramLineInfo {
  readonly insnOff: number;
  readonly fileNameOff: number;
  readonly lineOff: number;
  readonly line: number;
  readonly col: number;
  readonly fileName: string;
  readonly lineText: string;
}

/** A call edge of the final program, by function name. */
export interface CallEdge {
  readonly caller: string;
  readonly callee: string;
  /** Instruction index of the call (or LD_IMM64 of the callee's address) in the final program. */
  readonly insn: number;
  readonly kind: 'call' | 'address';
}

export interface RelocatedProgram {
  readonly name: string;
  readonly section: string;
  readonly insns: Insn[];
  /** Entry function first, then subprograms in the order they were appended. */
  readonly functions: readonly PlacedFunction[];
  readonly calls: readonly CallEdge[];
  readonly funcInfo: readonly ProgramFuncInfo[];
  readonly lineInfo: readonly ProgramLineInfo[];
  /** Indexes into the object's maps that the program references. */
  readonly usedMaps: readonly number[];
  /** Instructions libbpf poisons for a CO-RE relocation the kernel cannot satisfy, with the relocation as its log names it. */
  readonly poisonedRelocations: readonly { readonly insn: number; readonly spec: string }[];
}

export interface RelocateOptions {
  /**
   * The value placed in `imm` of an LD_IMM64 that loads a map (src 1) or a map value address (src 2): the
   * map's file descriptor in a `Bpf` instance. Default: the map's index in `BpfObject.maps`.
   */
  mapFd?: (mapIndex: number) => number;
  /** The object's externs as resolved at load (resolveExterns); without them an extern is refused. */
  externs?: ResolvedExterns;
  /** What CO-RE relocations resolve against: a kernel BTF the user gave; tsbpf's table of kernel structs by default. */
  kernelTypes?: KernelTypes;
}

interface Placement {
  readonly fn: BpfFunction;
  readonly start: number;
}

function sectionOf(object: BpfObject, fn: BpfFunction): CodeSection {
  const section = object.codeSections.find((s) => s.index === fn.sectionIndex);
  if (section === undefined) throw new ObjectError(object.fileName, `no code section for '${fn.name}'`);
  return section;
}

function functionAt(object: BpfObject, sectionIndex: number, insn: number): BpfFunction | undefined {
  return object.functions.find(
    (f) => f.sectionIndex === sectionIndex && insn >= f.start && insn < f.start + f.count,
  );
}

function relocationAt(section: CodeSection, insn: number): CodeRelocation | undefined {
  return section.relocations.find((r) => r.insn === insn);
}

/** The program with this name, or an ObjectError naming the programs there are. */
export function findProgram(object: BpfObject, name: string): BpfFunction {
  const fn = object.functions.find((f) => f.isProgram && f.name === name);
  if (fn === undefined) {
    const names = object.functions.filter((f) => f.isProgram).map((f) => f.name);
    throw new ObjectError(
      object.fileName,
      `program '${name}' not found (programs: ${names.join(', ') || 'none'})`,
      {
        program: name,
      },
    );
  }
  return fn;
}

/** Relocates program `name` of `object`; throws ObjectError in libbpf's words when libbpf would refuse it. */
export function relocateProgram(
  object: BpfObject,
  name: string,
  options: RelocateOptions = {},
): RelocatedProgram {
  const mapFd = options.mapFd ?? ((index: number) => index);
  const entry = findProgram(object, name);
  const file = object.fileName;
  const insns: Insn[] = [];
  const placements: Placement[] = [];
  const placedAt = new Map<BpfFunction, number>();
  const calls: CallEdge[] = [];

  const place = (fn: BpfFunction): number => {
    const start = insns.length;
    const section = sectionOf(object, fn);
    for (let i = 0; i < fn.count; i++) insns.push({ ...section.insns[fn.start + i] });
    placements.push({ fn, start });
    placedAt.set(fn, start);
    return start;
  };

  // libbpf's bpf_object__reloc_code: scan a placed function; the first reference to an unplaced subprogram
  // appends it and scans it before going on, so subprograms end up in depth-first call order.
  const scan = (fn: BpfFunction, start: number): void => {
    const section = sectionOf(object, fn);
    for (let local = 0; local < fn.count; local++) {
      const at = start + local;
      const insn = insns[at];
      const relocation = relocationAt(section, fn.start + local);
      const isCall = insn.code === BPF_CALL_INSN && insn.src === BPF_PSEUDO_CALL;
      const isAddress = insn.code === BPF_LD_IMM64 && relocation?.kind === 'subprog_addr';
      if (!isCall && !isAddress) continue;
      if (relocation?.kind === 'extern') continue;
      let targetSection = fn.sectionIndex;
      let targetInsn: number;
      if (relocation !== undefined && relocation.kind !== 'call' && relocation.kind !== 'subprog_addr') {
        throw new ObjectError(
          file,
          `prog '${entry.name}': unexpected relo for insn #${fn.start + local}, type ${relocation.kind}`,
          {
            program: entry.name,
            insn: at,
          },
        );
      }
      if (relocation !== undefined) {
        targetSection = relocation.symbolSection;
        // Static callees are reached through the section symbol plus imm; global ones through their symbol.
        targetInsn =
          relocation.kind === 'call'
            ? relocation.symbolOffset / INSN_SIZE + insn.imm + 1
            : (relocation.symbolOffset + insn.imm) / INSN_SIZE;
      } else {
        targetInsn = fn.start + local + insn.imm + 1;
      }
      const callee = functionAt(object, targetSection, targetInsn);
      if (callee === undefined) {
        throw new ObjectError(
          file,
          `prog '${entry.name}': no .text section found yet sub-program call exists`,
          {
            program: entry.name,
            insn: at,
          },
        );
      }
      if (callee.start !== targetInsn) {
        throw new ObjectError(
          file,
          `prog '${entry.name}': insn #${at} calls into the middle of '${callee.name}' (insn ${targetInsn - callee.start})`,
          { program: entry.name, insn: at },
        );
      }
      let calleeStart = placedAt.get(callee);
      if (calleeStart === undefined) {
        calleeStart = place(callee);
        scan(callee, calleeStart);
      }
      insns[at].imm = calleeStart - at - 1;
      if (isAddress) insns[at].src = BPF_PSEUDO_FUNC;
      calls.push({ caller: fn.name, callee: callee.name, insn: at, kind: isCall ? 'call' : 'address' });
    }
  };

  scan(entry, place(entry));

  // libbpf's bpf_object__relocate_data, applied to every placed copy.
  const usedMaps = new Set<number>();
  for (const { fn, start } of placements) {
    const section = sectionOf(object, fn);
    for (const relocation of section.relocations) {
      if (relocation.insn < fn.start || relocation.insn >= fn.start + fn.count) continue;
      const at = start + relocation.insn - fn.start;
      const where = { program: entry.name, insn: at };
      switch (relocation.kind) {
        case 'map':
        case 'data': {
          const mapIndex = relocation.mapIndex!;
          if (at + 1 >= insns.length || insns[at].code !== BPF_LD_IMM64) {
            throw new ObjectError(file, `prog '${entry.name}': relo #${at}: bad insn`, where);
          }
          usedMaps.add(mapIndex);
          if (relocation.kind === 'map') {
            insns[at].src = BPF_PSEUDO_MAP_FD;
          } else {
            insns[at + 1].imm = (insns[at].imm + relocation.symbolOffset) | 0;
            insns[at].src = BPF_PSEUDO_MAP_VALUE;
          }
          insns[at].imm = mapFd(mapIndex);
          break;
        }
        case 'extern':
          relocateExtern(object, insns, at, relocation.symbol, options, mapFd, usedMaps, where);
          break;
        case 'call':
        case 'subprog_addr':
          break;
        default: {
          const unreachable: never = relocation.kind;
          throw unreachable;
        }
      }
    }
  }

  const poisonedRelocations = applyCoreRelocations(
    object,
    entry.name,
    placements,
    insns,
    options.kernelTypes,
  );
  const { funcInfo, lineInfo } = moveExtInfo(object, placements);
  return {
    name: entry.name,
    section: entry.section,
    insns,
    functions: placements.map(({ fn, start }) => ({
      name: fn.name,
      section: fn.section,
      start,
      count: fn.count,
    })),
    calls,
    funcInfo,
    lineInfo,
    usedMaps: [...usedMaps].sort((a, b) => a - b),
    poisonedRelocations,
  };
}

/** libbpf's RELO_EXTERN_VAR (a `.kconfig` value's address) and RELO_EXTERN_FUNC (a kfunc call). */
function relocateExtern(
  object: BpfObject,
  insns: Insn[],
  at: number,
  name: string,
  options: RelocateOptions,
  mapFd: (mapIndex: number) => number,
  usedMaps: Set<number>,
  where: { program: string; insn: number },
): void {
  const ext = object.externs.find((e) => e.name === name);
  const resolved = options.externs;
  if (ext === undefined || resolved === undefined || ext.kind === 'ksym') {
    throw new ObjectError(
      object.fileName,
      `prog '${where.program}': extern '${name}' is not supported (only kconfig values and known kfuncs resolve without a kernel)`,
      where,
    );
  }
  const insn = insns[at];
  if (insn.code === BPF_CALL_INSN) {
    if (ext.kind !== 'kfunc') {
      throw new ObjectError(
        object.fileName,
        `prog '${where.program}': extern '${name}' is not a function`,
        where,
      );
    }
    insn.src = BPF_PSEUDO_KFUNC_CALL;
    insn.imm = resolved.kfuncIds.get(name) ?? 0;
    insn.off = 0;
    return;
  }
  const kconfigMap = object.maps.findIndex((m) => m.origin === 'kconfig');
  if (ext.kind !== 'kconfig' || kconfigMap < 0 || at + 1 >= insns.length) {
    throw new ObjectError(object.fileName, `prog '${where.program}': relo #${at}: bad insn`, where);
  }
  usedMaps.add(kconfigMap);
  insn.src = BPF_PSEUDO_MAP_VALUE;
  insn.imm = mapFd(kconfigMap);
  insns[at + 1].imm = ext.kconfig!.offset;
}

/** libbpf's bpf_object__relocate_core: every CO-RE relocation of each placed function, against the kernel's types. */
function applyCoreRelocations(
  object: BpfObject,
  program: string,
  placements: readonly Placement[],
  insns: Insn[],
  kernelTypes: KernelTypes | undefined,
): { insn: number; spec: string }[] {
  const poisoned: { insn: number; spec: string }[] = [];
  const btf = object.btf;
  const sections = object.btfExt?.coreRelo?.sections;
  if (btf === undefined || sections === undefined) return poisoned;
  for (const { fn, start } of placements) {
    const records = sections.find((s) => s.section === fn.section)?.records ?? [];
    for (const [number, relo] of records.entries()) {
      const index = relo.insnOff / INSN_SIZE;
      if (index < fn.start || index >= fn.start + fn.count) continue;
      const insn = start + index - fn.start;
      const spec = applyCoreRelocation(
        btf,
        relo,
        insns,
        { file: object.fileName, program, number, insn },
        kernelTypes,
      );
      if (spec !== undefined) poisoned.push({ insn, spec });
    }
  }
  return poisoned;
}

/** func_info and line_info of each placed function, moved from section byte offsets to final indexes. */
function moveExtInfo(
  object: BpfObject,
  placements: readonly Placement[],
): { funcInfo: ProgramFuncInfo[]; lineInfo: ProgramLineInfo[] } {
  const funcInfo: ProgramFuncInfo[] = [];
  const lineInfo: ProgramLineInfo[] = [];
  const ext = object.btfExt;
  if (ext === undefined) return { funcInfo, lineInfo };
  const recordsOf = <R extends BtfFuncInfo | BtfLineInfo>(
    sections: { section: string; records: R[] }[] | undefined,
    name: string,
  ) => sections?.find((s) => s.section === name)?.records ?? [];
  for (const { fn, start } of placements) {
    const moved = (insnOff: number): number | undefined => {
      const index = insnOff / INSN_SIZE;
      return index >= fn.start && index < fn.start + fn.count ? start + index - fn.start : undefined;
    };
    for (const record of recordsOf(ext.funcInfo?.sections, fn.section)) {
      const insnOff = moved(record.insnOff);
      if (insnOff !== undefined) funcInfo.push({ insnOff, typeId: record.typeId });
    }
    for (const record of recordsOf(ext.lineInfo?.sections, fn.section)) {
      const insnOff = moved(record.insnOff);
      if (insnOff === undefined) continue;
      lineInfo.push({
        insnOff,
        fileNameOff: record.fileNameOff,
        lineOff: record.lineOff,
        line: record.line,
        col: record.col,
        fileName: record.fileName,
        lineText: record.lineText,
      });
    }
  }
  return { funcInfo, lineInfo };
}
