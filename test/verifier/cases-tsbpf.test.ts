// Every verifier case through tsbpf's progLoad: it must agree with the kernel's verdict recorded in the header,
// except the cases docs/verifier-differences.md lists, which must still differ (so a fix updates the list).

import { describe, expect, it } from 'vitest';
import { compareOutcome, loadCaseFiles, loadInTsbpf } from './cases.js';

/** topic/case → why tsbpf differs; each is explained in docs/verifier-differences.md. */
const KNOWN_DIFFERENCES: Readonly<Record<string, string>> = {
  'misc/ld_imm64_btf_id_without_btf': 'BTF-id loads need kernel BTF',
  'misc/kernel_verifier_bug_stack_slot_count': 'the kernel refuses it by an internal error (verifier bug)',
};

function knownDifference(topic: string, name: string): string | undefined {
  return (
    KNOWN_DIFFERENCES[`${topic}/${name}`] ?? KNOWN_DIFFERENCES[`${topic}/${name.replace(/_in_subprog$/, '')}`]
  );
}

for (const { topic, cases } of loadCaseFiles()) {
  describe(`verifier cases: ${topic} (tsbpf)`, () => {
    for (const c of cases) {
      const known = knownDifference(topic, c.name);
      it(known ? `${c.name} (known difference: ${known})` : c.name, () => {
        expect(c.expect, 'the case has an expectation (scripts/record-verifier-cases.sh)').toBeDefined();
        let differences: string[];
        try {
          const got = loadInTsbpf(c);
          differences = compareOutcome(c, got);
          if (!known) expect(differences, `${c.file}:${c.line}\n${got.log}`).toEqual([]);
        } catch (error) {
          if (!known) throw error;
          differences = [String(error)];
        }
        if (known)
          expect(
            differences.length,
            `${c.file}:${c.line} now agrees: remove it from the list`,
          ).toBeGreaterThan(0);
      });
    }
  });
}

it('lists only cases that exist', () => {
  const names = new Set(
    loadCaseFiles().flatMap(({ topic, cases }) => cases.map((c) => `${topic}/${c.name}`)),
  );
  for (const key of Object.keys(KNOWN_DIFFERENCES)) expect(names.has(key), key).toBe(true);
});
