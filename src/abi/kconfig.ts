// The values libbpf gives `__kconfig` externs: the kernel's Kconfig options and libbpf's virtual LINUX_* names.

import { REFERENCE_KCONFIG_TEXT } from './kconfig-reference.js';

/**
 * A Kconfig table: option name → value in `.config` syntax (`y`, `m`, `n`, `"text"`, `250`, `0x1000`), and the
 * virtual names (`LINUX_KERNEL_VERSION`, ...) → their numbers as decimal text. An option absent is "not set".
 */
export type KconfigTable = ReadonlyMap<string, string>;

/** The reference kernel's release, from which libbpf derives LINUX_KERNEL_VERSION (uname's release). */
export const REFERENCE_KERNEL_RELEASE = { major: 6, minor: 18, patch: 44 } as const;

/** KERNEL_VERSION(a, b, c) of linux/version.h: the patch level saturates at 255. */
export function kernelVersionCode(major: number, minor: number, patch: number): number {
  return major * 65536 + minor * 256 + Math.min(patch, 255);
}

/**
 * libbpf 1.1's virtual externs: the running kernel's version, and features it probes (the reference kernel
 * has BPF cookies, and x86_64 syscalls go through wrappers).
 */
export const VIRTUAL_KCONFIG_DEFAULTS: Readonly<Record<string, number>> = {
  LINUX_KERNEL_VERSION: kernelVersionCode(
    REFERENCE_KERNEL_RELEASE.major,
    REFERENCE_KERNEL_RELEASE.minor,
    REFERENCE_KERNEL_RELEASE.patch,
  ),
  LINUX_HAS_BPF_COOKIE: 1,
  LINUX_HAS_SYSCALL_WRAPPER: 1,
};

let reference: Map<string, string> | undefined;

/** The reference kernel's table: its Kconfig plus libbpf's virtual names (a fresh copy to change). */
export function referenceKconfig(): Map<string, string> {
  if (reference === undefined) {
    reference = new Map();
    for (const line of REFERENCE_KCONFIG_TEXT.split('\n')) {
      const sep = line.indexOf('=');
      if (sep > 0) reference.set(line.slice(0, sep), line.slice(sep + 1));
    }
    for (const [name, value] of Object.entries(VIRTUAL_KCONFIG_DEFAULTS)) reference.set(name, String(value));
  }
  return new Map(reference);
}

/** A value given by the user (API or fixture) as `.config` text: booleans are y/n, numbers decimal. */
export function kconfigValueText(value: string | number | bigint | boolean): string {
  if (typeof value === 'boolean') return value ? 'y' : 'n';
  return String(value);
}
