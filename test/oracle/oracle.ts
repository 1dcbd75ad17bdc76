// Node-side wrapper of the kernel oracle (oracle.c): builds it, runs it and types the JSON it prints.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Insn, readInsns, writeInsns } from '../../src/isa/insn.js';

/** test/oracle of the repository: found by walking up from this file, so compiled copies (bench/) find it too. */
const ORACLE_DIR = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'test', 'oracle', 'oracle.c'))) {
      return join(dir, 'test', 'oracle');
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('cannot find the tsbpf repository (package.json and test/oracle/oracle.c)');
    dir = parent;
  }
})();
export const ORACLE_SOURCE = join(ORACLE_DIR, 'oracle.c');
export const ORACLE_BUILD_SCRIPT = join(ORACLE_DIR, 'build.sh');
export const ORACLE_BINARY = join(ORACLE_DIR, 'build', 'oracle');

/** Exit statuses of the oracle binary (see README.md). */
export const ORACLE_EXIT = { ok: 0, usage: 2, unavailable: 3 } as const;

/** Output may hold a 64 MiB verifier log, escaped. */
const MAX_OUTPUT_BYTES = 512 * 1024 * 1024;

export type OracleAvailability =
  | { available: true; kernel: string; libbpf: string; possibleCpus: number; unprivilegedBpfDisabled: number }
  | { available: false; reason: string };

/** The oracle binary failed as a tool: bad arguments (exit 2), bpf() refused (exit 3), or a crash. */
export class OracleError extends Error {
  override readonly name: string = 'OracleError';
  constructor(
    message: string,
    readonly exitStatus: number | null,
    readonly args: readonly string[],
    readonly stderr: string,
  ) {
    super(message);
  }
}

/** bpf() itself is refused on this machine (exit 3, `{"unavailable":reason}`). */
export class OracleUnavailableError extends OracleError {
  override readonly name: string = 'OracleUnavailableError';
}

export interface OracleTestRun {
  retval: number;
  /** Lowercase hex of the data_out bytes the kernel returned (on ENOSPC: those that fit). */
  dataOut: string;
  /** data_size_out / ctx_size_out after the call: the full sizes (unchanged where the kernel did not get there). */
  dataSizeOut: number;
  ctxSizeOut: number;
  ctxOut: string;
  durationNs: number;
  /** errno of BPF_PROG_TEST_RUN, 0 when it ran. */
  errno: number;
}

export interface OracleMapEntry {
  key: string;
  /** Percpu maps: every possible CPU's value, each padded to 8 bytes, concatenated. */
  value: string;
}

export interface OracleMapDump {
  /** insns mode: position of the --map. */
  index?: number;
  /** object mode: libbpf's map name. */
  name?: string;
  type?: string;
  /** null when the map cannot be iterated; `notIterable` says why. */
  entries: OracleMapEntry[] | null;
  notIterable?: string;
  truncated?: boolean;
}

export interface OracleMapSpec {
  /** Kernel map type name without prefix, lowercase (`array`, `hash`, `percpu_array`, ...). */
  type: string;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags?: number;
  /** Index of an earlier map used as the inner map template (array_of_maps, hash_of_maps). */
  innerMapIndex?: number;
}

export interface OracleMapInit {
  map: number;
  key: Uint8Array;
  /** Maps of maps: the 4-byte little-endian index of another map. Percpu: one value or all CPUs'. */
  value: Uint8Array;
}

