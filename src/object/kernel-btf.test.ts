// The kernel BTF as KernelTypes: on this machine's vmlinux (the reference kernel) every struct tsbpf's table lays
// out comes out member for member as the table has it, and what the table lacks is there.

import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  KERNEL_STRUCTS,
  KERNEL_STRUCT_TABLE,
  kernelTypeSize,
  layoutDifference,
} from '../abi/kernel-structs.js';
import { kfuncByName } from '../abi/kfuncs.js';
import { BtfBuilder } from '../btf/btf-builder.js';
import { verifyProgram } from '../verifier/index.js';
import { kernelTypesFromBtf } from './kernel-btf.js';
import { ObjectError } from './object-error.js';

const vmlinux = '/sys/kernel/btf/vmlinux';
const present = existsSync(vmlinux);
if (!present) console.warn(`SKIP kernel-btf: ${vmlinux} is missing`);

describe('kernel BTF as the kernel types', () => {
  it.skipIf(!present)("gives the table's structs member for member, by id and by name", () => {
    const types = kernelTypesFromBtf(new Uint8Array(readFileSync(vmlinux)), vmlinux);
    let compared = 0;
    for (const struct of KERNEL_STRUCTS) {
      if (struct.id === undefined || struct.members === undefined) continue;
      const fromBtf = types.structById(struct.id);
      expect(fromBtf?.name, `[${struct.id}]`).toBe(struct.name);
      expect(fromBtf?.size, struct.name).toBe(struct.size);
      for (const member of struct.members) {
        const same = fromBtf?.members?.find(
          (m) => m.name === member.name && m.bitOffset === member.bitOffset,
        );
        expect(same, `${struct.name}.${member.name}`).toBeDefined();
        expect(same?.bitfieldSize).toBe(member.bitfieldSize);
        expect(same?.type.kind, `${struct.name}.${member.name}`).toBe(member.type.kind);
        expect(kernelTypeSize(same!.type, types)).toBe(kernelTypeSize(member.type, KERNEL_STRUCT_TABLE));
        if (member.type.kind === 'ptr' && same?.type.kind === 'ptr') {
          expect(same.type.to).toBe(member.type.to);
          expect(same.type.rcu).toBe(member.type.rcu);
        }
        compared++;
      }
      // The table lists some members only; the BTF has every one.
      if (!struct.partial) expect(fromBtf?.members?.length, struct.name).toBe(struct.members.length);
    }
    expect(compared).toBeGreaterThan(200);
    expect(types.structByName('sock')?.members?.some((m) => m.name === 'sk_rcvbuf')).toBe(true);
    expect(types.structByName('iphdr')?.size).toBe(20);
    // What the kernel lets programs write comes from the table (conntrack's mark), here for vmlinux's nf_conn.
    expect(types.structByName('nf_conn')?.writable).toEqual(['mark']);
    // A struct vmlinux lacks comes from the table.
    expect(types.structByName('bpf_struct_that_is_not_there')).toBeUndefined();
    expect(types.enumByName('bpf_map_type')?.values.find((v) => v.name === 'BPF_MAP_TYPE_ARRAY')?.value).toBe(
      2n,
    );
    expect(types.findType('u32', 'typedef')?.size).toBe(4);
  });

  it('a blob that is not BTF is an ObjectError naming it', () => {
    expect(() => kernelTypesFromBtf(new Uint8Array([1, 2, 3]), 'junk.btf')).toThrow(ObjectError);
    expect(() => kernelTypesFromBtf(new Uint8Array([1, 2, 3]), 'junk.btf')).toThrow(/junk\.btf: kernel BTF/);
  });

  it('refuses loads through a struct tsbpf writes when the BTF lays it out unlike the reference kernel', () => {
    // A kernel whose sk_buff starts with len: tsbpf's test-run image has the reference kernel's layout.
    const b = new BtfBuilder();
    const u32 = b.add({
      kind: 'int',
      name: 'unsigned int',
      size: 4,
      encoding: 'none',
      bitOffset: 0,
      bits: 32,
    });
    b.add({
      kind: 'struct',
      name: 'sk_buff',
      size: 224,
      kindFlag: false,
      members: [{ name: 'len', type: u32, bitOffset: 0, bitfieldSize: 0 }],
    });
    const types = kernelTypesFromBtf(b.encode(), 'moved.btf');
    expect(layoutDifference(types, 'sk_buff')).toBeDefined();
    expect(layoutDifference(types, 'iphdr')).toBeUndefined();
    const cast = kfuncByName('bpf_cast_to_kern_ctx')!.btfId;
    const insns = [
      { code: 0x85, dst: 0, src: 2, off: 0, imm: cast },
      { code: 0x61, dst: 0, src: 0, off: 112, imm: 0 }, // r0 = *(u32 *)(r0 + 112): the reference kernel's len
      { code: 0xb7, dst: 0, src: 0, off: 0, imm: 0 },
      { code: 0x95, dst: 0, src: 0, off: 0, imm: 0 },
    ];
    const moved = verifyProgram({ programType: 'sched_cls', insns, kernelTypes: types });
    expect(moved.error?.message).toMatch(
      /tsbpf lays out struct sk_buff as the reference kernel does, and the kernel BTF given \(moved\.btf\) places \S+ elsewhere/,
    );
    // The same load against the table, or the reference kernel's own BTF, is accepted.
    expect(verifyProgram({ programType: 'sched_cls', insns }).error).toBeUndefined();
    if (present) {
      const vmlinuxTypes = kernelTypesFromBtf(new Uint8Array(readFileSync(vmlinux)), vmlinux);
      expect(
        verifyProgram({ programType: 'sched_cls', insns, kernelTypes: vmlinuxTypes }).error,
      ).toBeUndefined();
      for (const struct of KERNEL_STRUCTS) {
        if (struct.members !== undefined)
          expect(layoutDifference(vmlinuxTypes, struct.name), struct.name).toBeUndefined();
      }
    }
  });
});
