// BPF_MAP_TYPE_XSKMAP: AF_XDP sockets bpf_redirect_map steers frames to (kernel: net/xdp/xskmap.c). tsbpf has no
// AF_XDP sockets: a slot holds the u32 user space stored as an opaque socket handle, never checked.
import { BPF_EXIST, BPF_NOEXIST } from '../../abi/map-types.js';
import type { MapResult } from './bpf-map.js';
import { readU32 } from './bpf-map.js';
import { fail } from './map-error.js';
import { IndexedRedirectMap } from './redirect-map.js';

/**
 * A program's lookup returns the socket as `struct bpf_xdp_sock` (its queue_id, 0 here: no socket is bound to a
 * real queue); the handle itself sits after it, where programs cannot read (the verifier allows queue_id only).
 */
export class XskMap extends IndexedRedirectMap {
  readonly redirectFlags = 0;

  /** The opaque handle stored at `index`, or undefined. */
  socketAt(index: number): number | undefined {
    return this.storedWords(index)?.[1];
  }

  /** Kernel xsk_map_update_elem, with the handle standing for the socket fd. */
  protected updateElement(key: Uint8Array, value: Uint8Array, flags: number): number {
    const index = readU32(key);
    const handle = readU32(value, 0);
    if (flags > BPF_EXIST) return fail('EINVAL');
    if (index >= this.maxEntries) return fail('E2BIG');
    const old = this.socketAt(index);
    if (old === handle) return 0;
    if (old !== undefined && flags === BPF_NOEXIST) return fail('EEXIST');
    if (old === undefined && flags === BPF_EXIST) return fail('ENOENT');
    this.store(index, 0, handle);
    return 0;
  }

  protected deleteElement(key: Uint8Array): number {
    const index = readU32(key);
    if (index >= this.maxEntries) return fail('EINVAL');
    this.clear(index);
    return 0;
  }

  /** Kernel xsk_map_lookup_elem_sys_only: user space cannot read sockets back. */
  protected override lookupElement(_key: Uint8Array): MapResult {
    return fail('EOPNOTSUPP');
  }
}
