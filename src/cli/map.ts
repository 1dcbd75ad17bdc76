// `tsbpf map dump FILE.o [--map NAME] [--program NAME --data FILE ...]`: a loaded object's maps, optionally after a run.

import { parseArgs } from 'node:util';
import { Bpf } from '../api/bpf.js';
import { EXIT_OK, EXIT_REFUSED, UsageError } from './cli-error.js';
import { readInput } from './io.js';
import { dumpObjectMaps, mapDumpsToJson, mapDumpsToText } from './map-dump-format.js';
import { ProgramLocations } from './program-locations.js';
import { loadAndRun, parseEngine, parseRepeat } from './run.js';
import { faultLines } from './run-output.js';

export const mapHelp = `Usage: tsbpf map dump FILE.o [--map NAME] [--program NAME --data FILE [--ctx FILE]
                     [--repeat N] [--engine interp|jit]] [--json]

Loads the object and prints its maps' entries as user space sees them, the way 'bpftool map dump'
prints a map: right after the load (global data, initialised prog arrays and maps of maps), or after
test-running --program on --data. Global variables are the maps of .data, .rodata and .bss (and
custom .data.*/.rodata.* sections), formatted as their DATASEC: {".data":[{"var":value},...]}.

Maps whose value has a BTF type print as bpftool does for them: a JSON array of {key, value} (per-CPU
maps: {key, values: [{cpu, value}]}) with struct members by name, enums by name, char arrays as
strings, bitfields as hex strings. Other maps print 'key: .. value: ..' lines in hex and 'Found N
elements'. Each map starts with a 'map NAME (TYPE):' line.

Options:
  --map NAME      only this map
  --program NAME  run this program first (with --data, --ctx, --repeat, --engine as in 'tsbpf run')
  --json          print JSON: [{name, type, entries}], where entries is exactly what
                  'bpftool map dump -j' prints: [{key: ["0x.."], value: ["0x.."], formatted: {key, value}}]
                  (per-CPU maps: values: [{cpu, value}]; formatted only for maps with BTF)
  -h, --help      show this help

A refusal or runtime fault of the run goes to stderr (exit status 1); the maps are printed anyway.`;

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
      engine: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out(mapHelp);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError('expected exactly one object file');
  if ((values.program === undefined) !== (values.data === undefined)) {
    throw new UsageError('--program and --data go together');
  }
  const file = positionals[0];
  let status = EXIT_OK;
  let loaded: { bpf: Bpf; object: ReturnType<Bpf['openObject']> };
  if (values.program !== undefined && values.data !== undefined) {
    const repeat = parseRepeat(values.repeat);
    const engine = parseEngine(values.engine);
    const ctx = values.ctx === undefined ? undefined : readInput(values.ctx);
    const { bpf, object, result } = loadAndRun(file, {
      program: values.program,
      data: readInput(values.data),
      ...(ctx === undefined ? {} : { ctx }),
      ...(repeat === undefined ? {} : { repeat }),
      ...(engine === undefined ? {} : { engine }),
    });
    if (result.error !== undefined) {
      const fault = result.error.fault;
      if (fault === undefined)
        err(`${values.program}: refused: ${result.error.code}: ${result.error.message}`);
      else for (const line of faultLines(values.program, fault, new ProgramLocations(object))) err(line);
      status = EXIT_REFUSED;
    }
    loaded = { bpf, object };
  } else {
    const bpf = new Bpf();
    loaded = { bpf, object: bpf.openObject(readInput(file), file).load() };
  }
  const maps = dumpObjectMaps(loaded.bpf, loaded.object, values.map);
  if (values.json) out(mapDumpsToJson(maps));
  else for (const line of mapDumpsToText(maps)) out(line);
  return status;
}
