// Helpers' fast forms (number arguments, no BigInt) against their general form, in the interpreter and the JIT,
// checked and fast mode: the same r0 and faults whether a call takes the fast path or, with an address argument
// wider than 32 bits, falls back to the general one.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../src/abi/errno.js';
import { helperByName } from '../../src/abi/helpers.js';
import { assembleInsns } from '../../src/isa/assembler.js';
import type { Insn } from '../../src/isa/insn.js';
import { compileModule } from '../../src/jit/compile.js';
import { jitEngine } from '../../src/jit/index.js';
import { buildExecutable } from '../../src/vm/executable.js';
import { withFastForm } from '../../src/vm/helpers/fast-helper.js';
import { mapAt, pointerAt } from '../../src/vm/helpers/helper-call.js';
import { KERNEL_HELPERS } from '../../src/vm/helpers/index.js';
import { interpreter } from '../../src/vm/interpreter.js';
import { u32Bytes } from '../../src/vm/maps/bpf-map.js';
import type { BpfMap } from '../../src/vm/maps/index.js';
import {
  type Engine,
  type ExecutionMode,
  type HelperImplementation,
  type HelperSite,
  type HelperTable,
  RuntimeFault,
} from '../../src/vm/runtime.js';
import { Vm } from '../../src/vm/vm.js';

const ENGINES: readonly Engine[] = [interpreter, jitEngine];
const MODES: readonly ExecutionMode[] = ['checked', 'fast'];
const MAP_FD = 7;

const id = (name: string): number => {
  const helper = helperByName(name);
  if (helper === undefined) throw new Error(`no helper ${name}`);
  return helper.id;
};

/** r`dst` = the map of MAP_FD (LD_IMM64 src 1). */
const loadMap = (dst: number): Insn[] => [
  { code: 0x18, dst, src: 1, off: 0, imm: MAP_FD },
  { code: 0, dst: 0, src: 0, off: 0, imm: 0 },
];

type Outcome = { r0: bigint } | { fault: string; insn: number };

/** One run of `insns` on a fresh Vm holding `makeMap`'s map (as MAP_FD), r1 = 0. */
function runOnce(
  engine: Engine,
  mode: ExecutionMode,
  insns: readonly Insn[],
  helpers: HelperTable = KERNEL_HELPERS,
  makeMap: (vm: Vm) => BpfMap = (vm) =>
    vm.maps.create({ type: 'hash', keySize: 4, valueSize: 8, maxEntries: 8, name: 'h' }),
): Outcome {
  const vm = new Vm();
  const map = makeMap(vm);
  const program = buildExecutable(insns, {
    type: 'xdp',
    name: 'fast',
    stackDepths: [64],
    mapByFd: (fd) => (fd === MAP_FD ? map : undefined),
  });
  const prepared = engine.prepare(program, vm, helpers, { mode });
  try {
    return { r0: prepared.run({ ctx: 0, cpu: 0 }) };
  } catch (error) {
    if (!(error instanceof RuntimeFault)) throw error;
    return { fault: error.reason, insn: error.insn };
  } finally {
    prepared.release();
  }
}

/** The outcome, the same in both engines and both modes. */
function outcomeEverywhere(
  insns: readonly Insn[],
  helpers?: HelperTable,
  makeMap?: (vm: Vm) => BpfMap,
): Outcome {
  const outcomes = ENGINES.flatMap((engine) =>
    MODES.map((mode) => runOnce(engine, mode, insns, helpers, makeMap)),
  );
  for (const outcome of outcomes.slice(1)) expect(outcome).toEqual(outcomes[0]);
  return outcomes[0];
}

const u64 = (value: number): bigint => BigInt.asUintN(64, BigInt(value));

