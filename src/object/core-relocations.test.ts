import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Bpf } from '../api/bpf.js';
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
