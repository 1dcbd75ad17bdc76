// The benchmark suite's report: geometric means per group over the rows that have a value, `n/a` for an engine
// or a kernel that did not run, and the row marks (`*` another first run, `!r0` a return value unlike the kernel's).
import { describe, expect, it } from 'vitest';
import { type SuiteRow, summariseGroups, tableLines } from '../../bench/suite-report.js';

function row(
  name: string,
  group: SuiteRow['group'],
  interp: number,
  kernel: number | null,
  extra: Partial<SuiteRow> = {},
): SuiteRow {
  const measured = { samplesNs: [interp], retval: 2, repeat: 10, prepareNs: 5000, prepareSamplesNs: [5000] };
  return {
    name,
    group,
    object: `bench/progs/${name}.o`,
    program: `bench_${name}`,
    packet: 'ipv4-tcp-64',
    packetBytes: 64,
    insnsExecuted: 100,
    insnsFirstRun: 100,
    interp: { nsPerRun: interp, ...measured },
    jit: null,
    kernel: kernel === null ? null : { nsPerRun: kernel, samplesNs: [kernel], retval: 2, repeat: 10 },
    interpRatio: kernel === null ? null : interp / kernel,
    jitRatio: null,
    retvalsAgree: kernel === null ? null : true,
    errors: [],
    ...extra,
  };
}

describe('the suite report', () => {
  const rows = [
    row('fnv1a', 'compute', 100, 10),
    row('parse', 'compute', 400, 40, { insnsFirstRun: 90, retvalsAgree: false }),
    row('lb', 'maps', 50, null),
  ];

  it('takes geometric means per group, leaving out what was not measured', () => {
    const [compute, maps, ...rest] = summariseGroups(rows);
    expect(rest).toEqual([]);
    expect(compute).toMatchObject({ group: 'compute', rows: 2, jitNsPerRun: null, jitRatio: null });
    expect(compute.interpNsPerRun).toBeCloseTo(200, 9);
    expect(compute.kernelNsPerRun).toBeCloseTo(20, 9);
    expect(compute.interpRatio).toBeCloseTo(10, 9);
    expect(maps).toMatchObject({ group: 'maps', rows: 1, kernelNsPerRun: null, interpRatio: null });
    expect(maps.interpNsPerRun).toBeCloseTo(50, 9);
  });

  it('prints n/a for missing sides, marks rows, and one geomean line per group present', () => {
    const lines = tableLines(rows, summariseGroups(rows));
    const cells = (line: string) => line.split(/\s{2,}/);
    const fnv = lines.find((line) => line.startsWith('fnv1a'))!;
    expect(cells(fnv)).toEqual([
      'fnv1a',
      'ipv4-tcp-64',
      '100',
      '100',
      'n/a',
      '10',
      '10.00x',
      'n/a',
      '5.0',
      'n/a',
    ]);
    const parse = lines.find((line) => line.startsWith('parse'))!;
    expect(parse).toMatch(/ 100\* /);
    expect(parse.endsWith(' !r0')).toBe(true);
    const lb = lines.find((line) => line.startsWith('lb'))!;
    expect(cells(lb).slice(3, 8)).toEqual(['50', 'n/a', 'n/a', 'n/a', 'n/a']);
    expect(lines.filter((line) => line.startsWith('geomean')).map((line) => cells(line)[0])).toEqual([
      'geomean compute (2)',
      'geomean maps (1)',
    ]);
  });
});