describe('map helpers: fast path and fallback agree in both engines', () => {
  it('looks up, inserts, refuses NOEXIST twice and deletes (fast path)', () => {
    const program = [
      ...assembleInsns('r1 = 5\n*(u32 *)(r10 - 4) = r1\nr1 = 42\n*(u64 *)(r10 - 16) = r1'),
      ...loadMap(1),
      ...assembleInsns('r2 = r10\nr2 += -4\nr3 = r10\nr3 += -16\nr4 = 1\ncall 2\nr6 = r0'),
      ...loadMap(1),
      ...assembleInsns('r2 = r10\nr2 += -4\nr3 = r10\nr3 += -16\nr4 = 1\ncall 2\nr7 = r0'),
      ...loadMap(1),
      ...assembleInsns('r2 = r10\nr2 += -4\ncall 1\nif r0 == 0 goto +2\nr8 = *(u64 *)(r0 + 0)\ngoto +1'),
      ...assembleInsns('r8 = 99'),
      ...loadMap(1),
      ...assembleInsns(
        'r2 = r10\nr2 += -4\ncall 3\nr0 <<= 32\nr0 |= r8\nr7 <<= 16\nr0 ^= r7\nr0 ^= r6\nexit',
      ),
    ];
    const outcome = outcomeEverywhere(program);
    const eexist = u64(-ERRNO.EEXIST);
    expect(outcome).toEqual({ r0: (0n << 32n) | (42n ^ BigInt.asUintN(64, eexist << 16n)) });
  });

  it('answers flags above 32 bits (even above 2^53) with EINVAL', () => {
    for (const flags of ['0x100000000', '0x20000000000001', '0xffffffffffffffff']) {
      const program = [
        ...assembleInsns('r1 = 5\n*(u32 *)(r10 - 4) = r1\n*(u64 *)(r10 - 16) = r1'),
        ...loadMap(1),
        ...assembleInsns(`r2 = r10\nr2 += -4\nr3 = r10\nr3 += -16\nr4 = ${flags} ll\ncall 2\nexit`),
      ];
      expect(outcomeEverywhere(program)).toEqual({ r0: u64(-ERRNO.EINVAL) });
    }
  });

  it('faults on a map pointer with upper bits (general form) as on one that is no map (fast form)', () => {
    const wide = [
      ...loadMap(1),
      ...assembleInsns('r3 = 1\nr3 <<= 32\nr1 += r3\nr2 = r10\nr2 += -4\ncall 1\nexit'),
    ];
    expect(outcomeEverywhere(wide)).toEqual({
      fault: 'bpf_map_lookup_elem: R1 is not a map pointer',
      insn: 7,
    });
    const notMap = assembleInsns('r1 = r10\nr2 = r10\nr2 += -4\ncall 1\nexit');
    expect(outcomeEverywhere(notMap)).toEqual({
      fault: 'bpf_map_lookup_elem: R1 is not a map pointer',
      insn: 3,
    });
  });

  it('names the whole key register when it is not readable: wide, above 2^31, or 0', () => {
    const key = (setup: string) => [...loadMap(1), ...assembleInsns(`${setup}\ncall 1\nexit`)];
    const wide = outcomeEverywhere(key('r2 = r10\nr2 += -4\nr3 = 1\nr3 <<= 32\nr2 += r3'));
    expect(wide).toMatchObject({ insn: 7 });
    expect((wide as { fault: string }).fault).toMatch(
      /^bpf_map_lookup_elem: R2 is not a pointer to 4 readable bytes \(0x1[0-9a-f]{8}\)$/,
    );
    expect(outcomeEverywhere(key('r2 = 0x80000000 ll'))).toEqual({
      fault: 'bpf_map_lookup_elem: R2 is not a pointer to 4 readable bytes (0x80000000)',
      insn: 4,
    });
    expect(outcomeEverywhere(key('r2 = 0'))).toEqual({
      fault: 'bpf_map_lookup_elem: R2 is not a pointer to 4 readable bytes (0x0)',
      insn: 3,
    });
  });

  it('looks up arrays and 16-byte LRU keys in place', () => {
    const array = (vm: Vm) =>
      vm.maps.create({ type: 'array', keySize: 4, valueSize: 8, maxEntries: 4, name: 'a' });
    const lookupAt = (index: number) => [
      ...assembleInsns(`r1 = ${index}\n*(u32 *)(r10 - 4) = r1`),
      ...loadMap(1),
      ...assembleInsns('r2 = r10\nr2 += -4\ncall 1\nif r0 == 0 goto +1\nr0 = 1\nexit'),
    ];
    expect(outcomeEverywhere(lookupAt(3), undefined, array)).toEqual({ r0: 1n });
    expect(outcomeEverywhere(lookupAt(4), undefined, array)).toEqual({ r0: 0n });
    const lru = (vm: Vm) =>
      vm.maps.create({ type: 'lru_hash', keySize: 16, valueSize: 8, maxEntries: 4, name: 'l' });
    const program = [
      ...assembleInsns(
        'r1 = 0x0102030405060708 ll\n*(u64 *)(r10 - 16) = r1\n*(u64 *)(r10 - 8) = r1\n*(u64 *)(r10 - 24) = r1',
      ),
      ...loadMap(1),
      ...assembleInsns('r2 = r10\nr2 += -16\nr3 = r10\nr3 += -24\nr4 = 0\ncall 2'),
      ...loadMap(1),
      ...assembleInsns('r2 = r10\nr2 += -16\ncall 1\nif r0 == 0 goto +1\nr0 = *(u64 *)(r0 + 0)\nexit'),
    ];
    expect(outcomeEverywhere(program, undefined, lru)).toEqual({ r0: 0x0102030405060708n });
  });

  it('inlines array lookups in fast mode only where r1 is surely the array, with the helper’s faults', () => {
    const array = (vm: Vm) =>
      vm.maps.create({ type: 'array', keySize: 4, valueSize: 8, maxEntries: 4, name: 'a' });
    // array[2] = 0x55, then a lookup of key 2 with r1 loaded in the call's block, or before a jump into it.
    const store = [
      ...assembleInsns('r1 = 2\n*(u32 *)(r10 - 4) = r1\nr1 = 0x55\n*(u64 *)(r10 - 16) = r1'),
      ...loadMap(1),
      ...assembleInsns('r2 = r10\nr2 += -4\nr3 = r10\nr3 += -16\nr4 = 0\ncall 2'),
    ];
    const readBack = assembleInsns('if r0 == 0 goto +1\nr0 = *(u64 *)(r0 + 0)\nexit');
    const inBlock = [...store, ...loadMap(1), ...assembleInsns('r2 = r10\nr2 += -4\ncall 1'), ...readBack];
    const acrossBlocks = [
      ...store,
      ...loadMap(1),
      ...assembleInsns('r2 = r10\nr2 += -4\nif r2 == 0 goto +0\ncall 1'),
      ...readBack,
    ];
    expect(outcomeEverywhere(inBlock, undefined, array)).toEqual({ r0: 0x55n });
    expect(outcomeEverywhere(acrossBlocks, undefined, array)).toEqual({ r0: 0x55n });
    const compiled = (program: Insn[], map: BpfMap) => {
      const executable = buildExecutable(program, {
        type: 'xdp',
        name: 'a',
        stackDepths: [64],
        mapByFd: () => map,
      });
      const inlineArrays = new Map([[map.address, { base: 4096, maxEntries: 4, elementSize: 8 }]]);
      return [
        compileModule(executable, { mode: 'fast', budgeted: false }).bytes,
        compileModule(executable, { mode: 'fast', budgeted: false, inlineArrays }).bytes,
      ];
    };
    const vm = new Vm();
    const map = array(vm);
    const [plain, inlined] = compiled(inBlock, map);
    expect(inlined).not.toEqual(plain);
    const [plainAcross, inlinedAcross] = compiled(acrossBlocks, map);
    expect(inlinedAcross).toEqual(plainAcross);
    // Out of range, and key pointers the helper refuses.
    const keyAt = (setup: string) => [...loadMap(1), ...assembleInsns(`${setup}\ncall 1\nexit`)];
    expect(
      outcomeEverywhere(keyAt('r2 = 7\n*(u32 *)(r10 - 4) = r2\nr2 = r10\nr2 += -4'), undefined, array),
    ).toEqual({
      r0: 0n,
    });
    expect(outcomeEverywhere(keyAt('r2 = 0'), undefined, array)).toEqual({
      fault: 'bpf_map_lookup_elem: R2 is not a pointer to 4 readable bytes (0x0)',
      insn: 3,
    });
    const wide = outcomeEverywhere(
      keyAt('r2 = r10\nr2 += -4\nr3 = 1\nr3 <<= 32\nr2 += r3'),
      undefined,
      array,
    );
    expect((wide as { fault: string }).fault).toMatch(
      /R2 is not a pointer to 4 readable bytes \(0x1[0-9a-f]{8}\)$/,
    );
  });

  it('looks up a hash of maps to its inner map, then the inner map', () => {
    const outerAndInner = (vm: Vm) => {
      const inner = vm.maps.create({ type: 'array', keySize: 4, valueSize: 8, maxEntries: 2, name: 'in' });
      inner.update(u32Bytes(1), Uint8Array.of(0x2a, 0, 0, 0, 0, 0, 0, 0x11));
      const outer = vm.maps.create({
        type: 'hash_of_maps',
        keySize: 4,
        valueSize: 4,
        maxEntries: 2,
        name: 'out',
        innerMap: inner,
      });
      outer.update(u32Bytes(9), u32Bytes(inner.id));
      return outer;
    };
    const program = [
      ...assembleInsns('r1 = 9\n*(u32 *)(r10 - 4) = r1\nr1 = 1\n*(u32 *)(r10 - 8) = r1'),
      ...loadMap(1),
      ...assembleInsns('r2 = r10\nr2 += -4\ncall 1\nif r0 == 0 goto +6\nr1 = r0\nr2 = r10\nr2 += -8'),
      ...assembleInsns('call 1\nif r0 == 0 goto +2\nr0 = *(u64 *)(r0 + 0)\nexit\nr0 = 7\nexit'),
    ];
    expect(outcomeEverywhere(program, undefined, outerAndInner)).toEqual({ r0: 0x110000000000002an });
  });

  it('runs a helper table without fast forms through the general import', () => {
    const lookup = KERNEL_HELPERS.get(id('map_lookup_elem'))!;
    const plain: HelperImplementation = (call) => lookup(call) + 1n;
    const helpers = new Map(KERNEL_HELPERS).set(id('map_lookup_elem'), plain);
    const program = [...loadMap(1), ...assembleInsns('r2 = r10\nr2 += -4\ncall 1\nexit')];
    expect(outcomeEverywhere(program, helpers)).toEqual({ r0: 1n });
  });
});

