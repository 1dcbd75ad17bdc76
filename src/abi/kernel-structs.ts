// Kernel structs programs reach through kfunc pointers (PTR_TO_BTF_ID), as the reference kernel's BTF lays them
// out: the scalar fields a program may read and the ones the kernel lets it write.

/** A scalar field: byte offset and size in the struct. */
export interface KernelStructField {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
}

export interface KernelStruct {
  readonly name: string;
  readonly size: number;
  /** Scalar fields tsbpf models, by offset. */
  readonly fields: readonly KernelStructField[];
  /** Fields a program may write (the kernel's btf_struct_access callback for the type); none when absent. */
  readonly writable?: readonly string[];
}

/** struct nf_conn of Linux 6.18.44 (248 bytes); nf_conn___init wraps it as its only member. */
const NF_CONN_FIELDS: readonly KernelStructField[] = [
  { name: 'timeout', offset: 8, size: 4 },
  { name: 'zone.id', offset: 12, size: 2 },
  { name: 'zone.flags', offset: 14, size: 1 },
  { name: 'zone.dir', offset: 15, size: 1 },
  { name: 'status', offset: 128, size: 8 },
  { name: 'mark', offset: 168, size: 4 },
  { name: 'secmark', offset: 172, size: 4 },
];

export const NF_CONN_SIZE = 248;
export const NF_CONN_TIMEOUT = 8;
export const NF_CONN_STATUS = 128;
export const NF_CONN_MARK = 168;

export const KERNEL_STRUCTS: readonly KernelStruct[] = [
  { name: 'nf_conn', size: NF_CONN_SIZE, fields: NF_CONN_FIELDS, writable: ['mark'] },
  { name: 'nf_conn___init', size: NF_CONN_SIZE, fields: NF_CONN_FIELDS, writable: ['mark'] },
];

export function kernelStructByName(name: string): KernelStruct | undefined {
  return KERNEL_STRUCTS.find((s) => s.name === name);
}
