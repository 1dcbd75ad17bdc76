// Public surface of the object layer (`tsbpf/object`): libbpf-style open, relocation and description of `.o` files.

export { assembledObjectToElf } from './assembled-to-elf.js';
export type {
  BpfFunction,
  BpfObject,
  CodeRelocation,
  CodeRelocationKind,
  CodeSection,
  MapDefinition,
  MapOrigin,
} from './bpf-object.js';
export {
  describeObject,
  type FunctionDescription,
  type MapDescription,
  type ObjectDescription,
  type ProgramDescription,
  type RelocationDescription,
} from './describe-object.js';
export {
  checkFixture,
  type Fixture,
  type FixtureEntry,
  FixtureError,
  type FixtureMap,
  parseFixture,
  type ResolvedEntry,
  type ResolvedFixture,
  type ResolvedGlobal,
  resolveFixture,
} from './fixture.js';
export { objdumpInputFromElf } from './elf-objdump-input.js';
export { ObjectError, type ObjectErrorLocation } from './object-error.js';
export { openObject } from './open-object.js';
export {
  type CallEdge,
  type PlacedFunction,
  type ProgramFuncInfo,
  type ProgramLineInfo,
  type RelocatedProgram,
  type RelocateOptions,
  relocateProgram,
} from './relocate-program.js';
