// A plain, JSON-ready description of an object: programs with their functions, call graph, maps, relocations.

import type { KernelTypes } from '../abi/kernel-structs.js';
import { mapTypeById } from '../abi/map-types.js';
import { programTypeForSection } from './section-names.js';
import { bpfRelocationName } from '../elf/index.js';
import type { BpfObject } from './bpf-object.js';
import { relocateProgram } from './relocate-program.js';

export interface FunctionDescription {
  name: string;
  /** Where it is defined: section and instruction range there. */
  section: string;
  sectionStart: number;
  count: number;
  /** Where it lands in this program's final instructions. */
  start: number;
  global: boolean;
}

export interface ProgramDescription {
  name: string;
  section: string;
  /** Program type libbpf derives from the section name, or null when none matches. */
  type: string | null;
  expectedAttachType: string | null;
  insnCount: number;
  functions: FunctionDescription[];
  calls: { caller: string; callee: string; insn: number; kind: 'call' | 'address' }[];
  maps: string[];
  /** Set when the program cannot be relocated (libbpf would refuse it too). */
  error?: string;
}

export interface MapDescription {
  name: string;
  type: string;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags: number;
  origin: string;
  section: string;
  inner?: MapDescription;
}

export interface RelocationDescription {
  section: string;
  insn: number;
  kind: string;
  type: string;
  symbol: string;
  map?: string;
}

export interface ObjectDescription {
  file: string;
  name: string;
  license: string;
  kernelVersion: number;
  programs: ProgramDescription[];
  /** Functions of the object that no program reaches. */
  unusedFunctions: string[];
  maps: MapDescription[];
  relocations: RelocationDescription[];
}

function describeMap(map: BpfObject['maps'][number]): MapDescription {
  return {
    name: map.name,
    type: mapTypeById(map.type)?.name ?? `unknown(${map.type})`,
    keySize: map.keySize,
    valueSize: map.valueSize,
    maxEntries: map.maxEntries,
    flags: map.flags,
    origin: map.origin,
    section: map.section,
    ...(map.inner === undefined ? {} : { inner: describeMap(map.inner) }),
  };
}

/** What the object's programs look like relocated; CO-RE against `kernelTypes` (a kernel BTF) when given. */
export function describeObject(
  object: BpfObject,
  options: { kernelTypes?: KernelTypes } = {},
): ObjectDescription {
  const reached = new Set<string>();
  const programs: ProgramDescription[] = object.functions
    .filter((fn) => fn.isProgram)
    .map((fn) => {
      const kind = programTypeForSection(fn.section);
      const base = {
        name: fn.name,
        section: fn.section,
        type: kind?.programType ?? null,
        expectedAttachType: kind?.expectedAttachType ?? null,
      };
      try {
        const relocated = relocateProgram(
          object,
          fn.name,
          options.kernelTypes === undefined ? {} : { kernelTypes: options.kernelTypes },
        );
        for (const placed of relocated.functions) reached.add(`${placed.section}/${placed.name}`);
        return {
          ...base,
          insnCount: relocated.insns.length,
          functions: relocated.functions.map((placed) => {
            const defined = object.functions.find(
              (f) => f.name === placed.name && f.section === placed.section,
            )!;
            return {
              name: placed.name,
              section: placed.section,
              sectionStart: defined.start,
              count: placed.count,
              start: placed.start,
              global: defined.global,
            };
          }),
          calls: relocated.calls.map((c) => ({ ...c })),
          maps: relocated.usedMaps.map((i) => object.maps[i].name),
        };
      } catch (error) {
        return {
          ...base,
          insnCount: fn.count,
          functions: [],
          calls: [],
          maps: [],
          error: error instanceof Error ? error.message : String(error),
        };
      }
    });
  return {
    file: object.fileName,
    name: object.name,
    license: object.license,
    kernelVersion: object.kernelVersion,
    programs,
    unusedFunctions: object.functions
      .filter((fn) => !fn.isProgram && !reached.has(`${fn.section}/${fn.name}`))
      .map((fn) => fn.name),
    maps: object.maps.map(describeMap),
    relocations: object.codeSections.flatMap((section) =>
      section.relocations.map((r) => ({
        section: section.name,
        insn: r.insn,
        kind: r.kind,
        type: bpfRelocationName(r.elfType),
        symbol: r.symbol,
        ...(r.mapIndex === undefined ? {} : { map: object.maps[r.mapIndex].name }),
      })),
    ),
  };
}
