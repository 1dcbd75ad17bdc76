// Linux errno values (x86-64, asm-generic) that bpf() and BPF helpers return, as named numbers.

export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  EINTR: 4,
  EIO: 5,
  ENXIO: 6,
  E2BIG: 7,
  ENOEXEC: 8,
  EBADF: 9,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  EXDEV: 18,
  ENODEV: 19,
  ENOTDIR: 20,
  EINVAL: 22,
  ENFILE: 23,
  EMFILE: 24,
  ENOSPC: 28,
  ERANGE: 34,
  EDEADLK: 35,
  ENAMETOOLONG: 36,
  ENOSYS: 38,
  ELOOP: 40,
  ENOMSG: 42,
  ENODATA: 61,
  ETIME: 62,
  EPROTO: 71,
  EBADMSG: 74,
  EOVERFLOW: 75,
  EPROTOTYPE: 91,
  EPROTONOSUPPORT: 93,
  ESOCKTNOSUPPORT: 94,
  EOPNOTSUPP: 95,
  EAFNOSUPPORT: 97,
  EADDRINUSE: 98,
  EADDRNOTAVAIL: 99,
  ENETDOWN: 100,
  ENETUNREACH: 101,
  ENOBUFS: 105,
  ENOTCONN: 107,
  ETIMEDOUT: 110,
  ECONNREFUSED: 111,
  EHOSTUNREACH: 113,
  EALREADY: 114,
  EINPROGRESS: 115,
  ECANCELED: 125,
  EKEYREJECTED: 129,
  ENOTSUPP: 524,
} as const;

export type ErrnoName = keyof typeof ERRNO;

/** Kernel: EOPNOTSUPP and ENOTSUP are one value in user space. */
export const ENOTSUP = ERRNO.EOPNOTSUPP;

const errnoNames = new Map<number, ErrnoName>(
  (Object.entries(ERRNO) as [ErrnoName, number][]).map(([name, value]) => [value, name]),
);

/** The name of an errno value (positive or the kernel's negative return), or undefined. */
export function errnoName(value: number): ErrnoName | undefined {
  return errnoNames.get(Math.abs(value));
}
