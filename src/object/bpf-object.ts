// The BPF object model: what an opened `.o` holds once ELF, BTF, programs, maps and relocations are understood.

import type { Btf, BtfExt } from '../btf/index.js';
import type { Insn } from '../isa/insn.js';

/** A function symbol (STT_FUNC) in an executable section: an entry program or a subprogram. */
export interface BpfFunction {
  readonly name: string;
  readonly section: string;
  readonly sectionIndex: number;
  /** First instruction slot within the section. */
  readonly start: number;
  /** Number of instruction slots (st_size / 8). */
  readonly count: number;
  /** Global (or weak) binding; static functions are local. */
  readonly global: boolean;
  /**
   * An entry point the user can load: every function outside `.text` (libbpf's rule). tsbpf also lets a
   * static function in a program section be a subprogram of that section, which libbpf 1.1 refuses.
   */
  readonly isProgram: boolean;
}

/** What a relocation of an instruction means to the loader (libbpf's reloc_desc types). */
export type CodeRelocationKind =
  /** `call` of a subprogram: R_BPF_64_32 against a function or its section symbol. */
  | 'call'
  /** LD_IMM64 of a function's address (callbacks of bpf_loop, for_each_map_elem...). */
  | 'subprog_addr'
  /** LD_IMM64 of a map defined in `.maps`. */
  | 'map'
  /** LD_IMM64 of an address in global data (`.data`, `.rodata*`, `.bss`). */
  | 'data'
  /** A symbol defined in no section of this object (extern variable or kfunc). */
  | 'extern';

export interface CodeRelocation {
  readonly kind: CodeRelocationKind;
  /** Instruction slot within the section. */
  readonly insn: number;
  readonly symbol: string;
  /** The relocation's symbol value (byte offset in its section), libbpf's sym_off. */
  readonly symbolOffset: number;
  /** Section index the symbol is defined in (0 for externs). */
  readonly symbolSection: number;
  /** For 'map' and 'data': index into `BpfObject.maps`. */
  readonly mapIndex?: number;
  /** ELF relocation type, e.g. R_BPF_64_64. */
  readonly elfType: number;
}

/** An executable section with its instructions and classified relocations. */
export interface CodeSection {
  readonly name: string;
  readonly index: number;
  readonly insns: readonly Insn[];
  /** Sorted by instruction index. */
  readonly relocations: readonly CodeRelocation[];
}

/** Where a map comes from, as libbpf's libbpf_map_type. */
export type MapOrigin = 'btf' | 'data' | 'rodata' | 'bss' | 'kconfig';

export interface MapDefinition {
  /** The name libbpf gives the map (BTF variable name, or e.g. `prog.rodata` for global data). */
  readonly name: string;
  readonly origin: MapOrigin;
  /** Kernel map type id (enum bpf_map_type). */
  readonly type: number;
  readonly keySize: number;
  readonly valueSize: number;
  readonly maxEntries: number;
  readonly flags: number;
  readonly numaNode: number;
  readonly pinning: number;
  readonly mapExtra: bigint;
  /** Section the definition or data lives in, and the offset of the definition within it. */
  readonly section: string;
  readonly sectionIndex: number;
  readonly sectionOffset: number;
  /** BTF ids of key and value when the definition gives them (0 otherwise). */
  readonly btfKeyTypeId: number;
  readonly btfValueTypeId: number;
  /** Initial contents of a global data map (zeros for `.bss`). */
  readonly initialValue?: Uint8Array;
  /** The variables of a global data map, from its BTF DATASEC with offsets fixed up from the symbol table. */
  readonly variables?: readonly GlobalVariable[];
  /** The inner map definition of array_of_maps / hash_of_maps (`__array(values, struct {...})`). */
  readonly inner?: MapDefinition;
  /** Initial slots of prog_array / map-in-map given with `.values = { [i] = &x }`: index → program or map name. */
  readonly initialSlots?: ReadonlyMap<number, string>;
}

/** A variable of `.data`, `.rodata` or `.bss`: where it lives in its map's value and its BTF type. */
export interface GlobalVariable {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  /** The variable's type (what the BTF VAR points at). */
  readonly typeId: number;
}

/** libbpf's kcfg_type: the values a `.kconfig` extern of that BTF type can take. */
export type KconfigType = 'bool' | 'tristate' | 'char' | 'int' | 'char_array' | 'unknown';

/** Where a `.kconfig` extern lives in the `.kconfig` map and what it holds. */
export interface KconfigSlot {
  readonly type: KconfigType;
  readonly size: number;
  readonly align: number;
  readonly signed: boolean;
  /** Byte offset in the `.kconfig` map's value (libbpf's data_off). */
  readonly offset: number;
}

/** An undefined symbol libbpf resolves at load: a `__kconfig` value, a `__ksym` variable or a kfunc. */
export interface BpfExtern {
  readonly name: string;
  readonly kind: 'kconfig' | 'ksym' | 'kfunc';
  /** The BTF VAR (kconfig, ksym) or FUNC (kfunc) declaring it. */
  readonly btfId: number;
  /** `__weak`: unresolved, it reads as zero (a kfunc call becomes `call 0`) instead of failing the load. */
  readonly weak: boolean;
  readonly kconfig?: KconfigSlot;
}

export interface BpfObject {
  readonly fileName: string;
  /** Object name as libbpf derives it: the file's base name without `.o`. */
  readonly name: string;
  /** The `license` section's string ('' when absent). */
  readonly license: string;
  /** The `version` section's value (0 when absent). */
  readonly kernelVersion: number;
  readonly btf?: Btf;
  readonly btfExt?: BtfExt;
  readonly codeSections: readonly CodeSection[];
  /** All functions, ordered by section index, then start (libbpf's program order). */
  readonly functions: readonly BpfFunction[];
  /** Maps in libbpf's order: BTF-defined maps, then global data maps in section order. */
  readonly maps: readonly MapDefinition[];
  /** Externs in libbpf's order: `.kconfig` ones as laid out, then `.ksyms` ones. */
  readonly externs: readonly BpfExtern[];
}
