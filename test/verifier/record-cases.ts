// Fills or refreshes the expectation headers of the verifier cases from the running kernel (see README.md).

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOracleInsns } from '../oracle/oracle.js';
import {
  type CaseOutcome,
  compareOutcome,
  formatCaseFile,
  kernelOutcome,
  loadCaseFiles,
  oracleOptions,
} from './cases.js';

/** Run from the repository root (the bundled copy cannot find the cases from its own location). */
const CASES = join(process.cwd(), 'test', 'verifier', 'cases');
/** Topics to record (file names without `.s`); all when none are given. */
const topics = new Set(process.argv.slice(2));
let changed = 0;
let total = 0;
let failed = 0;
for (const { topic, file, cases } of loadCaseFiles(CASES)) {
  if (topics.size > 0 && !topics.has(topic)) continue;
  for (const c of cases) {
    total++;
    let got: CaseOutcome;
    try {
      got = kernelOutcome(runOracleInsns(oracleOptions(c)));
    } catch (error) {
      // a case the oracle cannot load at all (a map the kernel refuses, bad assembly) keeps its header
      failed++;
      console.log(`${topic}/${c.name}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const diffs = c.expect === undefined ? ['new'] : compareOutcome(c, got);
    if (diffs.length === 0 && (got.expect === 'accept' || c.errno !== undefined)) continue;
    changed++;
    console.log(
      `${topic}/${c.name}: ${diffs.join('; ')} -> ${got.expect} ${got.error ?? ''} @${got.insn ?? ''}`,
    );
    c.expect = got.expect;
    if (got.expect === 'accept') {
      c.error = undefined;
      c.insn = undefined;
      c.errno = undefined;
    } else {
      c.error = got.error;
      c.insn = got.insn;
      c.errno = got.errno;
    }
  }
  writeFileSync(file, formatCaseFile(cases));
}
console.log(`${total} cases, ${changed} headers written, ${failed} not loadable`);
if (failed > 0) process.exitCode = 1;
