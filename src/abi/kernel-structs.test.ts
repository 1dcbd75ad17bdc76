import { describe, expect, it } from 'vitest';
import {
  KERNEL_CONTEXT_STRUCTS,
  KERNEL_STRUCTS,
  type KernelType,
  MAP_KERNEL_STRUCTS,
  kernelMemberOffset,
  kernelStructById,
  kernelStructByName,
  kernelTypeSize,
} from './kernel-structs.js';
import { MAP_TYPES } from './map-types.js';

function referencedIds(type: KernelType): number[] {
  switch (type.kind) {
    case 'scalar':
      return [];
    case 'ptr':
      return type.to === 0 ? [] : [type.to];
    case 'struct':
      return [type.id];
    case 'array':
      return referencedIds(type.elem);
  }
}

describe('the kernel struct table', () => {
  it('has one struct per BTF id, and every id a member refers to', () => {
    const ids = KERNEL_STRUCTS.flatMap((s) => (s.id === undefined ? [] : [s.id]));
    expect(new Set(ids).size).toBe(ids.length);
    for (const struct of KERNEL_STRUCTS) {
      for (const member of struct.members ?? []) {
        for (const id of referencedIds(member.type)) {
          expect(kernelStructById(id), `${struct.name}.${member.name} → [${id}]`).toBeDefined();
        }
      }
    }
  });

  it('keeps every member inside its struct, in BTF order', () => {
    let members = 0;
    for (const struct of KERNEL_STRUCTS) {
      let previous = 0;
      for (const member of struct.members ?? []) {
        members++;
        expect(member.bitOffset, `${struct.name}.${member.name}`).toBeGreaterThanOrEqual(previous);
        previous = struct.union ? 0 : member.bitOffset;
        const end =
          member.bitfieldSize !== 0
            ? Math.ceil((member.bitOffset + member.bitfieldSize) / 8)
            : member.bitOffset / 8 + kernelTypeSize(member.type);
        expect(end, `${struct.name}.${member.name}`).toBeLessThanOrEqual(struct.size);
      }
    }
    expect(members).toBeGreaterThan(300);
  });

  it("puts the members programs read where the reference kernel's BTF does", () => {
    expect(kernelStructByName('sk_buff')).toMatchObject({ id: 870, size: 224 });
    expect(kernelStructByName('xdp_buff')).toMatchObject({ id: 13573, size: 56 });
    expect(kernelStructByName('net_device')).toMatchObject({ id: 3090, size: 2496 });
    expect(kernelStructByName('bpf_htab')).toMatchObject({ id: 14268, size: 832 });
    const offsets = {
      'sk_buff.dev': 16,
      'sk_buff.sk': 24,
      'sk_buff.len': 112,
      'sk_buff.mark': 164,
      'sk_buff.protocol': 176,
      'sk_buff.data': 200,
      'xdp_buff.rxq': 32,
      'xdp_rxq_info.queue_index': 8,
      'net_device.ifindex': 224,
      'net_device.name': 280,
      'bpf_map.max_entries': 76,
      'bpf_array.map.max_entries': 76,
      'bpf_array.elem_size': 296,
      'nf_conn.mark': 168,
      'nf_conn.zone.dir': 15,
    };
    for (const [path, offset] of Object.entries(offsets)) {
      const [struct, ...member] = path.split('.');
      expect(kernelMemberOffset(struct, member.join('.')), path).toBe(offset);
    }
  });

  it('names a struct with bpf_map first for every map type but unspec, and modelled context structs', () => {
    for (const type of MAP_TYPES) {
      if (type.name === 'unspec') continue;
      const struct = kernelStructByName(MAP_KERNEL_STRUCTS[type.name] ?? '');
      expect(struct?.members?.[0], type.name).toMatchObject({ name: 'map', bitOffset: 0 });
    }
    for (const name of Object.values(KERNEL_CONTEXT_STRUCTS)) {
      expect(kernelStructByName(name)?.members, name).toBeDefined();
    }
  });
});