describe('a fast form of every argument and result kind', () => {
  /** What the test helper saw: its numbers and whether the general form ran. */
  const seen: { general: boolean; numbers: number[] }[] = [];
  /** map, ptr, u32, u64 → s64: checks the map and the pointer (size from the u32), answers from the numbers. */
  const probe = withFastForm({
    args: ['map', 'ptr', 'u32', 'u64'],
    result: 's64',
    run(site: HelperSite, map: number, pointer: number, size: number, wide: number): number {
      seen.push({ general: site.args !== undefined, numbers: [map >>> 0, pointer >>> 0, size >>> 0, wide] });
      if (size & 1) mapAt(site, 'probe', 0, map);
      pointerAt(site, 'probe', 1, pointer, size & 6);
      // An integer below 2^53 in magnitude, negative when the u32's sign bit is set.
      return ((size | 0) % 1000) * 2 ** 40 + (Math.floor(wide / 2 ** 12) % 2 ** 30);
    },
  });
  const probeId = id('get_numa_node_id');
  const helpers = new Map(KERNEL_HELPERS).set(probeId, probe);

  /** r1 = the map plus `mapHigh` << 32, r2 = r10 - 8 + `pointerHigh` << 32 (or `pointer`), r3, r4. */
  const probeProgram = (mapHigh: number, pointer: bigint | undefined, size: bigint, wide: bigint) => [
    ...assembleInsns(`r6 = ${mapHigh}\nr6 <<= 32`),
    ...loadMap(1),
    ...assembleInsns(
      `r1 += r6\n${pointer === undefined ? 'r2 = r10\nr2 += -8' : `r2 = ${pointer} ll`}\nr3 = ${size} ll`,
    ),
    ...assembleInsns(`r4 = ${wide} ll\ncall ${probeId}\nexit`),
  ];

  const register = fc.oneof(
    fc.bigInt({ min: 0n, max: 0xffff_ffffn }),
    fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    fc.constantFrom(0n, 0x8000_0000n, 0xffff_ffffn, 1n << 32n, (1n << 53n) + 1n, (1n << 64n) - 1n),
  );

  it('gives the general form’s numbers, r0 and faults on both paths', () => {
    let fastCalls = 0;
    let generalCalls = 0;
    let faults = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(0, 0, 0, 1, 3),
        fc.option(register, { freq: 3 }),
        register,
        register,
        (mapHigh, pointer, size, wide) => {
          const insns = probeProgram(mapHigh, pointer ?? undefined, size, wide);
          const outcomes = ENGINES.flatMap((engine) =>
            MODES.map((mode) => {
              seen.length = 0;
              const outcome = runOnce(engine, mode, insns, helpers);
              return { outcome, seen: [...seen] };
            }),
          );
          for (const other of outcomes.slice(1)) expect(other).toEqual(outcomes[0]);
          const [{ outcome, seen: calls }] = outcomes;
          expect(calls).toHaveLength(1);
          // The fast path exactly when the map and pointer registers fit in 32 bits.
          const fits = mapHigh === 0 && (pointer ?? 0n) <= 0xffff_ffffn;
          expect(calls[0].general).toBe(!fits);
          expect(calls[0].numbers[2]).toBe(Number(size & 0xffff_ffffn));
          expect(calls[0].numbers[3]).toBe(Number(wide));
          if ('fault' in outcome) faults++;
          else {
            const expected =
              (Number(BigInt.asIntN(32, size)) % 1000) * 2 ** 40 +
              (Math.floor(Number(wide) / 2 ** 12) % 2 ** 30);
            expect(outcome.r0).toBe(BigInt.asUintN(64, BigInt(expected)));
          }
          if (fits) fastCalls++;
          else generalCalls++;
        },
      ),
      { numRuns: 150 },
    );
    expect(fastCalls).toBeGreaterThan(30);
    expect(generalCalls).toBeGreaterThan(30);
    expect(faults).toBeGreaterThan(10);
    expect(150 - faults).toBeGreaterThan(10);
  });
});
