// Opens a clang-built BPF object as libbpf 1.1 does: functions, BTF, maps, global data and classified relocations.

import { BPF_OBJ_NAME_LEN } from '../abi/limits.js';
import { BPF_F_MMAPABLE, BPF_F_RDONLY_PROG } from '../abi/map-types.js';
import { type Btf, type BtfExt, parseBtf, parseBtfExt } from '../btf/index.js';
import {
  type ElfFile,
  type ElfSection,
  type ElfSymbol,
  parseElf,
  SHF_EXECINSTR,
  SHN_LORESERVE,
  SHN_UNDEF,
  SHT_NOBITS,
  SHT_PROGBITS,
  STB_GLOBAL,
  STB_LOCAL,
  STB_WEAK,
  STT_FUNC,
  STT_SECTION,
} from '../elf/index.js';
import { readInsns } from '../isa/insn.js';
import { BPF_CALL_INSN, BPF_LD_IMM64 } from '../isa/opcodes.js';
import type {
  BpfExtern,
  BpfFunction,
  BpfObject,
  CodeRelocation,
  CodeSection,
  GlobalVariable,
  MapDefinition,
  MapOrigin,
} from './bpf-object.js';
import { MapDefinitionError, readBtfMapDefinitions } from './btf-map-definitions.js';
import { fixupDatasecs } from './datasec-fixup.js';
import { collectExterns, kconfigSize } from './externs.js';
import { ObjectError } from './object-error.js';

const TEXT = '.text';
const MAPS = '.maps';
const KCONFIG = '.kconfig';
const BPF_MAP_TYPE_ARRAY = 2;
const INSN_SIZE = 8;

/** Object name as libbpf derives it: base name, at most 15 characters, cut at the first '.'. */
export function objectNameFromPath(fileName: string): string {
  const base = fileName.slice(fileName.lastIndexOf('/') + 1).slice(0, BPF_OBJ_NAME_LEN - 1);
  const dot = base.indexOf('.');
  return dot < 0 ? base : base.slice(0, dot);
}

/** libbpf's internal_map_name: `<object prefix><section>`, sanitised to what the kernel accepts. */
export function internalMapName(objectName: string, sectionName: string): string {
  const suffixLength = Math.max(7, sectionName.length);
  const prefixLength =
    sectionName.indexOf('.', 1) >= 0 ? 0 : Math.min(BPF_OBJ_NAME_LEN - suffixLength - 1, objectName.length);
  const raw = (objectName.slice(0, Math.max(0, prefixLength)) + sectionName.slice(0, suffixLength)).slice(
    0,
    BPF_OBJ_NAME_LEN - 1,
  );
  return raw.replace(/[^A-Za-z0-9_.]/g, '_');
}

function isDataSection(name: string, prefix: string): boolean {
  return name === prefix || name.startsWith(`${prefix}.`);
}

function dataOrigin(section: ElfSection): MapOrigin | undefined {
  if (section.type === SHT_PROGBITS && section.size > 0 && (section.flags & SHF_EXECINSTR) === 0) {
    if (isDataSection(section.name, '.data')) return 'data';
    if (isDataSection(section.name, '.rodata')) return 'rodata';
  }
  if (section.type === SHT_NOBITS && section.name === '.bss' && section.size > 0) return 'bss';
  return undefined;
}

function isCodeSection(section: ElfSection): boolean {
  return section.type === SHT_PROGBITS && (section.flags & SHF_EXECINSTR) !== 0 && section.size > 0;
}

function readCString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end < 0 ? bytes : bytes.subarray(0, end));
}

function collectFunctions(elf: ElfFile, file: string): BpfFunction[] {
  const functions: BpfFunction[] = [];
  for (const symbol of elf.symbols) {
    if (symbol.type !== STT_FUNC || symbol.shndx === SHN_UNDEF || symbol.shndx >= SHN_LORESERVE) continue;
    const section = elf.sections[symbol.shndx];
    if (section === undefined || !isCodeSection(section)) continue;
    if (symbol.value % INSN_SIZE !== 0 || symbol.size % INSN_SIZE !== 0) {
      throw new ObjectError(
        file,
        `sec '${section.name}': program '${symbol.name}' is not aligned to instructions`,
        {
          section: section.name,
        },
      );
    }
    if (symbol.value + symbol.size > section.size) {
      throw new ObjectError(
        file,
        `sec '${section.name}': program at offset ${symbol.value} crosses section boundary`,
        { section: section.name, program: symbol.name },
      );
    }
    const global = symbol.bind !== STB_LOCAL;
    functions.push({
      name: symbol.name,
      section: section.name,
      sectionIndex: section.index,
      start: symbol.value / INSN_SIZE,
      count: symbol.size / INSN_SIZE,
      global,
      // libbpf: every function outside .text is a program; a static one there is refused by libbpf 1.1
      // ("program '%s' is static and not supported"); tsbpf keeps it as a subprogram of its section.
      isProgram: section.name !== TEXT && global,
    });
  }
  functions.sort((a, b) => a.sectionIndex - b.sectionIndex || a.start - b.start);
  return functions;
}

