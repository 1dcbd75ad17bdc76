// `tsbpf inspect FILE.o [--json]`: programs with their functions and instruction ranges, call graph, maps, relocations.

import { parseArgs } from 'node:util';
import { describeObject, type ObjectDescription } from '../object/describe-object.js';
import { kernelTypesFromBtf } from '../object/kernel-btf.js';
import { openObject } from '../object/open-object.js';
import { UsageError } from './cli-error.js';
import { readInput } from './io.js';

export const inspectHelp = `Usage: tsbpf inspect FILE.o [--json] [--btf FILE]

Shows what a BPF object holds as tsbpf loads it (libbpf's rules): each program with its type,
the functions appended to it and their final instruction ranges, the call graph, the maps and
global data it uses, the object's maps and its relocations.

Options:
  --json     print the description as JSON
  --btf FILE the kernel's BTF (raw, as /sys/kernel/btf/vmlinux) CO-RE relocations resolve against
  -h, --help show this help`;

function formatText(d: ObjectDescription): string {
  const lines: string[] = [];
  lines.push(`object ${d.name} (${d.file})`);
  lines.push(`  license: ${d.license || '(none)'}`);
  lines.push('');
  lines.push(`programs (${d.programs.length}):`);
  for (const p of d.programs) {
    lines.push(
      `  ${p.name}  section ${p.section}  type ${p.type ?? '(unknown section)'}  ${p.insnCount} insns`,
    );
    if (p.error !== undefined) lines.push(`    error: ${p.error}`);
    for (const f of p.functions) {
      const end = f.start + f.count - 1;
      lines.push(
        `    [${f.start}..${end}] ${f.name}  (${f.section} insns ${f.sectionStart}..${f.sectionStart + f.count - 1}, ${f.global ? 'global' : 'static'})`,
      );
    }
    for (const c of p.calls) {
      lines.push(
        `    call graph: ${c.caller} -> ${c.callee} at insn ${c.insn}${c.kind === 'address' ? ' (address)' : ''}`,
      );
    }
    if (p.maps.length > 0) lines.push(`    maps: ${p.maps.join(', ')}`);
  }
  if (d.unusedFunctions.length > 0)
    lines.push(`  functions no program reaches: ${d.unusedFunctions.join(', ')}`);
  lines.push('');
  lines.push(`maps (${d.maps.length}):`);
  for (const m of d.maps) {
    lines.push(
      `  ${m.name}  ${m.type}  key ${m.keySize}  value ${m.valueSize}  max_entries ${m.maxEntries}  flags 0x${m.flags.toString(16)}  (${m.origin}, ${m.section})`,
    );
    if (m.inner !== undefined)
      lines.push(`    inner: ${m.inner.type} key ${m.inner.keySize} value ${m.inner.valueSize}`);
  }
  lines.push('');
  lines.push(`relocations (${d.relocations.length}):`);
  for (const r of d.relocations) {
    lines.push(
      `  ${r.section} insn ${r.insn}  ${r.type}  ${r.kind}  ${r.symbol}${r.map === undefined ? '' : ` -> map ${r.map}`}`,
    );
  }
  return lines.join('\n');
}

export function runInspect(args: string[], out: (text: string) => void): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      btf: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out(inspectHelp);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('inspect takes exactly one object file');
  const path = positionals[0];
  const kernelTypes =
    values.btf === undefined ? undefined : kernelTypesFromBtf(readInput(values.btf), values.btf);
  const description = describeObject(
    openObject(readInput(path), path),
    kernelTypes === undefined ? {} : { kernelTypes },
  );
  out(values.json ? JSON.stringify(description, null, 2) : formatText(description));
  return description.programs.some((p) => p.error !== undefined) ? 1 : 0;
}
