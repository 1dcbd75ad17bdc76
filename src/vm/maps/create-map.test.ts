// Creation rules of createMap, table-driven; expected errnos were measured with bpf_map_create on Linux 6.18.
import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../abi/errno.js';
import {
  BPF_F_INNER_MAP,
  BPF_F_MMAPABLE,
  BPF_F_NO_COMMON_LRU,
  BPF_F_NO_PREALLOC,
  BPF_F_NUMA_NODE,
  BPF_F_PRESERVE_ELEMS,
  BPF_F_RDONLY,
  BPF_F_RDONLY_PROG,
  BPF_F_WRONLY,
  BPF_F_WRONLY_PROG,
  MAP_TYPES,
  BPF_F_ZERO_SEED,
  type MapTypeName,
} from '../../abi/map-types.js';
import { VmMemory } from '../memory.js';
import { createMap } from './create-map.js';
import { MapError } from './map-error.js';

type Case = [MapTypeName | number, number, number, number, number, keyof typeof ERRNO | 0];

// [type, key_size, value_size, max_entries, map_flags, expected]
const cases: Case[] = [
  ['array', 4, 8, 0, 0, 'EINVAL'],
  ['array', 8, 8, 1, 0, 'EINVAL'],
  ['array', 4, 0, 1, 0, 'EINVAL'],
  ['array', 4, 8, 1, BPF_F_NO_PREALLOC, 'EINVAL'],
  ['array', 4, 8, 1, BPF_F_MMAPABLE, 0],
  ['array', 4, 8, 1, BPF_F_RDONLY | BPF_F_WRONLY, 'EINVAL'],
  ['array', 4, 8, 1, BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG, 'EINVAL'],
  ['array', 4, 8, 1, BPF_F_PRESERVE_ELEMS, 'EINVAL'],
  ['array', 4, 8, 1, BPF_F_INNER_MAP, 0],
  ['array', 4, 4194305, 1, 0, 0],
  ['array', 4, 0x80000000, 1, 0, 'E2BIG'],
  ['array', 4, 8, 1, 1 << 20, 'EINVAL'],
  ['percpu_array', 4, 8, 1, BPF_F_INNER_MAP, 'EINVAL'],
  ['percpu_array', 4, 8, 1, BPF_F_MMAPABLE, 'EINVAL'],
  ['percpu_array', 4, 32768, 1, 0, 0],
  ['percpu_array', 4, 32769, 1, 0, 'E2BIG'],
  ['percpu_array', 4, 32761, 1, 0, 0],
  ['hash', 0, 8, 1, 0, 'EINVAL'],
  ['hash', 4, 0, 1, 0, 'EINVAL'],
  ['hash', 4, 8, 0, 0, 'EINVAL'],
  ['hash', 513, 8, 1, 0, 0],
  ['hash', 4, 4194251, 1, 0, 0],
  ['hash', 4, 4194252, 1, 0, 'E2BIG'],
  ['hash', 100, 4194155, 1, 0, 0],
  ['hash', 100, 4194156, 1, 0, 'E2BIG'],
  ['hash', 4, 8, 1, BPF_F_NO_COMMON_LRU, 'EINVAL'],
  ['hash', 4, 8, 1, BPF_F_MMAPABLE, 'EINVAL'],
  ['hash', 4, 8, 1, BPF_F_ZERO_SEED, 0],
  ['hash', 4, 8, 1, BPF_F_NO_PREALLOC, 0],
  ['hash', 4, 8, 1, BPF_F_NUMA_NODE, 0],
  ['hash', 4, 8, 0xffffffff, BPF_F_NO_PREALLOC, 'E2BIG'],
  ['percpu_hash', 4, 8, 1, BPF_F_NUMA_NODE, 'EINVAL'],
  ['percpu_hash', 4, 32768, 1, 0, 0],
  ['percpu_hash', 4, 32769, 1, 0, 'E2BIG'],
  ['lru_hash', 4, 8, 1, BPF_F_NO_PREALLOC, 'ENOTSUPP'],
  ['lru_hash', 4, 8, 1, BPF_F_NO_COMMON_LRU, 0],
  ['lru_percpu_hash', 4, 8, 1, BPF_F_NO_COMMON_LRU, 0],
  ['sockmap', 4, 8, 4, 0, 0],
  ['sockmap', 4, 4, 4, BPF_F_NUMA_NODE, 0],
  ['sockmap', 4, 8, 4, BPF_F_RDONLY, 0],
  ['sockmap', 8, 8, 4, 0, 'EINVAL'],
  ['sockmap', 4, 2, 4, 0, 'EINVAL'],
  ['sockmap', 4, 4, 0, 0, 'EINVAL'],
  ['sockmap', 4, 8, 4, BPF_F_NO_PREALLOC, 'EINVAL'],
  ['sockmap', 4, 8, 4, BPF_F_RDONLY_PROG, 'EINVAL'],
  ['sockhash', 512, 8, 4, 0, 0],
  ['sockhash', 0, 8, 4, 0, 'EINVAL'],
  ['sockhash', 513, 8, 4, 0, 'E2BIG'],
  ['sockhash', 4, 16, 4, 0, 'EINVAL'],
  ['sockhash', 4, 8, 0, 0, 'EINVAL'],
  ['sockhash', 4, 8, 4, BPF_F_NO_PREALLOC, 'EINVAL'],
  ['sockhash', 4, 8, 2 ** 31, 0, 'EINVAL'],
  ['reuseport_sockarray', 4, 8, 4, 0, 0],
  ['reuseport_sockarray', 4, 4, 4, BPF_F_RDONLY_PROG, 0],
  ['reuseport_sockarray', 4, 2, 4, 0, 'EINVAL'],
  ['reuseport_sockarray', 8, 8, 4, 0, 'EINVAL'],
  ['reuseport_sockarray', 4, 8, 0, 0, 'EINVAL'],
  ['reuseport_sockarray', 4, 8, 4, BPF_F_NO_PREALLOC, 'EINVAL'],
  ['reuseport_sockarray', 4, 8, 4, BPF_F_MMAPABLE, 'EINVAL'],
  ['reuseport_sockarray', 4, 8, 4, BPF_F_PRESERVE_ELEMS, 'EINVAL'],
  ['reuseport_sockarray', 4, 8, 4, BPF_F_INNER_MAP, 'EINVAL'],
  ['reuseport_sockarray', 4, 8, 4, BPF_F_RDONLY | BPF_F_WRONLY, 'EINVAL'],
  ['prog_array', 4, 8, 1, 0, 'EINVAL'],
  ['prog_array', 4, 4, 1, 0, 0],
  ['prog_array', 4, 4, 1, BPF_F_RDONLY_PROG, 'EINVAL'],
  ['prog_array', 4, 4, 1, BPF_F_RDONLY, 0],
  ['perf_event_array', 4, 4, 1, BPF_F_PRESERVE_ELEMS, 0],
  ['perf_event_array', 4, 8, 1, 0, 'EINVAL'],
  ['perf_event_array', 4, 4, 0, 0, 'EINVAL'],
  ['perf_event_array', 8, 4, 1, 0, 'EINVAL'],
  ['perf_event_array', 4, 4, 1, BPF_F_MMAPABLE, 'EINVAL'],
  ['perf_event_array', 4, 4, 1, BPF_F_RDONLY, 0],
  ['lpm_trie', 8, 8, 1, 0, 'EINVAL'],
  ['lpm_trie', 8, 8, 1, BPF_F_NO_PREALLOC, 0],
  ['lpm_trie', 4, 8, 1, BPF_F_NO_PREALLOC, 'EINVAL'],
  ['lpm_trie', 5, 8, 1, BPF_F_NO_PREALLOC, 0],
  ['lpm_trie', 260, 8, 1, BPF_F_NO_PREALLOC, 0],
  ['lpm_trie', 261, 8, 1, BPF_F_NO_PREALLOC, 'EINVAL'],
  ['lpm_trie', 8, 0, 1, BPF_F_NO_PREALLOC, 'EINVAL'],
  ['lpm_trie', 8, 4194024, 1, BPF_F_NO_PREALLOC, 0],
  ['lpm_trie', 8, 4194025, 1, BPF_F_NO_PREALLOC, 'EINVAL'],
  ['lpm_trie', 8, 8, 1, BPF_F_NO_PREALLOC | BPF_F_RDONLY_PROG, 0],
  ['lpm_trie', 8, 8, 1, BPF_F_NO_PREALLOC | BPF_F_ZERO_SEED, 'EINVAL'],
  ['queue', 4, 8, 1, 0, 'EINVAL'],
  ['queue', 0, 8, 1, 0, 0],
  ['queue', 0, 0, 1, 0, 'EINVAL'],
  ['queue', 0, 8, 0, 0, 'EINVAL'],
  ['queue', 0, 8, 1, BPF_F_NO_PREALLOC, 'EINVAL'],
  ['queue', 0, 8, 1, BPF_F_RDONLY_PROG, 0],
  ['queue', 0, 4194304, 1, 0, 0],
  ['stack', 0, 4194305, 1, 0, 'E2BIG'],
  ['ringbuf', 0, 0, 4096, 0, 0],
  ['ringbuf', 0, 0, 4095, 0, 'EINVAL'],
  ['ringbuf', 0, 0, 8192 * 3, 0, 'EINVAL'],
  ['ringbuf', 0, 0, 2048, 0, 'EINVAL'],
  ['ringbuf', 4, 0, 4096, 0, 'EINVAL'],
  ['ringbuf', 0, 0, 4096, BPF_F_RDONLY_PROG, 'EINVAL'],
  ['ringbuf', 0, 0, 4096, BPF_F_NUMA_NODE, 0],
  ['ringbuf', 0, 0, 0, 0, 'EINVAL'],
  ['array_of_maps', 4, 8, 1, 0, 'EINVAL'],
  ['hash_of_maps', 4, 8, 1, 0, 'EINVAL'],
  [99, 4, 8, 1, 0, 'EINVAL'],
  [0, 4, 8, 1, 0, 'EINVAL'],
];

