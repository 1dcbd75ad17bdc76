// The bpf()-style facade: map commands with the kernel's errno values, program load refusals with their logs,
// and libbpf-style object load (maps created, global data filled in, prog_array slots set).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { ProgLoadError } from '../../src/api/bpf-error.js';
import { BPF_EXIST, BPF_NOEXIST } from '../../src/abi/map-types.js';
import { insn } from '../../src/isa/insn.js';
import { LinkError } from '../../src/linker/index.js';
import { corpusObjects, REPO_ROOT } from '../corpus.js';
import { bytesToHex } from '../oracle/oracle.js';
import { errnoOf } from './bpf-errno.js';
import { testPackets } from './testrun-packets.js';

const u32 = (value: number) => {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value, true);
  return bytes;
};
const u64 = (value: bigint) => {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, value, true);
  return bytes;
};

describe('maps through the facade', () => {
  it('creates, updates with flags, looks up, iterates and deletes as the kernel does', () => {
    const bpf = new Bpf();
    const fd = bpf.mapCreate({ type: 'hash', keySize: 4, valueSize: 8, maxEntries: 2, name: 'h' });
    bpf.mapUpdate(fd, u32(1), u64(10n));
    expect(errnoOf(() => bpf.mapUpdate(fd, u32(1), u64(11n), BPF_NOEXIST))).toBe(17); // EEXIST
    expect(errnoOf(() => bpf.mapUpdate(fd, u32(2), u64(20n), BPF_EXIST))).toBe(2); // ENOENT
    bpf.mapUpdate(fd, u32(2), u64(20n), BPF_NOEXIST);
    expect(errnoOf(() => bpf.mapUpdate(fd, u32(3), u64(30n)))).toBe(7); // E2BIG: full
    expect(bpf.mapLookup(fd, u32(2))).toEqual(u64(20n));
    const keys: number[] = [];
    for (let key = bpf.mapGetNextKey(fd); key !== undefined; key = bpf.mapGetNextKey(fd, key)) {
      keys.push(new DataView(key.buffer, key.byteOffset).getUint32(0, true));
    }
    expect(keys.sort()).toEqual([1, 2]);
    expect(bpf.mapDelete(fd, u32(1))).toBe(true);
    // A missing key is an answer (the kernel's ENOENT), the same from lookup, delete and get-next-key.
    expect(bpf.mapLookup(fd, u32(1))).toBeUndefined();
    expect(bpf.mapDelete(fd, u32(1))).toBe(false);
    expect(bpf.mapGetNextKey(fd, u32(2))).toBeUndefined();
  });

  it('refuses keys and values of the wrong size on every call with EINVAL naming the size', () => {
    const bpf = new Bpf({ cpus: 2 });
    const fd = bpf.mapCreate({ type: 'hash', keySize: 2, valueSize: 8, maxEntries: 4, name: 'ports' });
    const calls: [string, () => unknown][] = [
      ['update', () => bpf.mapUpdate(fd, u32(1), u64(1n))],
      ['lookup', () => bpf.mapLookup(fd, u32(1))],
      ['delete', () => bpf.mapDelete(fd, u32(1))],
      ['get-next-key', () => bpf.mapGetNextKey(fd, u32(1))],
      ['lookup without key', () => bpf.mapLookup(fd)],
    ];
    for (const [name, call] of calls) {
      expect(errnoOf(call), name).toBe(22);
      expect(() => call(), name).toThrow(/key of [04] bytes: map 'ports' has key_size 2/);
    }
    expect(() => bpf.mapUpdate(fd, new Uint8Array(2), u32(1))).toThrow(
      "value of 4 bytes: map 'ports' takes 8",
    );
    const percpu = bpf.mapCreate({
      type: 'percpu_array',
      keySize: 4,
      valueSize: 4,
      maxEntries: 1,
      name: 'pc',
    });
    expect(() => bpf.mapUpdate(percpu, u32(0), u32(1))).toThrow(
      "value of 4 bytes: map 'pc' takes 16 (2 CPUs × 8)",
    );
    bpf.mapUpdate(percpu, u32(0), new Uint8Array(16));
    const queue = bpf.mapCreate({ type: 'queue', keySize: 0, valueSize: 4, maxEntries: 2, name: 'q' });
    expect(() => bpf.mapUpdate(queue, u32(0), u32(5))).toThrow("key of 4 bytes: map 'q' has key_size 0");
    bpf.mapUpdate(queue, undefined, u32(5));
    expect(bpf.mapLookup(queue)).toEqual(u32(5));
  });

  it('freezes a map as BPF_MAP_FREEZE does: user-space writes get EPERM, reads go on', () => {
    const bpf = new Bpf();
    const fd = bpf.mapCreate({ type: 'array', keySize: 4, valueSize: 4, maxEntries: 1, name: 'cfg' });
    bpf.mapUpdate(fd, u32(0), u32(7));
    bpf.mapFreeze(fd);
    expect(bpf.mapFrozen(fd)).toBe(true);
    expect(errnoOf(() => bpf.mapUpdate(fd, u32(0), u32(8)))).toBe(1); // EPERM
    expect(errnoOf(() => bpf.mapDelete(fd, u32(0)))).toBe(1);
    expect(errnoOf(() => bpf.mapFreeze(fd))).toBe(16); // EBUSY
    expect(bpf.mapLookup(fd, u32(0))).toEqual(u32(7));
  });

  it('refuses bad attributes and bad fds', () => {
    const bpf = new Bpf();
    expect(errnoOf(() => bpf.mapCreate({ type: 'array', keySize: 8, valueSize: 4, maxEntries: 1 }))).toBe(22);
    expect(errnoOf(() => bpf.mapCreate({ type: 'hash', keySize: 4, valueSize: 4, maxEntries: 0 }))).toBe(22);
    expect(errnoOf(() => bpf.mapLookup(99, u32(0)))).toBe(9); // EBADF
    const array = bpf.mapCreate({ type: 'array', keySize: 4, valueSize: 4, maxEntries: 4 });
    expect(errnoOf(() => bpf.mapDelete(array, u32(0)))).toBe(22); // arrays cannot delete
    expect(errnoOf(() => bpf.mapUpdate(array, u32(0), u32(1), BPF_NOEXIST))).toBe(17);
  });
});

