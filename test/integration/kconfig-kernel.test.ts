// __kconfig externs against libbpf and the kernel: the .kconfig map's bytes, what the program copies out and
// its return value, with the reference kernel's config and with values the user gives; refusals with
// libbpf's words and errno.

import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { ObjectError } from '../../src/object/object-error.js';
import { bytesToHex } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';

const oracle = requireOracle();
const OBJECT = 'test/progs/net/kfunc_kconfig.o';
const MISSING = 'test/progs/net/kfunc_kconfig_missing.o';
const PACKETS = [14, 60, 64, 128, 1500].map((n) => new Uint8Array(n).map((_, i) => (i * 7 + n) & 0xff));

type Kconfig = Readonly<Record<string, string>>;
const kconfigText = (values: Kconfig) =>
  Object.entries(values)
    .map(([name, value]) => `${name}=${value}\n`)
    .join('');

/** tsbpf's run of xdp_kconfig on each packet: retval and every map's entries in hex, as the oracle dumps them. */
function tsbpfRuns(values: Kconfig | undefined) {
  const bpf = new Bpf();
  const object = bpf.openObject(readFileSync(OBJECT), 'kfunc_kconfig.o', values ? { kconfig: values } : {});
  object.load();
  const fd = object.program('xdp_kconfig').handle.fd;
  return PACKETS.map((data) => {
    const run = bpf.testRun(fd, { data });
    expect(run.error).toBeUndefined();
    return {
      retval: run.retval,
      maps: object.mapNames.map((name) => ({
        name,
        entries: bpf
          .mapDump(object.mapFd(name))
          .map((e) => ({ key: bytesToHex(e.key), value: bytesToHex(e.value!) })),
      })),
    };
  });
}

function kernelRuns(values: Kconfig | undefined) {
  return PACKETS.map((data) => {
    const result = oracle.runObject(OBJECT, {
      data,
      dumpMaps: true,
      ...(values ? { kconfig: kconfigText(values) } : {}),
    });
    const program = result.programs[0];
    expect(program.verdict, program.libbpfLog + program.log).toBe('accepted');
    return {
      retval: program.testRun!.retval,
      maps: program.maps!.map((m) => ({
        name: m.name,
        entries: (m.entries ?? []).map((e) => ({ key: e.key, value: e.value })),
      })),
    };
  });
}

/** The ObjectError tsbpf's load gives, or undefined when it loads. */
function tsbpfRefusal(path: string, values: Kconfig | undefined): ObjectError | undefined {
  const bpf = new Bpf();
  try {
    bpf
      .openObject(
        readFileSync(path),
        path.slice(path.lastIndexOf('/') + 1),
        values ? { kconfig: values } : {},
      )
      .load();
  } catch (error) {
    if (error instanceof ObjectError) return error;
    throw error;
  }
  return undefined;
}

oracle.describe('__kconfig externs equal libbpf and the kernel', () => {
  oracle.it("with the reference kernel's config (5 packets)", () => {
    expect(tsbpfRuns(undefined)).toEqual(kernelRuns(undefined));
  });

  oracle.it('with values the user gives (tristate m, a truncated string, a weak extern set, hex)', () => {
    const values = {
      CONFIG_HZ: '1000',
      CONFIG_TSBPF_NOT_SET: '0x7f',
      CONFIG_TSBPF_TRISTATE: 'm',
      CONFIG_TSBPF_BOOL: 'y',
      CONFIG_BPF_JIT: 'n',
      CONFIG_DEFAULT_HOSTNAME: '"a-longer-hostname"',
      CONFIG_PGTABLE_LEVELS: '017',
    };
    const ours = tsbpfRuns(values);
    expect(ours).toEqual(kernelRuns(values));
    expect(ours[0].retval).toBe(3); // XDP_TX: CONFIG_TSBPF_BOOL reached the program
  });

  const refusals: [string, string, Kconfig | undefined, string][] = [
    [
      'a strong extern the config lacks',
      MISSING,
      undefined,
      "extern 'CONFIG_TSBPF_MISSING' (strong): not resolved",
    ],
    [
      'm for a bool',
      OBJECT,
      { CONFIG_BPF_SYSCALL: 'm' },
      "'CONFIG_BPF_SYSCALL': value 'm' implies tristate or char type",
    ],
    ['a string for an int', OBJECT, { CONFIG_HZ: '"x"' }, `'CONFIG_HZ': value '"x"' implies char array type`],
    [
      'y for an int',
      OBJECT,
      { CONFIG_HZ: 'y' },
      "'CONFIG_HZ': value 'y' implies bool, tristate, or char type",
    ],
    [
      'a number for a bool',
      OBJECT,
      { CONFIG_TSBPF_BOOL: '1' },
      "'CONFIG_TSBPF_BOOL': value '1' implies integer type",
    ],
    [
      'a number too big for one byte',
      OBJECT,
      { CONFIG_PGTABLE_LEVELS: '300' },
      "value '300' doesn't fit in 1 bytes",
    ],
    ['not a number', OBJECT, { CONFIG_HZ: '12abc' }, "'CONFIG_HZ': value '12abc' isn't a valid integer"],
    ['an unterminated string', OBJECT, { CONFIG_DEFAULT_HOSTNAME: '"abc' }, `invalid string config '"abc'`],
  ];
  for (const [name, path, values, reason] of refusals) {
    oracle.it(`refuses ${name} as libbpf does`, () => {
      const kernel = oracle.runObject(path, values ? { kconfig: kconfigText(values) } : {}).programs[0];
      expect(kernel.verdict).toBe('rejected');
      expect(kernel.libbpfLog).toContain(reason);
      const ours = tsbpfRefusal(path, values);
      expect(ours?.reason).toContain(reason);
      expect(ours?.errno).toBe(kernel.errno);
    });
  }
});