function createErrno(memory: VmMemory, attrs: Parameters<typeof createMap>[1]): string | 0 {
  try {
    createMap(memory, attrs, { cpus: 2 });
    return 0;
  } catch (error) {
    if (!(error instanceof MapError)) throw error;
    expect(error.errno).toBe(ERRNO[error.code]);
    return error.code;
  }
}

describe('createMap attribute checks (as Linux 6.18)', () => {
  it.each(cases)(
    '%s key=%i value=%i max=%i flags=%i → %s',
    (type, keySize, valueSize, maxEntries, flags, expected) => {
      const memory = new VmMemory({ maximumPages: 1024 });
      expect(createErrno(memory, { type, keySize, valueSize, maxEntries, flags })).toBe(expected);
    },
  );

  it('fails with ENOMEM when preallocated storage does not fit the VM memory', () => {
    const memory = new VmMemory({ maximumPages: 16 });
    expect(createErrno(memory, { type: 'array', keySize: 4, valueSize: 8, maxEntries: 0xffffffff })).toBe(
      'ENOMEM',
    );
    expect(createErrno(memory, { type: 'queue', keySize: 0, valueSize: 8, maxEntries: 0xffffffff })).toBe(
      'ENOMEM',
    );
    expect(createErrno(memory, { type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 0x80000000 })).toBe(
      'ENOMEM',
    );
    // The failed creations left nothing allocated.
    expect(memory.stats().allocatedBlocks).toBe(0);
  });

  it('checks names as bpf_obj_name_cpy does', () => {
    const memory = new VmMemory();
    const attrs = { type: 'hash', keySize: 4, valueSize: 4, maxEntries: 1 } as const;
    expect(createErrno(memory, { ...attrs, name: 'ok_name.v2' })).toBe(0);
    expect(createErrno(memory, { ...attrs, name: 'a'.repeat(15) })).toBe(0);
    expect(createErrno(memory, { ...attrs, name: 'a'.repeat(16) })).toBe('EINVAL');
    expect(createErrno(memory, { ...attrs, name: 'bad-name' })).toBe('EINVAL');
  });

  it('rejects unsupported types with ENOTSUPP and a message naming the type', () => {
    const memory = new VmMemory();
    expect(() =>
      createMap(memory, { type: 'stack_trace', keySize: 4, valueSize: 8, maxEntries: 1 }),
    ).toThrowError(/stack_trace is not supported by tsbpf: .*no stacks/);
    // Every map type tsbpf refuses says why.
    for (const type of MAP_TYPES.map((t) => t.name).filter((name) => name !== 'unspec')) {
      try {
        createMap(memory, { type, keySize: 4, valueSize: 4, maxEntries: 1 });
      } catch (error) {
        if (
          error instanceof MapError &&
          error.code === 'ENOTSUPP' &&
          /is not supported/.test(error.message)
        ) {
          expect(error.message, type).toMatch(/is not supported by tsbpf: .+/);
        }
      }
    }
    expect(() => createMap(memory, { type: 'arena', keySize: 0, valueSize: 0, maxEntries: 1 })).toThrowError(
      /arena is not supported by tsbpf: .*single memory/,
    );
  });

  it('keeps RDONLY/WRONLY out of map flags and applies them to user-space access', () => {
    const memory = new VmMemory();
    const readOnly = createMap(memory, {
      type: 'hash',
      keySize: 4,
      valueSize: 4,
      maxEntries: 2,
      flags: BPF_F_RDONLY,
    });
    expect(readOnly.flags).toBe(0);
    const key = Uint8Array.of(1, 0, 0, 0);
    expect(readOnly.update(key, key)).toBe(-ERRNO.EPERM);
    expect(readOnly.delete(key)).toBe(-ERRNO.EPERM);
    expect(readOnly.lookupValue(key)).toBe(-ERRNO.ENOENT);
    // Programs are not bound by the fd's mode.
    expect(readOnly.updateFromProgram(key, key, 0)).toBe(0);
    const writeOnly = createMap(memory, {
      type: 'hash',
      keySize: 4,
      valueSize: 4,
      maxEntries: 2,
      flags: BPF_F_WRONLY,
    });
    expect(writeOnly.lookupValue(key)).toBe(-ERRNO.EPERM);
    expect(writeOnly.getNextKey()).toBe(-ERRNO.EPERM);
    expect(writeOnly.update(key, key)).toBe(0);
    expect(writeOnly.delete(key)).toBe(0);
  });

  it('rounds max_entries of per-CPU LRU maps up to a multiple of the CPU count', () => {
    const memory = new VmMemory();
    const map = createMap(
      memory,
      { type: 'lru_hash', keySize: 4, valueSize: 4, maxEntries: 5, flags: BPF_F_NO_COMMON_LRU },
      { cpus: 4 },
    );
    expect(map.maxEntries).toBe(8);
  });
});