interface OracleRunOptions {
  logLevel?: number;
  data?: Uint8Array;
  ctx?: Uint8Array;
  repeat?: number;
  /** Test-run even without data, ctx or repeat. */
  run?: boolean;
  /** data_size_out / ctx_size_out to give instead of the defaults (64 KiB past the data, 4 KiB). */
  dataSizeOut?: number;
  ctxSizeOut?: number;
  /** test.flags and test.cpu of the run (BPF_F_TEST_RUN_ON_CPU = 1 and friends). */
  testFlags?: number;
  testCpu?: number;
  /** Give a ctx_out buffer even without ctx or where the type refuses one (to see its errno). */
  ctxOut?: boolean;
  dumpMaps?: boolean;
  /** Run in a fresh network namespace (`oracle --netns`): only `lo`, down; no routes, sockets or forwarding. */
  netns?: boolean;
  /**
   * With netns: bring lo up and open these sockets on 127.0.0.1 first (`tcp-listen:PORT`, `udp:PORT`,
   * `tcp-connect:SPORT:DPORT` to an earlier listener; on ::1 `tcp6-listen:PORT`, `udp6:PORT`), kept open while
   * the program runs. More (oracle --help): dual-stack and IPv6-only sockets on ::, sockets bound to a device,
   * request and time-wait sockets, veth pairs, the namespace's id for itself, `peer:ID:SPEC` in a peer namespace.
   */
  netnsSockets?: readonly string[];
  /**
   * With netns: iproute2 commands run in the namespace first, each as `ip` with these space-separated arguments
   * (`link add ...`, `addr add ...`, `route add ...`, `rule add ...`, `neigh add ...`), in order, before the sockets.
   */
  netnsIp?: readonly string[];
}

function netnsArgs(opts: OracleRunOptions): string[] {
  if (!opts.netns) return [];
  return [
    '--netns',
    ...(opts.netnsIp ?? []).flatMap((args) => ['--netns-ip', args]),
    ...(opts.netnsSockets ?? []).flatMap((spec) => ['--netns-socket', spec]),
  ];
}

/** The capabilities `--caps` can keep for a load (all four by default). */
export type OracleCapability = 'bpf' | 'perfmon' | 'net_admin' | 'sys_admin';

export interface OracleInsnsOptions extends OracleRunOptions {
  /** Program type name as libbpf spells it (`socket_filter`, `xdp`, `sched_cls`, `kprobe`, ...). */
  type: string;
  /** LD_IMM64 with src 1 or 2 and imm N refers to `maps[N]`. */
  insns: readonly Insn[] | Uint8Array;
  name?: string;
  license?: string;
  progFlags?: number;
  expectedAttachType?: string;
  unpriv?: boolean;
  /** Keep only these capabilities in the effective set for the load (`--caps`); `[]` is `unpriv`. */
  caps?: readonly OracleCapability[];
  maps?: readonly OracleMapSpec[];
  mapInit?: readonly OracleMapInit[];
}

export interface OracleInsnsResult {
  verdict: 'accepted' | 'rejected';
  errno: number;
  log: string;
  logTruncated: boolean;
  processedInsns: number | null;
  xlatedInsns: number | null;
  testRun: OracleTestRun | null;
  maps: OracleMapDump[] | null;
  /** Present with `unpriv` or `caps`: the sysctl's value, which explains an EPERM. */
  unprivilegedBpfDisabled?: number;
}

export interface OracleObjectOptions extends OracleRunOptions {
  program?: string;
  /** Program name → type (bpf_program__set_type) and expected attach type, before load. */
  types?: Readonly<Record<string, string>>;
  expectedAttachTypes?: Readonly<Record<string, string>>;
  /** Map name → max_entries (bpf_map__set_max_entries), before load. */
  maxEntries?: Readonly<Record<string, number>>;
  /** Global variable name → its bytes, written into its .data/.rodata/.bss initial value before load. */
  globals?: Readonly<Record<string, Uint8Array>>;
  /** Entries written after load, before any test run (percpu maps: one value for every CPU, or all CPUs'). */
  mapInit?: readonly { map: string; key: Uint8Array; value: Uint8Array }[];
  /** Kconfig lines (`CONFIG_X=y`) libbpf reads before the kernel's config (bpf_object_open_opts.kconfig). */
  kconfig?: string;
  /** Samples a user-space producer puts in a user ring buffer after load (submitted, discarded or left reserved). */
  userRingbuf?: readonly { map: string; sample: Uint8Array; fate?: 'submit' | 'discard' | 'reserve' }[];
  /** cgroup_array entries after load: the fd of the cgroup directory `path` at `index`. */
  cgroupArray?: readonly { map: string; index: number; path: string }[];
  /** sockmap/sockhash entries after load: the fd of `netnsSockets[socket]` at `key` (needs netns). */
  netnsSockmap?: readonly { map: string; key: Uint8Array; socket: number }[];
  /** Map entries after load keyed by the fd of `netnsSockets[socket]` (sk_storage; needs netns). */
  netnsSocketKeys?: readonly { map: string; socket: number; value: Uint8Array }[];
  /** Keep only these capabilities for the load (`--caps`, non-empty); libbpf creates the maps with them too. */
  caps?: readonly OracleCapability[];
}

