// The run configuration every loading command shares: --type, --expected-attach-type, --maps FILE, --budget,
// --cpus; parsed once here and applied to an object the way a libbpf skeleton's user space prepares it.

import { Bpf } from '../api/bpf.js';
import type { ObjectHandle } from '../api/object-handle.js';
import { parseFixture } from '../object/fixture.js';
import { ObjectError } from '../object/object-error.js';
import { attachTypeByName, programTypeByName } from '../abi/program-types.js';
import type { EngineName } from '../vm/runtime.js';
import { UsageError } from './cli-error.js';
import { readInput, readText } from './io.js';

/** parseArgs option specs of the run configuration. */
export const RUN_CONFIG_OPTIONS = {
  type: { type: 'string' },
  'expected-attach-type': { type: 'string' },
  maps: { type: 'string' },
  budget: { type: 'string' },
  cpus: { type: 'string' },
  btf: { type: 'string' },
} as const;

/** Lines for a command's --help. */
export const RUN_CONFIG_HELP = `  --type TYPE      load the program(s) as this type ('xdp', 'sched_cls', ...) whatever the
                   section name says (bpftool's 'type'; libbpf's bpf_program__set_type)
  --expected-attach-type TYPE
                   the expected attach type ('cgroup_inet_ingress', ...)
  --maps FILE      a fixture applied before the load:
                   {"maps": {"NAME": {"maxEntries": N, "entries": [{"key": K, "value": V}]}},
                    "globals": {"VAR": V}, "kconfig": {"CONFIG_HZ": 1000, "CONFIG_X": "m"},
                    "conntrack": [{"saddr": A, "daddr": A, "sport": N, "dport": N, "proto": "tcp"}],
                    "network": {"devices": [{"ifindex": N, "name": S, "mtu": N, "mac": "02:00:..."}],
                                "routes": [{"prefix": "10.0.0.0/8", "ifindex": N, "via": A}],
                                "neighbours": [{"address": A, "ifindex": N, "mac": M}]}}
                   keys and values are hex of exactly the key/value size, or JSON shaped by the
                   BTF type (members by name, arrays, enum names, 64-bit integers as strings);
                   per-CPU maps take "value" (every CPU) or "values" (one per CPU); prog arrays
                   and maps of maps take program and map names; globals set .data/.rodata/.bss
                   variables by name; "network" declares the namespace besides lo: devices
                   (ifindex, name, mtu, mac, forwarding, up, carrier, addresses), loopbackUp,
                   routes (prefix, ifindex, via or nexthops [{ifindex, via, weight}], metric,
                   mtu, type, table, src, encap, tos), rules (priority, from, to, fwmark, fwmask,
                   iif, oif, tos, ipproto, sport, dport, uidrange, table, action, family),
                   neighbours (address, ifindex, mac), sockets (kind, localAddress, localPort,
                   remoteAddress, remotePort, uid, cookie, v6Only, boundDevice, reuseport),
                   netnsId and peers [{id, network}]; a sockmap, sockhash or
                   reuseport_sockarray value is a socket's place in "sockets" (0 for the first);
                   "kconfig" sets __kconfig values over the reference
                   kernel's (.config text, a number, a boolean, or null for "not set")
  --budget N       checked mode's instruction budget per run (default 1000000)
  --cpus N         possible CPUs (per-CPU maps hold N values; default 1)
  --btf FILE       the kernel's BTF (raw, as /sys/kernel/btf/vmlinux; libbpf's btf_custom_path):
                   CO-RE relocations and kernel-struct pointers use it instead of tsbpf's table`;

export interface RunConfig {
  readonly type?: string;
  readonly expectedAttachType?: string;
  readonly fixtureFile?: string;
  readonly budget?: number;
  readonly cpus?: number;
  /** --btf: the kernel BTF file objects are opened with. */
  readonly kernelBtfFile?: string;
  /** --engine: the engine the programs are loaded with (default: the JIT for verified programs when available). */
  readonly engine?: EngineName;
}

type RunConfigValues = { [K in keyof typeof RUN_CONFIG_OPTIONS]?: string | undefined };

function positiveInteger(flag: string, text: string, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) {
    throw new UsageError(`${flag}: '${text}' is not an integer 1..${max}`);
  }
  return Number(text);
}

export function parseRunConfig(values: RunConfigValues): RunConfig {
  const type = values.type;
  if (type !== undefined && (programTypeByName(type) === undefined || type === 'unspec')) {
    throw new UsageError(
      `--type: unknown program type '${type}' (libbpf's names: xdp, sched_cls, socket_filter, ...)`,
    );
  }
  const attach = values['expected-attach-type'];
  if (attach !== undefined && attachTypeByName(attach) === undefined) {
    throw new UsageError(
      `--expected-attach-type: unknown attach type '${attach}' (libbpf's names: cgroup_inet_ingress, ...)`,
    );
  }
  return {
    ...(values.type === undefined ? {} : { type: values.type }),
    ...(values['expected-attach-type'] === undefined
      ? {}
      : { expectedAttachType: values['expected-attach-type'] }),
    ...(values.maps === undefined ? {} : { fixtureFile: values.maps }),
    ...(values.budget === undefined
      ? {}
      : { budget: positiveInteger('--budget', values.budget, 0xffff_ffff) }),
    ...(values.cpus === undefined ? {} : { cpus: positiveInteger('--cpus', values.cpus, 4096) }),
    ...(values.btf === undefined ? {} : { kernelBtfFile: values.btf }),
  };
}

/** openObject's options for --btf FILE: the file's bytes as the kernel's BTF, named by its path. */
export function kernelBtfOption(file: string | undefined): {
  kernelBtf?: Uint8Array;
  kernelBtfName?: string;
} {
  return file === undefined ? {} : { kernelBtf: readInput(file), kernelBtfName: file };
}

/**
 * Opens FILE.o on a new Bpf, applies the configuration and loads it: only `program` and the programs
 * initialised prog arrays place when one is named, else every program; other programs' refusals go to `warn`.
 */
export function openConfigured(
  file: string,
  config: RunConfig,
  program: string | undefined,
  warn: (text: string) => void,
  logLevel = 0,
): { bpf: Bpf; object: ObjectHandle } {
  const bpf = new Bpf(config.cpus === undefined ? {} : { cpus: config.cpus });
  const object = bpf.openObject(readInput(file), file, kernelBtfOption(config.kernelBtfFile));
  if (config.type !== undefined || config.expectedAttachType !== undefined) {
    const override = {
      ...(config.type === undefined ? {} : { type: config.type }),
      ...(config.expectedAttachType === undefined ? {} : { expectedAttachType: config.expectedAttachType }),
    };
    for (const name of program === undefined ? object.programNames : [program]) {
      object.setProgramType(name, override);
    }
  }
  if (config.fixtureFile !== undefined) {
    const fixture = parseFixture(readText(config.fixtureFile), config.fixtureFile);
    object.applyFixture(fixture, config.fixtureFile);
  }
  object.load({
    ...(program === undefined ? {} : { programs: [program] }),
    ...(config.engine === undefined ? {} : { engine: config.engine }),
    onRefusal: 'warn',
    logLevel,
  });
  for (const warning of object.warnings) {
    const reason = (warning.cause instanceof ObjectError ? warning.cause.reason : warning.message)
      .split('\n')[0]
      .replace(`prog '${warning.program}': `, '');
    warn(`warning: prog '${warning.program}' (section '${warning.section}') not loaded: ${reason}`);
  }
  return { bpf, object };
}
