// `tsbpf map dump FILE.o [--map NAME] [--program NAME --data FILE ...]`: a loaded object's maps, optionally after a run.

import { parseArgs } from 'node:util';
import type { Bpf } from '../api/bpf.js';
import { EXIT_OK, UsageError } from './cli-error.js';
import { readInput } from './io.js';
import { dumpObjectMaps, formatMaps, loadAndRun, parseEngine, parseRepeat, testRunRefusal } from './run.js';
import { openConfigured, parseRunConfig, RUN_CONFIG_HELP, RUN_CONFIG_OPTIONS } from './run-config.js';

export const mapHelp = `Usage: tsbpf map dump FILE.o [--map NAME] [--program NAME --data FILE [--ctx FILE]
                     [--repeat N] [--engine interp|jit]] [--type TYPE] [--expected-attach-type TYPE]
                     [--maps FILE] [--budget N] [--cpus N] [--json]

Loads the object and prints its maps' entries (keys and values in hex, per-CPU maps with every
CPU's value) as user space sees them: right after the load (global data, initialised prog arrays
and maps of maps, the --maps fixture), or after test-running --program on --data. Without
--program every program is loaded and a refused one is a warning on stderr; with it, only that
program and the programs initialised prog arrays place.

Options:
  --map NAME      only this map
  --program NAME  run this program first (with --data, --ctx, --repeat, --engine as in 'tsbpf run')
${RUN_CONFIG_HELP}
                   (without --program, --type applies to every program, as bpftool's loadall)
  --json          print JSON: [{name, type, entries: [{key, value}]}]
  -h, --help      show this help

Exit status: 0 success, 1 the object or the run was refused, 2 bad usage or unreadable input
(a fixture that does not fit the object included).`;

export function runMap(
  args: string[],
  out: (text: string) => void,
  err: (text: string) => void = () => {},
): number {
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
  if ((values.program === undefined) !== (values.data === undefined)) {
    throw new UsageError('--program and --data go together');
  }
  const file = positionals[0];
  const config = parseRunConfig(values);
  let refusal: Error | undefined;
  let loaded: { bpf: Bpf; object: ReturnType<Bpf['openObject']> };
  if (values.program !== undefined && values.data !== undefined) {
    const repeat = parseRepeat(values.repeat);
    const engine = parseEngine(values.engine);
    const ctx = values.ctx === undefined ? undefined : readInput(values.ctx);
    const { bpf, object, result } = loadAndRun(
      file,
      {
        program: values.program,
        data: readInput(values.data),
        ...(ctx === undefined ? {} : { ctx }),
        ...(repeat === undefined ? {} : { repeat }),
        ...(engine === undefined ? {} : { engine }),
        config,
      },
      err,
    );
    // The maps as the refused run left them are still printed; the refusal is the one stderr line.
    if (result.error !== undefined) refusal = testRunRefusal(values.program, result);
    loaded = { bpf, object };
  } else {
    loaded = openConfigured(file, config, undefined, err);
  }
  const maps = dumpObjectMaps(loaded.bpf, loaded.object, values.map);
  if (values.json) out(JSON.stringify(maps));
  else for (const line of formatMaps(maps)) out(line);
  if (refusal !== undefined) throw refusal;
  return EXIT_OK;
}
