// BPF_MAP_TYPE_CPUMAP: CPUs that bpf_redirect_map hands XDP frames to, each with a queue size and an optional
// program (kernel: kernel/bpf/cpumap.c). tsbpf keeps the entries; no frame is ever queued to another CPU.
import { BPF_EXIST, BPF_NOEXIST } from '../../abi/map-types.js';
import type { VmMemory } from '../memory.js';
import type { MapSpec } from './bpf-map.js';
import { readU32 } from './bpf-map.js';
import { fail } from './map-error.js';
import { IndexedRedirectMap, type RedirectMapEnvironment, readS32 } from './redirect-map.js';

/** Kernel: cpu_map_update_elem's sanity limit on qsize. */
const CPUMAP_QSIZE_MAX = 16384;

export class CpuMap extends IndexedRedirectMap {
  readonly redirectFlags = 0;

  constructor(
    memory: VmMemory,
    spec: MapSpec,
    private readonly env: RedirectMapEnvironment,
  ) {
    super(memory, spec);
  }

  /**
   * Kernel cpu_map_update_elem: qsize 0 deletes; the CPU must be possible (the Vm's CPUs); a program fd that is
   * not an XDP program for BPF_XDP_CPUMAP makes the entry's allocation fail, which the kernel reports as -ENOMEM.
   */
  protected updateElement(key: Uint8Array, value: Uint8Array, flags: number): number {
    const cpu = readU32(key);
    const qsize = readU32(value, 0);
    const progFd = this.valueSize === 8 ? readS32(value, 4) : 0;
    if (flags > BPF_EXIST) return fail('EINVAL');
    if (cpu >= this.maxEntries) return fail('E2BIG');
    if (flags === BPF_NOEXIST) return fail('EEXIST');
    if (qsize > CPUMAP_QSIZE_MAX) return fail('EOVERFLOW');
    if (cpu >= this.cpus) return fail('ENODEV');
    if (qsize === 0) {
      this.clear(cpu);
      return 0;
    }
    let id = 0;
    if (progFd > 0) {
      id = this.env.resolveProgram?.(progFd, 'xdp_cpumap') ?? fail('EINVAL');
      if (id <= 0) return fail('ENOMEM');
    }
    this.store(cpu, qsize, id);
    return 0;
  }

  /** Kernel cpu_map_delete_elem: any CPU index in range, present or not. */
  protected deleteElement(key: Uint8Array): number {
    const cpu = readU32(key);
    if (cpu >= this.maxEntries) return fail('EINVAL');
    this.clear(cpu);
    return 0;
  }
}
