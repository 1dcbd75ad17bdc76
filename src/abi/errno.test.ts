// Checks errno numbers against the C library's <errno.h>.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERRNO, type ErrnoName, errnoName } from './errno.js';

describe('errno', () => {
  it('equals <errno.h> (ENOTSUPP is kernel-internal: 524)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsbpf-errno-'));
    try {
      const names = (Object.keys(ERRNO) as ErrnoName[]).filter((name) => name !== 'ENOTSUPP');
      const source = `#include <stdio.h>
#include <errno.h>
int main(void) {
${names.map((name) => `  printf("%s %d\\n", "${name}", ${name});`).join('\n')}
  return 0;
}`;
      writeFileSync(join(dir, 'errno.c'), source);
      execFileSync('gcc', ['-o', join(dir, 'errno'), join(dir, 'errno.c')]);
      for (const line of execFileSync(join(dir, 'errno')).toString().trim().split('\n')) {
        const [name, value] = line.split(' ');
        expect(ERRNO[name as ErrnoName], name).toBe(Number(value));
      }
      expect(ERRNO.ENOTSUPP).toBe(524);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('names values, negative ones too', () => {
    expect(errnoName(-22)).toBe('EINVAL');
    expect(errnoName(7)).toBe('E2BIG');
    expect(errnoName(100000)).toBeUndefined();
  });
});
