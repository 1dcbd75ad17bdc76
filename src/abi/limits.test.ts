// Checks the limits that user-space headers also define against <linux/bpf.h>.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as limits from './limits.js';

const exported: Record<string, unknown> = { ...limits };

describe('limits', () => {
  it('equal <linux/bpf.h> where it defines them', () => {
    const names = ['BPF_MAXINSNS', 'BPF_OBJ_NAME_LEN', 'BPF_TAG_SIZE', 'MAX_BPF_REG'];
    const dir = mkdtempSync(join(tmpdir(), 'tsbpf-limits-'));
    try {
      const source = `#include <stdio.h>
#include <linux/bpf.h>
int main(void) {
${names.map((name) => `  printf("%s %d\\n", "${name}", (int)${name});`).join('\n')}
  return 0;
}`;
      writeFileSync(join(dir, 'limits.c'), source);
      execFileSync('gcc', ['-o', join(dir, 'limits'), join(dir, 'limits.c')]);
      for (const line of execFileSync(join(dir, 'limits')).toString().trim().split('\n')) {
        const [name, value] = line.split(' ');
        expect(exported[name], name).toBe(Number(value));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('keep the verifier limits the brief names', () => {
    expect(limits.MAX_BPF_STACK).toBe(512);
    expect(limits.MAX_CALL_FRAMES).toBe(8);
    expect(limits.BPF_COMPLEXITY_LIMIT_INSNS).toBe(1_000_000);
    expect(limits.BPF_MAX_SUBPROGS).toBe(256);
    expect(limits.MAX_TAIL_CALL_CNT).toBe(33);
  });
});