function symbolOffsetsInSection(elf: ElfFile, sectionIndex: number): Map<string, number> {
  const offsets = new Map<string, number>();
  for (const symbol of elf.symbols) {
    if (symbol.shndx === sectionIndex && symbol.name !== '' && symbol.type !== STT_SECTION) {
      offsets.set(symbol.name, symbol.value);
    }
  }
  return offsets;
}

function readMaps(
  elf: ElfFile,
  btf: Btf | undefined,
  file: string,
  objectName: string,
  externs: readonly BpfExtern[],
): MapDefinition[] {
  const maps: MapDefinition[] = [];
  const mapsSection = elf.sectionByName(MAPS);
  if (mapsSection !== undefined) {
    if (btf === undefined) {
      throw new ObjectError(file, `BTF is required, but is missing or corrupted.`, { section: MAPS });
    }
    const offsets = symbolOffsetsInSection(elf, mapsSection.index);
    let definitions: ReturnType<typeof readBtfMapDefinitions>;
    try {
      definitions = readBtfMapDefinitions(btf, MAPS, mapsSection.index, (name) => offsets.get(name));
    } catch (error) {
      if (error instanceof MapDefinitionError) {
        throw new ObjectError(file, error.message, { section: MAPS }, { cause: error });
      }
      throw error;
    }
    const slots = readInitialSlots(elf, mapsSection, definitions, file);
    for (const [i, { definition }] of definitions.entries()) {
      const initialSlots = slots.get(i);
      maps.push(initialSlots === undefined ? definition : { ...definition, initialSlots });
    }
  }
  for (const section of elf.sections) {
    const origin = dataOrigin(section);
    if (origin === undefined) continue;
    const value = origin === 'bss' ? new Uint8Array(section.size) : section.data.slice();
    const datasecId = btf?.findByName(section.name, 'datasec') ?? 0;
    const variables = btf === undefined ? [] : dataVariables(btf, section, datasecId);
    maps.push({
      name: internalMapName(objectName, section.name),
      origin,
      type: BPF_MAP_TYPE_ARRAY,
      keySize: 4,
      valueSize: section.size,
      maxEntries: 1,
      // libbpf: read-only global data is frozen and read-only for programs; every internal map is mmapable.
      flags: (origin === 'rodata' ? BPF_F_RDONLY_PROG : 0) | BPF_F_MMAPABLE,
      numaNode: 0,
      pinning: 0,
      mapExtra: 0n,
      section: section.name,
      sectionIndex: section.index,
      sectionOffset: 0,
      btfKeyTypeId: 0,
      btfValueTypeId: datasecId,
      initialValue: value,
      ...(variables.length === 0 ? {} : { variables }),
    });
  }
  const kconfigBytes = kconfigSize(externs);
  if (kconfigBytes > 0) {
    // libbpf's bpf_object__init_kconfig_map: one read-only array after the global data, filled at load.
    maps.push({
      name: internalMapName(objectName, KCONFIG),
      origin: 'kconfig',
      type: BPF_MAP_TYPE_ARRAY,
      keySize: 4,
      valueSize: kconfigBytes,
      maxEntries: 1,
      flags: BPF_F_RDONLY_PROG | BPF_F_MMAPABLE,
      numaNode: 0,
      pinning: 0,
      mapExtra: 0n,
      section: KCONFIG,
      sectionIndex: -1,
      sectionOffset: 0,
      btfKeyTypeId: 0,
      btfValueTypeId: btf?.findByName(KCONFIG, 'datasec') ?? 0,
      initialValue: new Uint8Array(kconfigBytes),
    });
  }
  return maps;
}

/**
 * The variables of a data section, at the offsets fixupDatasecs gave their DATASEC (libbpf's btf_fixup_datasec:
 * clang leaves them 0); variables outside the section are left out.
 */
function dataVariables(btf: Btf, section: ElfSection, datasecId: number): GlobalVariable[] {
  if (datasecId === 0) return [];
  const datasec = btf.typeById(datasecId);
  if (datasec.kind !== 'datasec') return [];
  const variables: GlobalVariable[] = [];
  for (const info of datasec.vars) {
    const variable = btf.types[info.type];
    if (variable?.kind !== 'var') continue;
    const offset = info.offset;
    let size: number;
    try {
      size = btf.resolveSize(variable.type);
    } catch {
      continue;
    }
    if (offset + size > section.size) continue;
    variables.push({ name: variable.name, offset, size, typeId: variable.type });
  }
  return variables;
}

