import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KERNEL_STRUCT_TABLE } from '../abi/kernel-structs.js';
import { Bpf } from '../api/bpf.js';
import { fieldValue } from './core-relocations.js';
import { ObjectError } from './object-error.js';

// test/progs/net/kstruct_core.c: local views of sk_buff and net_device relocated to the reference kernel's layout
// (kstructs-kernel.test.ts compares the same runs with the kernel's).
const CORE = 'test/progs/net/kstruct_core.o';

describe('CO-RE relocations against the kernel struct table', () => {
  it('give the offsets, sizes, existence and type ids of the reference kernel', () => {
    const bpf = new Bpf();
    const object = bpf.openObject(readFileSync(CORE), 'kstruct_core.o').load({ programs: ['tc_core_skb'] });
    const frame = new Uint8Array(200);
    frame.set([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00, 0x45]);
    const run = bpf.testRun(object.program('tc_core_skb').handle.fd, { data: frame });
    expect(run.error).toBeUndefined();
    const view = bpf.mapLookup(object.mapFd('core_view'), new Uint8Array(4))!;
    const u32 = (index: number) => new DataView(view.buffer, view.byteOffset).getUint32(index * 4, true);
    const fields = [
      'len',
      'protocol',
      'mark',
      'ifindex',
      'mtu',
      'rd_len',
      'rd_ifindex',
      'first_byte',
      'has_no_such_member',
      'has_mark',
      'mark_size',
      'name_size',
      'skb_size',
      'has_unknown_type',
      'skb_id_nonzero',
    ];
    expect(Object.fromEntries(fields.map((name, i) => [name, u32(i)]))).toEqual({
      len: 200,
      protocol: 0x0008,
      mark: 0x5eed,
      ifindex: 1,
      mtu: 65536,
      rd_len: 200,
      rd_ifindex: 1,
      first_byte: 2,
      has_no_such_member: 0,
      has_mark: 1,
      mark_size: 4,
      name_size: 16,
      skb_size: 224,
      has_unknown_type: 0,
      skb_id_nonzero: 1,
    });
    expect(new TextDecoder().decode(view.subarray(60, 62))).toBe('lo');
  });

  it('refuse a relocation of a member the table does not list, naming it', () => {
    let refusal: unknown;
    try {
      new Bpf().openObject(readFileSync(CORE), 'kstruct_core.o').load({ programs: ['tc_core_unmodelled'] });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ObjectError);
    expect((refusal as ObjectError).reason).toMatch(
      /^prog 'tc_core_unmodelled': relo #\d+: CO-RE byte_off of \[\d+\] sock access 0:1: tsbpf does not model member 'sk_rcvbuf' of struct sock/,
    );
  });
});

describe("bitfield relocations (libbpf's bpf_core_calc_field_relo)", () => {
  const [BYTE_OFFSET, BYTE_SIZE, LSHIFT, RSHIFT] = [0, 1, 4, 5];
  it('load BYTE_SIZE bytes at BYTE_OFFSET, shift left by LSHIFT and right by RSHIFT: the bitfield', () => {
    let extracted = 0;
    let tooWide = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 4, 8),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 64 }),
        fc.uint8Array({ minLength: 64, maxLength: 64, size: 'max' }),
        (size, bitOffset, bits, memory) => {
          const bitfieldSize = Math.min(bits, size * 8);
          const field = { bitOffset, bitfieldSize, type: { kind: 'scalar', size } as const };
          let values: bigint[];
          try {
            const fail = (why: string): never => {
              throw new RangeError(why);
            };
            values = [BYTE_OFFSET, BYTE_SIZE, LSHIFT, RSHIFT].map((kind) =>
              fieldValue(KERNEL_STRUCT_TABLE, kind, field, fail),
            );
          } catch (error) {
            // libbpf's -E2BIG: no naturally aligned load of at most 8 bytes holds the bitfield.
            expect(String(error)).toMatch(/spans more than 8 bytes/);
            tooWide++;
            return;
          }
          const [offset, width, left, right] = values.map(Number);
          expect([1, 2, 4, 8]).toContain(width);
          expect(offset % width).toBe(0);
          let loaded = 0n;
          for (let i = width - 1; i >= 0; i--) loaded = (loaded << 8n) | BigInt(memory[offset + i]);
          const got = BigInt.asUintN(64, BigInt.asUintN(64, loaded << BigInt(left)) >> BigInt(right));
          let want = 0n;
          for (let bit = bitfieldSize - 1; bit >= 0; bit--) {
            const at = bitOffset + bit;
            want = (want << 1n) | BigInt((memory[at >> 3] >> (at & 7)) & 1);
          }
          expect(got).toBe(want);
          extracted++;
        },
      ),
      { numRuns: 400, seed: 13 },
    );
    // Most layouts fit an aligned load; the ones that do not are refused, as libbpf refuses them.
    expect(extracted).toBeGreaterThan(250);
    expect(tooWide).toBeGreaterThan(0);
  });
});