describe('program load', () => {
  const exit = insn(0x95, 0, 0, 0, 0);
  const r0is0 = insn(0xb7, 0, 0, 0, 0);

  it('verifies a valid program, with the statistics line the kernel ends its log with', () => {
    const bpf = new Bpf();
    const handle = bpf.progLoad({ type: 'socket_filter', insns: [r0is0, exit], license: 'GPL', logLevel: 1 });
    expect(handle.verified).toBe(true);
    expect(handle.mode).toBe('fast');
    expect(handle.log).toBe(
      'processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n',
    );
    expect(handle.gplCompatible).toBe(true);
  });

  it('loads without verification when asked, in checked mode, and says so in the log', () => {
    const bpf = new Bpf();
    const handle = bpf.progLoad({ type: 'socket_filter', insns: [r0is0, exit], logLevel: 1, verify: false });
    expect(handle.verified).toBe(false);
    expect(handle.mode).toBe('checked');
    expect(handle.log).toContain('not verified');
  });

  it('refuses as the kernel does, with errno, log and instruction', () => {
    const bpf = new Bpf();
    const load = (options: Parameters<Bpf['progLoad']>[0]) => {
      try {
        bpf.progLoad(options);
      } catch (error) {
        expect(error).toBeInstanceOf(ProgLoadError);
        return error as ProgLoadError;
      }
      throw new Error('expected a refusal');
    };
    expect(load({ type: 'socket_filter', insns: [] }).errno).toBe(7); // E2BIG
    expect(load({ type: 'no_such_type' as 'xdp', insns: [r0is0, exit] }).errno).toBe(22);
    expect(load({ type: 'xdp', insns: [r0is0, exit], privileged: false }).errno).toBe(1); // EPERM
    const badOpcode = load({ type: 'socket_filter', insns: [insn(0x8d, 0, 0, 0, 0), exit], logLevel: 1 });
    expect(badOpcode.errno).toBe(22);
    const noWalk =
      'processed 0 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n';
    expect(badOpcode.log).toBe(`unknown opcode 8d\n${noWalk}`);
    expect(badOpcode.insn).toBe(0);
    const badMap = load({
      type: 'socket_filter',
      insns: [insn(0x18, 1, 1, 0, 42), insn(0, 0, 0, 0, 0), r0is0, exit],
      logLevel: 1,
    });
    expect(badMap.errno).toBe(9);
    expect(badMap.log).toBe(`fd 42 is not pointing to valid bpf_map\n${noWalk}`);
  });
});

