import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assembleInsns } from '../isa/assembler.js';
import { Bpf } from '../api/bpf.js';
import { openObject } from '../object/open-object.js';
import { relocateProgram } from '../object/relocate-program.js';
import { buildExecutable } from '../vm/executable.js';
import { pureLeavesOf } from './pure-leaves.js';

/** The leaves chosen in a program of `main` calling each function of `bodies` once. */
function chosen(bodies: readonly string[]): number[] {
  const lines = ['r6 = r1'];
  for (const index of bodies.keys()) lines.push('r1 = r6', `call f${index}`);
  lines.push('r0 = 0', 'exit');
  for (const [index, body] of bodies.entries()) lines.push(`f${index}:`, body, 'exit');
  const program = buildExecutable(assembleInsns(lines.join('\n')), { type: 'xdp', name: 'prog' });
  return [...pureLeavesOf(program).keys()];
}

describe('pureLeavesOf', () => {
  it('takes small straight-line leaves on r0-r5 and nothing that could fault, call, branch or use r6-r10', () => {
    const pure = 'r0 = r1\nr0 ^= r2\nr0 *= 16777619\nr3 = 5\nw0 /= w3\nr0 = be16 r0\nr4 = 1 ll\nr0 += r4';
    expect(
      chosen([
        pure, // 1: inlined
        'r0 = *(u8 *)(r1 + 0)', // 2: a load may fault
        '*(u8 *)(r10 - 1) = r1\nr0 = 0', // 3: stack
        'r6 = 1\nr0 = r6', // 4: r6 is the caller's
        'r0 = 0\nif r1 > 3 goto +1\nr0 = 1', // 5: a branch
        'r0 = 0\ncall 5', // 6: a helper call
        Array(24).fill('r0 += 1').join('\n'), // 7: 25 instructions with its exit
        Array(23).fill('r0 += 1').join('\n'), // 8: 24, the most taken
      ]),
    ).toEqual([1, 8]);
  });

  it('finds the bench programs’ hashing and mixing steps', () => {
    const leaves = (file: string, name: string): string[] => {
      const object = openObject(new Uint8Array(readFileSync(`bench/progs/${file}`)), file);
      const program = relocateProgram(object, name);
      const bpf = new Bpf();
      const fd = bpf
        .openObject(new Uint8Array(readFileSync(`bench/progs/${file}`)), file)
        .load()
        .program(name).handle.fd;
      const executable = bpf.program(fd).executable;
      return [...pureLeavesOf(executable).values()].map(
        (leaf) => program.functions.find((placed) => placed.start === leaf.start)!.name,
      );
    };
    expect(leaves('fnv1a.o', 'bench_fnv1a').sort()).toEqual(['fnv1a_finish', 'fnv1a_step']);
    expect(leaves('calls.o', 'bench_calls')).toEqual(['mix_inner']);
  });
});
