// `tsbpf map dump FILE.o [--map NAME] [--program NAME --data FILE ...]`: a loaded object's maps, optionally after a run.

import { parseArgs } from 'node:util';
import type { Bpf } from '../api/bpf.js';
import { EXIT_OK, EXIT_REFUSED, UsageError } from './cli-error.js';
import { readInput } from './io.js';
import { dumpObjectMaps, mapDumpsToJson, mapDumpsToText } from './map-dump-format.js';
import { ProgramLocations } from './program-locations.js';
import { loadAndRun, parseEngine, parseRepeat, parseU32 } from './run.js';
import { openConfigured, parseRunConfig, RUN_CONFIG_HELP, RUN_CONFIG_OPTIONS } from './run-config.js';
import { faultLines } from './run-output.js';

export const mapHelp = `Usage: tsbpf map dump FILE.o [--map NAME] [--program NAME [--data FILE] [--ctx FILE]
                     [--repeat N] [--flags N] [--cpu N] [--engine interp|jit]] [--type TYPE]
                     [--expected-attach-type TYPE] [--maps FILE] [--budget N] [--cpus N] [--json]

Loads the object and prints its maps' entries as user space sees them, the way 'bpftool map dump'
prints a map: right after the load (global data, initialised prog arrays and maps of maps, the --maps
fixture), or after test-running --program on --data/--ctx. Without --program every program is loaded and a
refused one is a warning on stderr; with it, only that program and the programs initialised prog
arrays place. Global variables are the maps of .data, .rodata and .bss (and custom .data.*/.rodata.*
sections), formatted as their DATASEC: {".data":[{"var":value},...]}.

Maps whose value has a BTF type print as bpftool does for them: a JSON array of {key, value} (per-CPU
maps: {key, values: [{cpu, value}]}) with struct members by name, enums by name, char arrays as
strings, bitfields as hex strings. Other maps print 'key: .. value: ..' lines in hex and 'Found N
elements'. Each map starts with a 'map NAME (TYPE):' line.

Options:
  --map NAME      only this map
  --program NAME  run this program first (with --data, --ctx, --repeat, --flags, --cpu, --engine as in
                  'tsbpf run')
${RUN_CONFIG_HELP}
                   (without --program, --type applies to every program, as bpftool's loadall)
  --json          print JSON: [{name, type, entries}], where entries is exactly what
                  'bpftool map dump -j' prints: [{key: ["0x.."], value: ["0x.."], formatted: {key, value}}]
                  (per-CPU maps: values: [{cpu, value}]; formatted only for maps with BTF)
  -h, --help      show this help

A refusal of the run goes to stderr in one line, a runtime fault with its location (exit status 1);
the maps are printed anyway. Exit status 2: bad usage or unreadable input (a fixture that does not
fit the object included).`;

export function runMap(args: string[], out: (text: string) => void, err: (text: string) => void): number {
  const [action, ...rest] = args;
  if (action === '--help' || action === '-h') {
    out(mapHelp);
    return EXIT_OK;
  }
  if (action !== 'dump') throw new UsageError(`unknown map action '${action ?? ''}' (expected 'dump')`);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      map: { type: 'string' },
      program: { type: 'string' },
      data: { type: 'string' },
      ctx: { type: 'string' },
      repeat: { type: 'string' },
      flags: { type: 'string' },
      cpu: { type: 'string' },
      engine: { type: 'string' },
      ...RUN_CONFIG_OPTIONS,
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out(mapHelp);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError('expected exactly one object file');
  const runInputs = ['data', 'ctx', 'repeat', 'flags', 'cpu'] as const;
  const orphan = runInputs.find((name) => values[name] !== undefined);
  if (values.program === undefined && orphan !== undefined) {
    throw new UsageError(`--${orphan} needs --program (the program to run)`);
  }
  const file = positionals[0];
  const config = parseRunConfig(values);
  let status = EXIT_OK;
  let loaded: { bpf: Bpf; object: ReturnType<Bpf['openObject']> };
  if (values.program !== undefined) {
    const repeat = parseRepeat(values.repeat);
    const flags = parseU32(values.flags, '--flags');
    const cpu = parseU32(values.cpu, '--cpu');
    const engine = parseEngine(values.engine);
    const data = values.data === undefined ? undefined : readInput(values.data);
    const ctx = values.ctx === undefined ? undefined : readInput(values.ctx);
    const { bpf, object, result } = loadAndRun(
      file,
      {
        program: values.program,
        ...(data === undefined ? {} : { data }),
        ...(ctx === undefined ? {} : { ctx }),
        ...(repeat === undefined ? {} : { repeat }),
        ...(flags === undefined ? {} : { flags }),
        ...(cpu === undefined ? {} : { cpu }),
        ...(engine === undefined ? {} : { engine }),
        config,
      },
      err,
    );
    // The maps as the refused run left them are still printed; the refusal is on stderr.
    if (result.error !== undefined) {
      const fault = result.error.fault;
      if (fault === undefined)
        err(`${values.program}: refused: ${result.error.code}: ${result.error.message}`);
      else for (const line of faultLines(values.program, fault, new ProgramLocations(object))) err(line);
      status = EXIT_REFUSED;
    }
    loaded = { bpf, object };
  } else {
    loaded = openConfigured(file, config, undefined, err);
  }
  const maps = dumpObjectMaps(loaded.bpf, loaded.object, values.map);
  if (values.json) out(mapDumpsToJson(maps));
  else for (const line of mapDumpsToText(maps)) out(line);
  return status;
}