/** `.rel.maps` fills `values` slots of prog_array and map-in-map definitions with programs or maps. */
function readInitialSlots(
  elf: ElfFile,
  mapsSection: ElfSection,
  definitions: ReturnType<typeof readBtfMapDefinitions>,
  file: string,
): Map<number, Map<number, string>> {
  const slotsByMap = new Map<number, Map<number, string>>();
  const relocationSection = elf.relocations.find((r) => r.target.index === mapsSection.index);
  if (relocationSection === undefined) return slotsByMap;
  for (const relocation of relocationSection.relocations) {
    const symbol = elf.symbols[relocation.symbol];
    const mapIndex = definitions.findIndex(
      ({ definition, valuesOffset }) =>
        valuesOffset !== undefined &&
        relocation.offset >= definition.sectionOffset + valuesOffset &&
        relocation.offset < definition.sectionOffset + valuesOffset + definition.maxEntries * 8,
    );
    const found = definitions[mapIndex];
    if (found === undefined || found.valuesOffset === undefined || symbol === undefined) {
      throw new ObjectError(
        file,
        `.maps relo #${relocationSection.relocations.indexOf(relocation)}: cannot find map def`,
        {
          section: MAPS,
        },
      );
    }
    const slot = (relocation.offset - found.definition.sectionOffset - found.valuesOffset) / 8;
    let slots = slotsByMap.get(mapIndex);
    if (slots === undefined) {
      slots = new Map();
      slotsByMap.set(mapIndex, slots);
    }
    slots.set(slot, symbol.name);
  }
  return slotsByMap;
}

function isExtern(symbol: ElfSymbol): boolean {
  return symbol.shndx === SHN_UNDEF && (symbol.bind === STB_GLOBAL || symbol.bind === STB_WEAK);
}

/** libbpf's bpf_program__record_reloc: what each relocation of an instruction means. */
function classifyRelocations(
  elf: ElfFile,
  section: ElfSection,
  insns: ReturnType<typeof readInsns>,
  functions: readonly BpfFunction[],
  maps: readonly MapDefinition[],
  file: string,
): CodeRelocation[] {
  const relocationSection = elf.relocations.find((r) => r.target.index === section.index);
  if (relocationSection === undefined) return [];
  const textIndex = elf.sectionByName(TEXT)?.index ?? 0;
  const inSection = functions.filter((f) => f.sectionIndex === section.index);
  const out: CodeRelocation[] = [];
  for (const [number, relocation] of relocationSection.relocations.entries()) {
    if (relocation.offset % INSN_SIZE !== 0 || relocation.offset >= section.size) {
      throw new ObjectError(
        file,
        `sec '${section.name}': relo #${number}: bad insn offset ${relocation.offset}`,
        {
          section: section.name,
        },
      );
    }
    const index = relocation.offset / INSN_SIZE;
    // libbpf skips relocations outside every function ("probably overridden weak function").
    if (!inSection.some((f) => index >= f.start && index < f.start + f.count)) continue;
    const symbol = elf.symbols[relocation.symbol];
    if (symbol === undefined) {
      throw new ObjectError(
        file,
        `sec '${section.name}': relo #${number}: bad symbol index ${relocation.symbol}`,
        {
          section: section.name,
          insn: index,
        },
      );
    }
    const insn = insns[index];
    const name = symbol.name !== '' ? symbol.name : (elf.sections[symbol.shndx]?.name ?? '');
    const base = {
      insn: index,
      symbol: name,
      symbolOffset: symbol.value,
      symbolSection: symbol.shndx,
      elfType: relocation.type,
    };
    const where = { section: section.name, insn: index };
    const isCall = insn.code === BPF_CALL_INSN;
    if (!isCall && insn.code !== BPF_LD_IMM64) {
      throw new ObjectError(
        file,
        `sec '${section.name}': invalid relo against '${name}' for insns[${index}].code 0x${insn.code.toString(16)}`,
        where,
      );
    }
    if (isExtern(symbol)) {
      out.push({ ...base, kind: 'extern' });
      continue;
    }
    if (isCall) {
      if (insn.src !== 1)
        throw new ObjectError(file, `sec '${section.name}': incorrect bpf_call opcode`, where);
      const targetSection = elf.sections[symbol.shndx];
      // libbpf: callees live in .text; tsbpf also accepts the caller's own section.
      const callable = symbol.shndx === textIndex || symbol.shndx === section.index;
      if (symbol.shndx === 0 || targetSection === undefined || !isCodeSection(targetSection) || !callable) {
        throw new ObjectError(
          file,
          `sec '${section.name}': bad call relo against '${name}' in section '${targetSection?.name ?? ''}'`,
          where,
        );
      }
      if (symbol.value % INSN_SIZE !== 0) {
        throw new ObjectError(
          file,
          `sec '${section.name}': bad call relo against '${name}' at offset ${symbol.value}`,
          where,
        );
      }
      out.push({ ...base, kind: 'call' });
      continue;
    }
    if (symbol.shndx === SHN_UNDEF || symbol.shndx >= SHN_LORESERVE) {
      throw new ObjectError(
        file,
        `sec '${section.name}': invalid relo against '${name}' in special section 0x${symbol.shndx.toString(16)}; forgot to initialize global var?..`,
        where,
      );
    }
    const symbolSection = elf.sections[symbol.shndx];
    const isFunctionSymbol =
      symbolSection !== undefined &&
      isCodeSection(symbolSection) &&
      ((symbol.bind === STB_GLOBAL && symbol.type === STT_FUNC) ||
        (symbol.bind === STB_LOCAL && symbol.type === STT_SECTION)) &&
      (symbol.shndx === textIndex || symbol.shndx === section.index);
    if (isFunctionSymbol) {
      if (symbol.value % INSN_SIZE !== 0 || insn.imm % INSN_SIZE !== 0) {
        throw new ObjectError(
          file,
          `sec '${section.name}': bad subprog addr relo against '${name}' at offset ${symbol.value}+${insn.imm}`,
          where,
        );
      }
      out.push({ ...base, kind: 'subprog_addr' });
      continue;
    }
    if (symbolSection?.name === MAPS) {
      const mapIndex = maps.findIndex(
        (m) => m.origin === 'btf' && m.sectionIndex === symbol.shndx && m.sectionOffset === symbol.value,
      );
      if (mapIndex < 0) {
        throw new ObjectError(
          file,
          `sec '${section.name}': map relo failed to find map for section '${MAPS}', off ${symbol.value}`,
          where,
        );
      }
      out.push({ ...base, kind: 'map', mapIndex });
      continue;
    }
    const mapIndex = maps.findIndex((m) => m.origin !== 'btf' && m.sectionIndex === symbol.shndx);
    if (mapIndex < 0) {
      throw new ObjectError(
        file,
        `sec '${section.name}': bad data relo against section '${symbolSection?.name ?? ''}'`,
        where,
      );
    }
    out.push({ ...base, kind: 'data', mapIndex });
  }
  return out.sort((a, b) => a.insn - b.insn);
}

