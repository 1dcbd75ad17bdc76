// libbpf's extern handling without a kernel: the `.kconfig` layout, values from the reference table and the
// user's, and refusals in libbpf's words (the same checks against libbpf itself: kconfig-kernel.test.ts).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kernelVersionCode, referenceKconfig } from '../abi/kconfig.js';
import { ObjectError } from './object-error.js';
import { openObject } from './open-object.js';
import { resolveExterns } from './resolve-externs.js';

const KCONFIG = openObject(readFileSync('test/progs/net/kfunc_kconfig.o'), 'kfunc_kconfig.o');

function kconfigValue(name: string, table = referenceKconfig()): Uint8Array {
  const ext = KCONFIG.externs.find((e) => e.name === name)!;
  const bytes = resolveExterns(KCONFIG, table).kconfig;
  return bytes.subarray(ext.kconfig!.offset, ext.kconfig!.offset + ext.kconfig!.size);
}

function refusal(table: Map<string, string>): ObjectError {
  try {
    resolveExterns(KCONFIG, table);
  } catch (error) {
    if (error instanceof ObjectError) return error;
    throw error;
  }
  throw new Error('resolved');
}

describe('kconfig externs', () => {
  it("are laid out as libbpf lays them out: by alignment, then size, then name, in a map after the object's data", () => {
    const layout = KCONFIG.externs
      .filter((e) => e.kind === 'kconfig')
      .map((e) => [e.name, e.kconfig!.offset]);
    expect(layout.slice(0, 3)).toEqual([
      ['CONFIG_ILLEGAL_POINTER_VALUE', 0],
      ['CONFIG_HZ', 8],
      ['CONFIG_NF_CONNTRACK', 12],
    ]);
    const map = KCONFIG.maps.at(-1)!;
    expect([map.name, map.origin, map.valueSize]).toEqual(['kfunc_k.kconfig', 'kconfig', 45]);
  });

  it("take the reference kernel's values by type: int, bool, tristate, char, char array, virtual", () => {
    const u32 = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset).getUint32(0, true);
    expect(u32(kconfigValue('CONFIG_HZ'))).toBe(250);
    expect(u32(kconfigValue('LINUX_KERNEL_VERSION'))).toBe(kernelVersionCode(6, 18, 44));
    expect([...kconfigValue('CONFIG_BPF_SYSCALL')]).toEqual([1]);
    expect(u32(kconfigValue('CONFIG_NF_CONNTRACK'))).toBe(1);
    expect([...kconfigValue('CONFIG_BPF_JIT')]).toEqual(['y'.charCodeAt(0)]);
    expect(new TextDecoder().decode(kconfigValue('CONFIG_DEFAULT_HOSTNAME'))).toBe('(none)\0\0');
    expect([...kconfigValue('CONFIG_TSBPF_NOT_SET')]).toEqual([0, 0, 0, 0]);
  });

  it("take the user's values over the reference (m is 2, strings cut to fit with their NUL)", () => {
    const table = referenceKconfig();
    table.set('CONFIG_NF_CONNTRACK', 'm');
    table.set('CONFIG_DEFAULT_HOSTNAME', '"a-long-hostname"');
    table.set('CONFIG_HZ', '0x3e8');
    expect(kconfigValue('CONFIG_NF_CONNTRACK', table)[0]).toBe(2);
    expect(new TextDecoder().decode(kconfigValue('CONFIG_DEFAULT_HOSTNAME', table))).toBe('a-long-\0');
    expect(kconfigValue('CONFIG_HZ', table)[0] | (kconfigValue('CONFIG_HZ', table)[1] << 8)).toBe(1000);
  });

  it("are refused in libbpf's words and errno", () => {
    const cases: [string, string, string, number][] = [
      ['CONFIG_BPF_SYSCALL', 'm', "value 'm' implies tristate or char type", 22],
      ['CONFIG_PGTABLE_LEVELS', '256', "value '256' doesn't fit in 1 bytes", 22],
      ['CONFIG_HZ', '"x"', 'implies char array type', 22],
      ['CONFIG_HZ', '1x', "isn't a valid integer", 22],
    ];
    for (const [name, value, reason, errno] of cases) {
      const table = referenceKconfig();
      table.set(name, value);
      const error = refusal(table);
      expect(error.reason).toContain(reason);
      expect(error.errno).toBe(errno);
    }
    const missing = referenceKconfig();
    missing.delete('CONFIG_HZ');
    expect(refusal(missing).reason).toBe("extern 'CONFIG_HZ' (strong): not resolved");
    expect(refusal(missing).errno).toBe(3);
    const virtual = referenceKconfig();
    virtual.delete('LINUX_KERNEL_VERSION');
    expect(refusal(virtual).reason).toBe("extern (kcfg) 'LINUX_KERNEL_VERSION': unrecognized virtual extern");
  });
});