describe('objects', () => {
  it('loads every corpus object: maps, global data, programs', () => {
    for (const object of corpusObjects()) {
      const bpf = new Bpf();
      const handle = bpf.openObject(object.bytes, object.path).load();
      expect(handle.programNames.length, object.path).toBeGreaterThan(0);
      for (const name of handle.programNames) expect(handle.program(name).handle.fd).toBeGreaterThan(0);
      for (const definition of handle.object.maps) {
        const fd = handle.mapFd(definition.name);
        if (definition.initialValue !== undefined) {
          expect(bpf.mapLookup(fd, u32(0)), `${object.path} ${definition.name}`).toEqual(
            definition.initialValue,
          );
        }
      }
    }
  });

  it('freezes .rodata after load, as libbpf does: user-space writes get EPERM; .data stays writable', () => {
    const globalData = corpusObjects().find((o) => o.path.endsWith('global_data.o'))!;
    const bpf = new Bpf();
    const handle = bpf.openObject(globalData.bytes, globalData.path).load();
    const rodata = handle.object.maps.filter((m) => m.origin === 'rodata');
    const data = handle.object.maps.filter((m) => m.origin === 'data');
    expect(rodata.length).toBeGreaterThan(0);
    for (const definition of rodata) {
      const fd = handle.mapFd(definition.name);
      expect(bpf.mapFrozen(fd)).toBe(true);
      expect(errnoOf(() => bpf.mapUpdate(fd, u32(0), new Uint8Array(definition.valueSize)))).toBe(1);
    }
    for (const definition of data) {
      const fd = handle.mapFd(definition.name);
      expect(bpf.mapFrozen(fd)).toBe(false);
      bpf.mapUpdate(fd, u32(0), new Uint8Array(definition.valueSize));
    }
  });

  it('fills prog_array slots with the object programs, as libbpf does', () => {
    const tailCalls = corpusObjects().find((o) => o.path.endsWith('tail_calls.o'))!;
    const bpf = new Bpf();
    const handle = bpf.openObject(tailCalls.bytes, tailCalls.path).load();
    const table = handle.object.maps.find((m) => m.initialSlots !== undefined)!;
    for (const [slot, target] of table.initialSlots!) {
      const value = bpf.mapLookup(handle.mapFd(table.name), u32(slot))!;
      expect(new DataView(value.buffer, value.byteOffset).getUint32(0, true)).toBe(
        handle.program(target).handle.fd,
      );
    }
  });
});

describe('several objects opened together', () => {
  it('are linked in memory and run like the single-object build', () => {
    const dir = join(REPO_ROOT, 'test', 'link');
    const read = (name: string) => ({ fileName: name, bytes: new Uint8Array(readFileSync(join(dir, name))) });
    const packet = testPackets().find((p) => p.name === 'ipv4-tcp-http')!.data;
    const open: ((bpf: Bpf) => ReturnType<Bpf['openObject']>)[] = [
      (bpf) => bpf.openObjects(['xdp_main.o', 'tc_main.o', 'parse.o', 'stats.o'].map(read)),
      (bpf) => bpf.openObject(read('all.o').bytes, 'all.o'),
    ];
    const results = open.map((openWith) => {
      const bpf = new Bpf();
      const handle = openWith(bpf).load();
      const run = bpf.testRun(handle.program('xdp_link_parse').handle.fd, { data: packet });
      expect(run.error).toBeUndefined();
      return [run.retval, bytesToHex(run.dataOut)];
    });
    expect(results[0]).toEqual(results[1]);
  });

  it('refuse objects that do not link, naming the symbol', () => {
    const dir = join(REPO_ROOT, 'test', 'link');
    const read = (name: string) => ({ fileName: name, bytes: new Uint8Array(readFileSync(join(dir, name))) });
    expect(() => new Bpf().openObjects([read('xdp_main.o')])).toThrow(LinkError);
  });
});
