// Bad input to the `tsbpf` command, table-driven: each case runs the installed command as a child process
// with a small V8 heap, and must end with the documented exit status (1 refused, 2 bad usage or unreadable
// input) and exactly one line on stderr: no crash, no stack trace, no unbounded output.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../corpus.js';
import { installPackage } from '../installed-package.js';
import { runCli } from '../run-cli.js';
import { jitAvailable } from '../../src/api/engine-choice.js';

const work = mkdtempSync(join(tmpdir(), 'tsbpf-bad-input-'));
let installed = '';
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A heap this small turns any whole-input copy of a 100 MB packet, or unbounded trace, into a crash. */
const HEAP_MB = 64;

const progs = (name: string) => join(REPO_ROOT, 'test', 'progs', name);
const file = (name: string) => join(work, name);

function tsbpf(args: readonly string[]) {
  return spawnSync(
    process.execPath,
    [`--max-old-space-size=${HEAP_MB}`, join(installed, 'bin', 'tsbpf.js'), ...args],
    { cwd: work, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
}

/** A program that prints one line with bpf_trace_printk per run, assembled by the command itself. */
const TRACE_ASM = `
	.section	xdp,"ax",@progbits
	.globl	xdp_trace
	.type	xdp_trace,@function
xdp_trace:
	r1 = 0xa6f6c6c6568 ll
	*(u64 *)(r10 - 8) = r1
	r1 = r10
	r1 += -8
	r2 = 8
	call 6
	r0 = 2
	exit
	.section	license,"aw",@progbits
_license:
	.asciz	"GPL"
`;

beforeAll(async () => {
  installed = installPackage(work);
  writeFileSync(file('empty.bin'), new Uint8Array(0));
  writeFileSync(file('13.bin'), new Uint8Array(13));
  writeFileSync(file('64.bin'), new Uint8Array(64));
  writeFileSync(file('3713.bin'), new Uint8Array(3713));
  writeFileSync(file('ctx-4097.bin'), new Uint8Array(4097));
  const ctx = new Uint8Array(32);
  ctx[4] = 64; // data_end
  ctx[30] = 1; // past struct xdp_md (24 bytes): must be zero
  writeFileSync(file('ctx-tail.bin'), ctx);
  writeFileSync(file('not-elf.o'), 'not an object\n');
  writeFileSync(file('huge.bin'), '');
  truncateSync(file('huge.bin'), 100 * 1024 * 1024); // sparse: 100 MB of zeros
  writeFileSync(file('trace.s'), TRACE_ASM);
  const assembled = await runCli('asm', file('trace.s'), '-o', file('trace.o'));
  expect(assembled.stderr).toBe('');
}, 300_000);

interface BadInput {
  name: string;
  args: string[];
  status: 1 | 2;
  /** What the one stderr line must say (errno or the reason). */
  says: RegExp;
}

const xdp = () => ['run', progs('xdp_flow.o'), '--program', 'xdp_flow_count'];
const tc = () => ['run', progs('stack_args.o'), '--program', 'tc_stack_summary'];
const socket = () => ['run', progs('calls_basic.o'), '--program', 'sock_diamond'];

const CASES: BadInput[] = [
  // sizes the kernel refuses (test/integration/testrun-limits-kernel.test.ts compares them with it)
  { name: 'empty packet, xdp', args: [...xdp(), '--data', file('empty.bin')], status: 1, says: /EINVAL/ },
  {
    name: 'empty packet, socket',
    args: [...socket(), '--data', file('empty.bin')],
    status: 1,
    says: /EINVAL/,
  },
  { name: '13-byte packet, tc', args: [...tc(), '--data', file('13.bin')], status: 1, says: /EINVAL/ },
  { name: 'packet past a page, tc', args: [...tc(), '--data', file('3713.bin')], status: 1, says: /EINVAL/ },
  { name: '100 MB packet, xdp', args: [...xdp(), '--data', file('huge.bin')], status: 1, says: /ENOMEM/ },
  {
    name: '100 MB packet, socket',
    args: [...socket(), '--data', file('huge.bin')],
    status: 1,
    says: /EINVAL/,
  },
  {
    name: 'ctx past a page',
    args: [...xdp(), '--data', file('64.bin'), '--ctx', file('ctx-4097.bin')],
    status: 1,
    says: /E2BIG/,
  },
  {
    name: 'ctx not zero past struct xdp_md',
    args: [...xdp(), '--data', file('64.bin'), '--ctx', file('ctx-tail.bin')],
    status: 1,
    says: /E2BIG/,
  },
  // repeats
  {
    name: 'repeat past u32',
    args: [...xdp(), '--data', file('64.bin'), '--repeat', '4294967296'],
    status: 2,
    says: /--repeat/,
  },
  {
    name: 'repeat not a number',
    args: [...xdp(), '--data', file('64.bin'), '--repeat', '1e9'],
    status: 2,
    says: /--repeat/,
  },
  {
    name: 'negative repeat',
    args: [...xdp(), '--data', file('64.bin'), '--repeat=-1'],
    status: 2,
    says: /--repeat/,
  },
  // wrong program types and programs
  {
    name: 'program type without a test run (tracepoint)',
    args: ['run', progs('tracing.o'), '--program', 'trace_openat', '--data', file('64.bin')],
    status: 1,
    says: /ENOTSUPP|524/,
  },
  {
    name: 'no such program',
    args: [...xdp().slice(0, 3), 'nope', '--data', file('64.bin')],
    status: 1,
    says: /nope/,
  },
  // Only while tsbpf has no JIT: asking for it is then a load refusal naming why.
  ...(jitAvailable()
    ? []
    : ([
        {
          name: 'engine not built',
          args: [...xdp(), '--data', file('64.bin'), '--engine', 'jit'],
          status: 1,
          says: /engine 'jit' is not available/,
        },
      ] as BadInput[])),
  {
    name: 'unknown engine',
    args: [...xdp(), '--data', file('64.bin'), '--engine', 'fast'],
    status: 2,
    says: /--engine/,
  },
  // files and usage
  {
    name: 'missing packet file',
    args: [...xdp(), '--data', file('none.bin')],
    status: 2,
    says: /cannot read/,
  },
  {
    name: 'missing object',
    args: ['run', file('none.o'), '--program', 'x', '--data', file('64.bin')],
    status: 2,
    says: /cannot read/,
  },
  {
    name: 'object that is not ELF',
    args: ['run', file('not-elf.o'), '--program', 'x', '--data', file('64.bin')],
    status: 1,
    says: /not-elf\.o/,
  },
  // --data is optional (sk_lookup, syscall and raw_tracepoint take none): an xdp run without it is refused as the kernel does
  { name: 'xdp without --data', args: xdp(), status: 1, says: /EINVAL: data of 0 bytes/ },
  {
    name: 'unknown option',
    args: [...xdp(), '--data', file('64.bin'), '--packet-size', '9'],
    status: 2,
    says: /packet-size/,
  },
  {
    name: 'map dump of an unknown map',
    args: ['map', 'dump', progs('xdp_flow.o'), '--map', 'nope'],
    status: 1,
    says: /nope/,
  },
  {
    name: 'map dump after a refused run',
    args: ['map', 'dump', progs('xdp_flow.o'), '--program', 'xdp_flow_count', '--data', file('empty.bin')],
    status: 1,
    says: /EINVAL/,
  },
];

describe('tsbpf on bad input: one stderr line, the documented exit status, bounded memory', () => {
  for (const bad of CASES) {
    it(bad.name, () => {
      const result = tsbpf(bad.args);
      expect(result.signal).toBeNull();
      const lines = result.stderr.split('\n').filter((line) => line !== '');
      expect(lines, result.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^tsbpf (run|map): /);
      expect(lines[0]).not.toMatch(/internal error/);
      expect(lines[0]).toMatch(bad.says);
      expect(result.status).toBe(bad.status);
    });
  }

  it('--repeat 300000 with bpf_trace_printk: the trace stays bounded and the dropped lines are counted', () => {
    const result = tsbpf([
      'run',
      file('trace.o'),
      '--program',
      'xdp_trace',
      '--data',
      file('64.bin'),
      '--repeat',
      '300000',
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    const held = lines.filter((line) => line === 'trace: hello').length;
    const dropped = Number(/^trace: (\d+) earlier lines dropped/m.exec(result.stdout)?.[1]);
    // 1408 KiB of trace buffer at 5 + 1 + 16 bytes per line.
    expect(held).toBe(Math.floor(1_441_792 / 22));
    expect(held + dropped).toBe(300_000);
  });
});