export interface OracleFuncInfo {
  insnOff: number;
  typeId: number;
}

export interface OracleLineInfo {
  insnOff: number;
  line: number;
  col: number;
  file: string | null;
}

export interface OracleObjectProgram {
  name: string;
  section: string;
  type: string;
  expectedAttachType: string;
  /**
   * `object`: from one load of the whole object, every program autoloaded (tail-call targets present,
   * maps shared and carrying state from one program's test run to the next). `single`: the whole load
   * failed, so this program was loaded alone in a fresh object.
   */
  loadMode: 'object' | 'single';
  verdict: 'accepted' | 'rejected';
  errno: number;
  log: string;
  logTruncated: boolean;
  processedInsns: number | null;
  xlatedInsns: number | null;
  /** What libbpf handed the kernel, 16 hex digits per slot; map fds replaced by map indexes. */
  insns: string[];
  /** From the kernel's bpf_prog_info (offsets into the xlated program); null when rejected. */
  funcInfo: OracleFuncInfo[] | null;
  lineInfo: OracleLineInfo[] | null;
  testRun: OracleTestRun | null;
  /** With `dumpMaps`, after this program's test run. */
  maps: OracleMapDump[] | null;
  /** libbpf's messages during the load that produced this report (the whole object's, in `object` mode). */
  libbpfLog: string;
}

export interface OracleObjectMap {
  name: string;
  type: string;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags: number;
  initialValue: string | null;
}

export interface OracleObjectResult {
  /** With netnsSockets: each socket's cookie (SO_COOKIE), in order, as decimal text. */
  netnsSocketCookies?: string[];
  openError: { errno: number; message: string; log: string } | null;
  openLog: string;
  maps: OracleObjectMap[];
  programs: OracleObjectProgram[];
}

export function bytesToHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(hex)) throw new Error(`not a hex string: ${hex}`);
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** Decodes the oracle's `insns` (one hex string per slot) into instruction records. */
export function decodeOracleInsns(hexSlots: readonly string[]): Insn[] {
  return readInsns(hexToBytes(hexSlots.join('')));
}

function mtimeMs(file: string): number | null {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return null;
  }
}

/** Builds the binary when missing or older than oracle.c; returns its path. Safe when test files race. */
export function buildOracle(): string {
  const built = mtimeMs(ORACLE_BINARY);
  const source = mtimeMs(ORACLE_SOURCE);
  if (source === null) throw new OracleError(`missing ${ORACLE_SOURCE}`, null, [], '');
  if (built !== null && built >= source) return ORACLE_BINARY;
  mkdirSync(join(ORACLE_DIR, 'build'), { recursive: true });
  // build beside the target, then rename: other workers may be running the old binary or building too
  const partial = `${ORACLE_BINARY}.${process.pid}.partial`;
  const result = spawnSync('sh', [ORACLE_BUILD_SCRIPT, partial], { encoding: 'utf8' });
  if (result.status !== 0) {
    rmSync(partial, { force: true });
    const why = result.error ? result.error.message : result.stderr.trim();
    throw new OracleError(
      `building the oracle failed: ${why}`,
      result.status,
      [partial],
      result.stderr ?? '',
    );
  }
  renameSync(partial, ORACLE_BINARY);
  return ORACLE_BINARY;
}

function runBinary(args: readonly string[]): unknown {
  return runBinaryParsed(args, (stdout) => JSON.parse(stdout))[0];
}

/** Runs a mode that prints one JSON document per line (`batch`): the documents in order. */
function runBinaryLines(args: readonly string[]): unknown[] {
  return runBinaryParsed(args, (stdout) =>
    stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line)),
  );
}

