// The static linker against the real tools: llvm-objdump-14 and bpftool read the linked object, libbpf loads
// it in the kernel, tsbpf's loader produces libbpf's instructions from it, and test-runs in the kernel (and in
// tsbpf's interpreter) give what the single-object build of the same sources gives, for every input order.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Bpf } from '../../src/api/bpf.js';
import { parseElf, STT_SECTION } from '../../src/elf/index.js';
import { writeInsns } from '../../src/isa/insn.js';
import { type LinkInput, linkObjects } from '../../src/linker/index.js';
import { openObject } from '../../src/object/open-object.js';
import { relocateProgram } from '../../src/object/relocate-program.js';
import { REPO_ROOT } from '../corpus.js';
import { bytesToHex, type OracleObjectResult, oracleAvailability } from '../oracle/oracle.js';
import { requireOracle } from '../oracle/require-oracle.js';
import { testPackets } from './testrun-packets.js';

const oracle = requireOracle();
const LINK_DIR = join(REPO_ROOT, 'test', 'link');
const PART_NAMES = ['xdp_main.o', 'tc_main.o', 'parse.o', 'stats.o'];
const PROGRAMS = ['xdp_link_parse', 'tc_link_parse'];
const work = mkdtempSync(join(tmpdir(), 'tsbpf-link-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function part(name: string): LinkInput {
  return { fileName: name, bytes: new Uint8Array(readFileSync(join(LINK_DIR, name))) };
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

/** Links `names` in that order into a file in the work directory. */
function linkToFile(names: readonly string[], fileName = `linked_${names.map((n) => n[0]).join('')}.o`) {
  const bytes = linkObjects(names.map(part));
  const path = join(work, fileName);
  writeFileSync(path, bytes);
  return { bytes, path };
}

const linked = linkToFile(PART_NAMES, 'linked.o');
const single = {
  path: join(LINK_DIR, 'all.o'),
  bytes: new Uint8Array(readFileSync(join(LINK_DIR, 'all.o'))),
};

describe('tools read the linked object', () => {
  it('llvm-objdump-14 -d -r disassembles it without complaint', () => {
    const result = spawnSync('llvm-objdump-14', ['-d', '-r', linked.path], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('<xdp_link_parse>:');
    expect(result.stdout).toContain('<parse_packet>:');
    expect(result.stdout).toMatch(/R_BPF_64_32\s+note_proto/);
  });

  it('bpftool btf dump file reads its BTF', () => {
    const result = spawnSync('bpftool', ['btf', 'dump', 'file', linked.path], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/DATASEC '\.maps' size=96 vlen=2/);
  });

  it('the CLI links the same bytes, and leaves nothing behind on a LinkError', async () => {
    const { main } = await import('../../src/cli/main.js');
    const out = join(work, 'cli.o');
    const errors: string[] = [];
    const paths = PART_NAMES.map((name) => join(LINK_DIR, name));
    expect(
      await main(
        ['link', ...paths, '-o', out],
        () => {},
        (e) => errors.push(e),
      ),
    ).toBe(0);
    expect(errors).toEqual([]);
    expect(new Uint8Array(readFileSync(out))).toEqual(
      linkObjects(paths.map((path) => ({ fileName: path, bytes: new Uint8Array(readFileSync(path)) }))),
    );
    const failed = join(work, 'failed.o');
    const status = await main(
      ['link', paths[0], '-o', failed],
      () => {},
      (e) => errors.push(e),
    );
    expect(status).toBe(1);
    expect(errors.join('\n')).toContain("unresolved extern 'parse_packet'");
    expect(spawnSync('ls', [failed]).status).not.toBe(0);
    expect(
      await main(
        ['link', '-o', failed],
        () => {},
        () => {},
      ),
    ).toBe(2);
  });
});

/** Global data by variable name (hex of its bytes), from a map dump of an internal map. */
function variablesOf(
  path: string,
  bytes: Uint8Array,
  result: OracleObjectResult,
  dumps: { name?: string; entries: { value: string }[] | null }[],
) {
  const elf = parseElf(bytes);
  const object = openObject(bytes, path);
  const variables: Record<string, string> = {};
  for (const map of object.maps) {
    const dump = dumps.find((d) => d.name === map.name);
    if (map.origin === 'btf') {
      variables[`map:${map.name}`] = JSON.stringify(dump?.entries ?? null);
      continue;
    }
    const value = dump?.entries?.[0]?.value ?? bytesToHex(map.initialValue ?? new Uint8Array());
    for (const symbol of elf.symbols) {
      if (symbol.shndx !== map.sectionIndex || symbol.type === STT_SECTION || symbol.name === '') continue;
      variables[symbol.name] = value.slice(symbol.value * 2, (symbol.value + symbol.size) * 2);
    }
  }
  expect(result.maps.map((m) => m.name).sort()).toEqual(object.maps.map((m) => m.name).sort());
  return variables;
}

interface RunOutcome {
  verdict: string;
  retval: number | undefined;
  dataOut: string | undefined;
  variables: Record<string, string>;
}

function runInKernel(
  object: { path: string; bytes: Uint8Array },
  program: string,
  data: Uint8Array,
): RunOutcome {
  const result = oracle.runObject(object.path, { program, data, dumpMaps: true });
  expect(result.openError).toBeNull();
  const report = result.programs.find((p) => p.name === program)!;
  return {
    verdict: report.verdict,
    retval: report.testRun?.retval,
    dataOut: report.testRun?.dataOut,
    variables: variablesOf(object.path, object.bytes, result, report.maps ?? []),
  };
}

const packets = testPackets().filter((p) => p.data.length >= 14);
const SAMPLE = ['ipv4-udp-dns', 'ipv4-tcp-http', 'ipv6-tcp-https'];

oracle.describe(
  'the kernel loads the linked object as libbpf and runs it like the single-object build',
  () => {
    oracle.it('libbpf opens it, the kernel accepts every program, tsbpf relocates as libbpf does', () => {
      const theirs = oracle.runObject(linked.path);
      expect(theirs.openError).toBeNull();
      const ours = openObject(linked.bytes, linked.path);
      expect(theirs.programs.map((p) => p.name).sort()).toEqual([...PROGRAMS].sort());
      expect(ours.maps.map((m) => m.name)).toEqual(theirs.maps.map((m) => m.name));
      for (const program of theirs.programs) {
        expect(program.verdict, `${program.name}\n${program.log}`).toBe('accepted');
        const relocated = relocateProgram(ours, program.name);
        const hex = relocated.insns.map((insn) => bytesToHex(writeInsns([insn])));
        expect(hex, `${program.name}: instructions`).toEqual(program.insns);
        expect(relocated.funcInfo.map((f) => f.typeId)).toEqual(program.funcInfo?.map((f) => f.typeId));
        if (program.xlatedInsns === relocated.insns.length) {
          expect(relocated.lineInfo.map((l) => [l.insnOff, l.line, l.col])).toEqual(
            program.lineInfo?.map((l) => [l.insnOff, l.line, l.col]),
          );
        }
      }
    });

    for (const program of PROGRAMS) {
      for (const packet of packets) {
        oracle.it(`${program} on ${packet.name}: same retval, packet, maps and globals as all.o`, () => {
          const fromLinked = runInKernel(linked, program, packet.data);
          const fromSingle = runInKernel(single, program, packet.data);
          expect(fromLinked.verdict).toBe('accepted');
          expect(fromLinked).toEqual(fromSingle);
        });
      }
    }

    oracle.it('every order of the four inputs links into an object that loads and runs the same', () => {
      const reference = new Map<string, RunOutcome>();
      for (const program of PROGRAMS) {
        for (const name of SAMPLE) {
          const data = packets.find((p) => p.name === name)!.data;
          reference.set(`${program}/${name}`, runInKernel(linked, program, data));
        }
      }
      for (const order of permutations(PART_NAMES)) {
        const object = linkToFile(order);
        expect(linkObjects(order.map(part)), 'linking twice gives the same bytes').toEqual(object.bytes);
        for (const program of PROGRAMS) {
          for (const name of SAMPLE) {
            const data = packets.find((p) => p.name === name)!.data;
            expect(runInKernel(object, program, data), `${order.join(' ')}: ${program} on ${name}`).toEqual(
              reference.get(`${program}/${name}`),
            );
          }
        }
      }
    });

    oracle.it('a kconfig extern left unresolved is resolved by libbpf at load', () => {
      const object = { path: join(work, 'kconfig.o'), bytes: linkObjects([part('cases/kconfig_user.o')]) };
      writeFileSync(object.path, object.bytes);
      const result = oracle.runObject(object.path, { data: packets[0].data });
      expect(result.openError).toBeNull();
      expect(result.programs[0].verdict).toBe('accepted');
      expect(result.programs[0].testRun?.retval).toBe(2);
    });
  },
);

const cpus = (() => {
  const availability = oracleAvailability();
  return availability.available ? availability.possibleCpus : 1;
})();
oracle.describe('tsbpf runs the linked object like the kernel', () => {
  for (const program of PROGRAMS) {
    for (const name of SAMPLE) {
      oracle.it(`${program} on ${name}`, () => {
        const data = packets.find((p) => p.name === name)!.data;
        const kernel = oracle.runObject(linked.path, { program, data, dumpMaps: true });
        const kernelProgram = kernel.programs.find((p) => p.name === program)!;
        const bpf = new Bpf({ cpus });
        const loaded = bpf.openObject(linked.bytes, linked.path).load();
        const ours = bpf.testRun(loaded.program(program).handle.fd, { data });
        expect(ours.error).toBeUndefined();
        expect({ retval: ours.retval, dataOut: bytesToHex(ours.dataOut) }).toEqual({
          retval: kernelProgram.testRun!.retval,
          dataOut: kernelProgram.testRun!.dataOut,
        });
        for (const dump of kernelProgram.maps ?? []) {
          const entries = bpf
            .mapDump(loaded.mapFd(dump.name!))
            .map((e) => ({ key: bytesToHex(e.key), value: bytesToHex(e.value) }))
            .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
          expect(entries, dump.name).toEqual(dump.entries);
        }
      });
    }
  }
});

it('the unit of comparison is real: all.o is one object with the same programs', () => {
  const object = openObject(single.bytes, single.path);
  expect(object.functions.filter((f) => f.isProgram).map((f) => f.name)).toEqual(PROGRAMS);
});