/** Reads an object's bytes; throws ElfError, BtfError or ObjectError (each naming file, section, offset). */
export function openObject(bytes: Uint8Array, fileName = '<memory>'): BpfObject {
  const elf = parseElf(bytes, fileName);
  if (elf.sectionByName('maps') !== undefined) {
    throw new ObjectError(
      fileName,
      `legacy map definitions in 'maps' section are not supported by libbpf v1.0+`,
      {
        section: 'maps',
      },
    );
  }
  const btfSection = elf.sectionByName('.BTF');
  const btf =
    btfSection === undefined ? undefined : parseBtf(btfSection.data, { file: fileName, section: '.BTF' });
  if (btf !== undefined) fixupDatasecs(btf, elf);
  const btfExtSection = elf.sectionByName('.BTF.ext');
  const btfExt: BtfExt | undefined =
    btf === undefined || btfExtSection === undefined
      ? undefined
      : parseBtfExt(btfExtSection.data, btf, { file: fileName, section: '.BTF.ext' });
  const licenseSection = elf.sectionByName('license');
  const versionSection = elf.sectionByName('version');
  if (versionSection !== undefined && versionSection.size !== 4) {
    throw new ObjectError(fileName, `invalid kver section in ${fileName}`, { section: 'version' });
  }
  const name = objectNameFromPath(fileName);
  const functions = collectFunctions(elf, fileName);
  const externs = collectExterns(elf, btf, fileName);
  const maps = readMaps(elf, btf, fileName, name, externs);
  const codeSections: CodeSection[] = [];
  for (const section of elf.sections) {
    if (!isCodeSection(section)) continue;
    if (section.size % INSN_SIZE !== 0) {
      throw new ObjectError(
        fileName,
        `sec '${section.name}': corrupted program, size ${section.size} is not a multiple of 8`,
        {
          section: section.name,
        },
      );
    }
    const insns = readInsns(section.data);
    codeSections.push({
      name: section.name,
      index: section.index,
      insns,
      relocations: classifyRelocations(elf, section, insns, functions, maps, fileName),
    });
  }
  return {
    fileName,
    name,
    license: licenseSection === undefined ? '' : readCString(licenseSection.data),
    kernelVersion:
      versionSection === undefined
        ? 0
        : new DataView(versionSection.data.buffer, versionSection.data.byteOffset, 4).getUint32(0, true),
    ...(btf === undefined ? {} : { btf }),
    ...(btfExt === undefined ? {} : { btfExt }),
    codeSections,
    functions,
    maps,
    externs,
  };
}