/** Spawns the oracle, parses its stdout, and turns exit statuses 2 and 3 into typed errors. */
function runBinaryParsed(args: readonly string[], parse: (stdout: string) => unknown): unknown[] {
  const binary = buildOracle();
  const result = spawnSync(binary, args, { encoding: 'utf8', maxBuffer: MAX_OUTPUT_BYTES });
  if (result.error)
    throw new OracleError(`running the oracle failed: ${result.error.message}`, null, args, '');
  let parsed: unknown[];
  try {
    const value = parse(result.stdout);
    parsed = Array.isArray(value) ? value : [value];
  } catch {
    throw new OracleError(
      `oracle printed no JSON (exit ${result.status}, signal ${result.signal}): ${result.stderr.trim()}`,
      result.status,
      args,
      result.stderr,
    );
  }
  // a failure is the last document (a batch may have answered some programs before it)
  const fields = (parsed[parsed.length - 1] ?? {}) as { unavailable?: string; error?: string };
  if (result.status === ORACLE_EXIT.unavailable) {
    throw new OracleUnavailableError(
      fields.unavailable ?? 'bpf() unavailable',
      result.status,
      args,
      result.stderr,
    );
  }
  if (result.status !== ORACLE_EXIT.ok) {
    throw new OracleError(
      fields.error ?? `oracle exited ${result.status}`,
      result.status,
      args,
      result.stderr,
    );
  }
  return parsed;
}

let availability: OracleAvailability | undefined;

/** Whether kernel comparisons can run here: builds the oracle if needed and probes bpf(). Cached. */
export function oracleAvailability(): OracleAvailability {
  if (availability) return availability;
  try {
    const probe = runBinary(['probe']) as Omit<Extract<OracleAvailability, { available: true }>, 'available'>;
    availability = { ...probe, available: true };
  } catch (error) {
    availability = { available: false, reason: error instanceof Error ? error.message : String(error) };
  }
  return availability;
}

