// Public surface of the instruction layer (`tsbpf/isa`): records, decoding, validation, assembly, disassembly.

export { AsmError, type SourcePos } from './asm-error.js';
export {
  type AsmRelocation,
  type AsmSymbol,
  type AssembledObject,
  type AssembledSection,
  type AssembleOptions,
  assemble,
  assembleInsns,
} from './assembler.js';
export {
  type AluInsn,
  type AtomicInsn,
  type CallInsn,
  type CondJumpInsn,
  type DecodedInsn,
  type DecodedProgram,
  decodeInsn,
  decodeProgram,
  type EndianInsn,
  encodeInsn,
  type ExitInsn,
  type JumpAlwaysInsn,
  type LdImm64Insn,
  type LdLegacyInsn,
  type LoadAcquireInsn,
  type LoadInsn,
  type MayGotoInsn,
  type MovsxInsn,
  type NegInsn,
  type StoreInsn,
  type StoreReleaseInsn,
} from './decoded.js';
export { type DisassemblerOptions, formatInsn } from './disassembler.js';
export { INSN_SIZE, type Insn, insn, readInsns, writeInsns } from './insn.js';
export { InsnError } from './insn-error.js';
export {
  formatObjdump,
  type ObjdumpInput,
  type ObjdumpOptions,
  type ObjdumpRelocation,
  type ObjdumpSection,
  type ObjdumpSymbol,
} from './objdump.js';
export {
  aluOp,
  className,
  isConditionalJump,
  isJump,
  jumpOp,
  memMode,
  memSize,
  OPCODE_TABLE,
  type OpcodeEntry,
  opcodeEntry,
} from './opcode-table.js';
export * from './opcodes.js';
export { subprogramStarts, type ValidateOptions, validateInsns } from './validate.js';
