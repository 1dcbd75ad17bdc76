// tsbpf's public API: the bpf()-style facade and the layers beneath it, all browser-safe.

export { Bpf, type MapCreateOptions, type ProgLoadOptions, type ProgramHandle } from './api/bpf.js';
export { BpfError, ProgLoadError } from './api/bpf-error.js';
export {
  ObjectHandle,
  type LoadedObjectProgram,
  type ObjectLoadOptions,
  type ObjectOpenOptions,
  type ObjectWarning,
  type ProgramTypeOverride,
  type ResolvedProgramType,
} from './api/object-handle.js';
export * from './btf/index.js';
export * from './elf/index.js';
export { assemble, assembleInsns, AsmError, type AssembledObject } from './isa/assembler.js';
export { decodeInsn, decodeProgram, encodeInsn } from './isa/decoded.js';
export { formatInsn } from './isa/disassembler.js';
export { type Insn, insn, readInsns, writeInsns } from './isa/insn.js';
export { InsnError } from './isa/insn-error.js';
export { formatObjdump } from './isa/objdump.js';
export { LinkError, type LinkInput, linkObjects } from './linker/index.js';
export * from './isa/opcodes.js';
export { validateInsns } from './isa/validate.js';
export { assembledObjectToElf } from './object/assembled-to-elf.js';
export type * from './object/bpf-object.js';
export { describeObject, type ObjectDescription } from './object/describe-object.js';
export { objdumpInputFromElf } from './object/elf-objdump-input.js';
export {
  checkFixture,
  type Fixture,
  type FixtureEntry,
  FixtureError,
  type FixtureMap,
  parseFixture,
  resolveFixture,
  type ResolvedFixture,
} from './object/fixture.js';
export { ObjectError } from './object/object-error.js';
export { openObject } from './object/open-object.js';
export { relocateProgram, type RelocatedProgram } from './object/relocate-program.js';
