// `tsbpf objdump` text of every corpus object assembled back by `tsbpf asm`: the same instructions and (with -r) the
// same relocations; stripped of addresses and bytes, everything but what llvm-objdump's text cannot say.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bpfRelocationName,
  type ElfFile,
  parseElf,
  SHF_EXECINSTR,
  STT_SECTION,
} from '../../src/elf/index.js';
import { assemble } from '../../src/isa/assembler.js';
import { readInsns } from '../../src/isa/insn.js';
import { REPO_ROOT } from '../corpus.js';
import { runCli } from '../run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'tsbpf-objdump-roundtrip-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const OBJECTS = ['test/progs', 'test/link', 'test/link/cases'].flatMap((dir) =>
  readdirSync(join(REPO_ROOT, dir))
    .filter((file) => file.endsWith('.o'))
    .sort()
    .map((file) => `${dir}/${file}`),
);

/** Executable sections with their bytes and relocations (section symbols by their section's name). */
function codeOf(elf: ElfFile) {
  return elf.sections
    .filter((s) => (s.flags & SHF_EXECINSTR) !== 0 && s.size > 0)
    .map((s) => ({
      name: s.name,
      insns: readInsns(s.data),
      relocations:
        elf.relocations
          .find((r) => r.target.index === s.index)
          ?.relocations.map((r) => {
            const symbol = elf.symbols[r.symbol];
            return {
              offset: r.offset,
              type: bpfRelocationName(r.type),
              symbol: symbol.type === STT_SECTION ? elf.sections[symbol.shndx].name : symbol.name,
            };
          }) ?? [],
    }));
}

/** The listing as a user might paste it: no addresses, no encoding bytes. */
function stripped(listing: string): string {
  return listing
    .split('\n')
    .map((line) => line.replace(/^\s*\d+:\t(?:[0-9a-f]{2} )*[0-9a-f]{2}\t/, '\t'))
    .join('\n');
}

const VARIANTS: readonly { name: string; args: readonly string[] }[] = [
  { name: 'objdump', args: [] },
  { name: 'objdump -r', args: ['-r'] },
  { name: 'objdump --llvm14', args: ['--llvm14'] },
  { name: 'objdump -r --llvm14', args: ['-r', '--llvm14'] },
];

describe.each(OBJECTS)('%s', (object) => {
  const original = parseElf(new Uint8Array(readFileSync(join(REPO_ROOT, object))), object);
  const expected = codeOf(original);

  it.each(VARIANTS.map((v) => [v.name, v] as const))(
    'tsbpf %s, then tsbpf asm: the same instructions, and the same listing again',
    async (_, variant) => {
      const listing = await runCli('objdump', join(REPO_ROOT, object), ...variant.args);
      expect(listing.status, listing.stderr).toBe(0);
      const name = `${basename(object, '.o')}${variant.args.join('')}`;
      writeFileSync(join(work, `${name}.s`), listing.stdout);
      const assembled = await runCli('asm', join(work, `${name}.s`), '-o', join(work, `${name}.o`));
      expect(assembled.status, assembled.stderr).toBe(0);
      const back = codeOf(parseElf(new Uint8Array(readFileSync(join(work, `${name}.o`))), name));
      // The listing is a fixed point: the assembled object disassembles to the same text (but its file name).
      const again = await runCli('objdump', join(work, `${name}.o`), ...variant.args);
      expect(again.stdout.replace(join(work, `${name}.o`), 'FILE')).toBe(
        listing.stdout.replace(join(REPO_ROOT, object), 'FILE'),
      );
      const relocations = variant.args.includes('-r');
      expect(back.map((s) => s.name)).toEqual(expected.map((s) => s.name));
      back.forEach((section, i) => {
        // The listed bytes carry every instruction; relocations come back only from -r lines.
        expect(section.insns, section.name).toEqual(expected[i].insns);
        expect(section.relocations, section.name).toEqual(relocations ? expected[i].relocations : []);
      });
    },
  );

  it.each(VARIANTS.map((v) => [v.name, v] as const))(
    'tsbpf %s without addresses and bytes: the instructions, but for what the text cannot say',
    async (_, variant) => {
      const listing = (await runCli('objdump', join(REPO_ROOT, object), ...variant.args)).stdout;
      const text = stripped(listing);
      // clang-14 emits nothing llvm-objdump-14 prints as `<unknown>` (which needs its bytes: assembler.test.ts).
      expect(listing).not.toContain('<unknown>');
      const back = assemble(text, { fileName: object, objdumpLocalCalls: true });
      const withRelocations = variant.args.includes('-r');
      let wrongGuesses = 0;
      for (const section of expected) {
        const ours = back.sections.find((s) => s.name === section.name);
        expect(ours?.insns.length, section.name).toBe(section.insns.length);
        const relocated = new Set(section.relocations.map((r) => r.offset / 8));
        if (withRelocations) {
          const listed = ours!.relocations.map(({ offset, type, symbol }) => ({ offset, type, symbol }));
          expect(listed, section.name).toEqual(section.relocations);
        }
        section.insns.forEach((insn, i) => {
          const mine = ours!.insns[i];
          const where = `${section.name}[${i}]`;
          if (insn.code !== 0x85 || mine.src === insn.src) {
            expect(mine, where).toEqual(insn);
            return;
          }
          // A call prints as `call N` whatever it calls. Across sections, only a -r line says it is a local call;
          // in its own section, objdumpLocalCalls guesses from the functions the listing names.
          expect({ ...mine, src: insn.src }, where).toEqual(insn);
          if (relocated.has(i))
            expect(withRelocations, `${where}: relocated call not taken as local`).toBe(false);
          else wrongGuesses++;
        });
      }
      expect(wrongGuesses).toBeLessThanOrEqual(1);
    },
  );
});
