// `tsbpf map dump FILE.o [--map NAME] [--program NAME --data FILE ...]`: a loaded object's maps, optionally after a run.

import { parseArgs } from 'node:util';
import { Bpf } from '../api/bpf.js';
import { EXIT_OK, UsageError } from './cli-error.js';
import { readInput } from './io.js';
import { dumpObjectMaps, formatMaps, loadAndRun, parseEngine, parseRepeat, testRunRefusal } from './run.js';

export const mapHelp = `Usage: tsbpf map dump FILE.o [--map NAME] [--program NAME --data FILE [--ctx FILE]
                     [--repeat N] [--engine interp|jit]] [--json]

Loads the object and prints its maps' entries (keys and values in hex, per-CPU maps with every
CPU's value) as user space sees them: right after the load (global data, initialised prog arrays
and maps of maps), or after test-running --program on --data.

Options:
  --map NAME      only this map
  --program NAME  run this program first (with --data, --ctx, --repeat, --engine as in 'tsbpf run')
  --json          print JSON: [{name, type, entries: [{key, value}]}]
  -h, --help      show this help`;

export function runMap(args: string[], out: (text: string) => void): number {
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
  let refusal: Error | undefined;
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
    // The maps as the refused run left them are still printed; the refusal is the one stderr line.
    if (result.error !== undefined) refusal = testRunRefusal(values.program, result);
    loaded = { bpf, object };
  } else {
    const bpf = new Bpf();
    loaded = { bpf, object: bpf.openObject(readInput(file), file).load() };
  }
  const maps = dumpObjectMaps(loaded.bpf, loaded.object, values.map);
  if (values.json) out(JSON.stringify(maps));
  else for (const line of formatMaps(maps)) out(line);
  if (refusal !== undefined) throw refusal;
  return EXIT_OK;
}