/** Runs `body` with a fresh temp dir that is removed afterwards, whatever happens. */
function withTempDir<T>(body: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'tsbpf-oracle-'));
  try {
    return body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runFlags(dir: string, opts: OracleRunOptions): string[] {
  const args: string[] = [];
  if (opts.logLevel !== undefined) args.push('--log-level', String(opts.logLevel));
  if (opts.data) {
    const file = join(dir, 'data.bin');
    writeFileSync(file, opts.data);
    args.push('--data', file);
  }
  if (opts.ctx) {
    const file = join(dir, 'ctx.bin');
    writeFileSync(file, opts.ctx);
    args.push('--ctx', file);
  }
  if (opts.repeat !== undefined) args.push('--repeat', String(opts.repeat));
  if (opts.run) args.push('--run');
  if (opts.dataSizeOut !== undefined) args.push('--data-size-out', String(opts.dataSizeOut));
  if (opts.ctxSizeOut !== undefined) args.push('--ctx-size-out', String(opts.ctxSizeOut));
  if (opts.testFlags !== undefined) args.push('--test-flags', String(opts.testFlags));
  if (opts.testCpu !== undefined) args.push('--test-cpu', String(opts.testCpu));
  if (opts.ctxOut) args.push('--ctx-out');
  if (opts.dumpMaps) args.push('--dump-maps');
  return args;
}

/** The `insns` flags after the instructions: everything but the mode and the instructions themselves. */
function insnsFlags(dir: string, opts: OracleInsnsOptions): string[] {
  const args = runFlags(dir, opts);
  if (opts.name !== undefined) args.push('--name', opts.name);
  if (opts.license !== undefined) args.push('--license', opts.license);
  if (opts.progFlags !== undefined) args.push('--prog-flags', String(opts.progFlags));
  if (opts.expectedAttachType !== undefined) args.push('--expected-attach-type', opts.expectedAttachType);
  if (opts.unpriv || opts.caps?.length === 0) args.push('--unpriv');
  else if (opts.caps !== undefined) args.push('--caps', opts.caps.join(','));
  for (const map of opts.maps ?? []) {
    const fields = [map.type, map.keySize, map.valueSize, map.maxEntries];
    if (map.flags !== undefined || map.innerMapIndex !== undefined) fields.push(map.flags ?? 0);
    if (map.innerMapIndex !== undefined) fields.push(map.innerMapIndex);
    args.push('--map', fields.join(':'));
  }
  for (const init of opts.mapInit ?? []) {
    args.push('--map-init', `${init.map}:${bytesToHex(init.key)}:${bytesToHex(init.value)}`);
  }
  return args;
}

function insnsBytes(opts: OracleInsnsOptions): Uint8Array {
  return opts.insns instanceof Uint8Array ? opts.insns : writeInsns(opts.insns);
}

/** Loads raw instructions with bpf_prog_load() exactly as given (map references by --map index). */
export function runOracleInsns(opts: OracleInsnsOptions): OracleInsnsResult {
  return withTempDir((dir) => {
    const insnsFile = join(dir, 'prog.bin');
    writeFileSync(insnsFile, insnsBytes(opts));
    return runBinary([
      ...netnsArgs(opts),
      'insns',
      '--type',
      opts.type,
      '--insns',
      insnsFile,
      ...insnsFlags(dir, opts),
    ]) as OracleInsnsResult;
  });
}

/**
 * runOracleInsns for many programs in one oracle process (`oracle batch`): results in the order given.
 * Each program gets its own maps, load and log, as with separate calls; only the process is shared.
 */
export function runOracleInsnsBatch(programs: readonly OracleInsnsOptions[]): OracleInsnsResult[] {
  if (programs.length === 0) return [];
  return withTempDir((dir) => {
    const lines = programs.map((opts, index) => {
      // per-program data/ctx files: runFlags names them data.bin/ctx.bin inside the directory it is given
      const own = join(dir, String(index));
      if (opts.data || opts.ctx) mkdirSync(own);
      const args = [
        '--type',
        opts.type,
        '--insns-hex',
        bytesToHex(insnsBytes(opts)),
        ...insnsFlags(own, opts),
      ];
      // the batch file splits on blanks: a name or license with one would shift every later argument
      const blank = args.find((arg) => arg === '' || /\s/.test(arg));
      if (blank !== undefined)
        throw new OracleError(`batch argument '${blank}' is empty or has a blank`, null, args, '');
      return args.join(' ');
    });
    const batchFile = join(dir, 'batch.txt');
    writeFileSync(batchFile, `${lines.join('\n')}\n`);
    const out = runBinaryLines(['batch', batchFile]);
    if (out.length !== programs.length) {
      throw new OracleError(
        `oracle batch answered ${out.length} of ${programs.length} programs`,
        0,
        ['batch'],
        '',
      );
    }
    return out as OracleInsnsResult[];
  });
}

/**
 * Opens a clang-built object with libbpf and loads it whole; when that fails, each program (or
 * `opts.program`) on its own. `loadMode` in each program's report says which.
 */
export function runOracleObject(objectPath: string, opts: OracleObjectOptions = {}): OracleObjectResult {
  return withTempDir((dir) => {
    const args = [...netnsArgs(opts), 'object', objectPath, ...runFlags(dir, opts)];
    if (opts.program !== undefined) args.push('--program', opts.program);
    if (opts.caps !== undefined) args.push('--caps', opts.caps.join(','));
    if (opts.kconfig !== undefined) {
      const file = join(dir, 'kconfig.txt');
      writeFileSync(file, opts.kconfig);
      args.push('--kconfig', file);
    }
    for (const [program, type] of Object.entries(opts.types ?? {})) args.push('--type', `${program}:${type}`);
    for (const [program, type] of Object.entries(opts.expectedAttachTypes ?? {})) {
      args.push('--expected-attach-type', `${program}:${type}`);
    }
    for (const [map, n] of Object.entries(opts.maxEntries ?? {})) args.push('--max-entries', `${map}:${n}`);
    for (const [name, bytes] of Object.entries(opts.globals ?? {})) {
      args.push('--set-global', `${name}:${bytesToHex(bytes)}`);
    }
    for (const init of opts.mapInit ?? []) {
      args.push('--map-init', `${init.map}:${bytesToHex(init.key)}:${bytesToHex(init.value)}`);
    }
    for (const { map, sample, fate } of opts.userRingbuf ?? []) {
      const mark = fate === 'discard' ? '~' : fate === 'reserve' ? '!' : '';
      args.push('--user-ringbuf', `${map}:${mark}${bytesToHex(sample)}`);
    }
    for (const { map, index, path } of opts.cgroupArray ?? []) {
      args.push('--cgroup-array', `${map}:${index}:${path}`);
    }
    for (const { map, socket, value } of opts.netnsSocketKeys ?? []) {
      args.push('--map-init', `${map}:@${socket}:${bytesToHex(value)}`);
    }
    for (const { map, key, socket } of opts.netnsSockmap ?? []) {
      args.push('--netns-sockmap', `${map}:${bytesToHex(key)}:${socket}`);
    }
    return runBinary(args) as OracleObjectResult;
  });
}

/** One user-space command of `oracle mapops`; a key of undefined is NULL (key_size 0, get_next_key's first). */
export type OracleMapOp =
  | { op: 'update'; key?: Uint8Array; value: Uint8Array; flags?: number }
  /** An update whose value is the fd of netns socket number `socket`, in the map's value size (`@N`). */
  | { op: 'update_socket'; key?: Uint8Array; socket: number; flags?: number }
  | { op: 'delete' | 'lookup' | 'lookup_and_delete' | 'next'; key?: Uint8Array }
  /** A lookup whose value buffer holds `value` first (a bloom filter tests it). */
  | { op: 'lookup'; key?: Uint8Array; value: Uint8Array };

export interface OracleMapOpsResult {
  /** With netnsSockets: each socket's cookie (SO_COOKIE), in order, as decimal text. */
  netnsSocketCookies?: string[];
  /** 0, or the errno BPF_MAP_CREATE failed with (then nothing else ran). */
  create: number;
  /** map_flags as bpf_map_info reports them (the kernel adds some, e.g. BPF_F_RDONLY_PROG to devmaps). */
  mapFlags: number | null;
  /** Each command's errno, and the bytes a lookup or get_next_key gave back. */
  ops: { errno: number; value: string | null }[];
  entries: OracleMapEntry[] | null;
  notIterable?: string;
}

/** Creates one map with bpf_map_create() and runs user-space commands on it (`oracle mapops`). */
export function runOracleMapOps(
  map: OracleMapSpec & { mapExtra?: bigint },
  ops: readonly OracleMapOp[],
  opts: Pick<OracleRunOptions, 'netns' | 'netnsSockets'> = {},
): OracleMapOpsResult {
  const args = [
    ...netnsArgs(opts),
    'mapops',
    '--map',
    `${map.type}:${map.keySize}:${map.valueSize}:${map.maxEntries}:${map.flags ?? 0}`,
  ];
  if (map.mapExtra !== undefined) args.push('--map-extra', map.mapExtra.toString());
  const hex = (bytes: Uint8Array | undefined) => (bytes === undefined ? '-' : bytesToHex(bytes));
  for (const op of ops) {
    args.push(
      '--op',
      op.op === 'update'
        ? `update:${hex(op.key)}:${bytesToHex(op.value)}:${op.flags ?? 0}`
        : op.op === 'update_socket'
          ? `update:${hex(op.key)}:@${op.socket}:${op.flags ?? 0}`
          : 'value' in op
            ? `${op.op}:${hex(op.key)}:${bytesToHex(op.value)}`
            : `${op.op}:${hex(op.key)}`,
    );
  }
  return runBinary(args) as OracleMapOpsResult;
}

/** One `ip` query the oracle ran (`oracle ip`): its exit status and output. */
export interface OracleIpAnswer {
  args: string;
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs iproute2 queries (e.g. `-j route get ADDRESS oif DEV mark N`) in a fresh namespace built by `netnsIp`
 * (`oracle --netns --netns-ip ... ip QUERY...`): the kernel's own routing answers, for comparing tsbpf's routing
 * model where bpf_fib_lookup itself stops at the forwarding check.
 */
export function runOracleIp(queries: readonly string[], netnsIp: readonly string[] = []): OracleIpAnswer[] {
  const result = runBinary([...netnsArgs({ netns: true, netnsIp }), 'ip', ...queries]) as {
    ip: OracleIpAnswer[];
  };
  return result.ip;
}
