// sockmap/sockhash entries from a run fixture (`tsbpf run --maps FILE`): the fixture declares sockets and names
// them in map entries by their place in the list; the sk_lookup program of test/progs/net/sockmap_sk_lookup.c then
// selects them and test-run reports the declared cookie. No kernel needed (sockmap-kernel.test.ts compares).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BPF_SK_LOOKUP_FIELDS, fieldOffset } from '../../src/abi/context-structs.js';
import { ERRNO } from '../../src/abi/errno.js';
import { loadAndRun } from '../../src/cli/run.js';
import { REPO_ROOT } from '../corpus.js';

const OBJECT = join(REPO_ROOT, 'test', 'progs', 'net', 'sockmap_sk_lookup.o');
const FIXTURE = {
  network: {
    sockets: [
      { kind: 'tcp-listen', localAddress: '127.0.0.1', localPort: 8080, cookie: 4242 },
      { kind: 'udp', localAddress: '127.0.0.1', localPort: 5353, cookie: 5353 },
      { kind: 'tcp-listen', localAddress: '127.0.0.1', localPort: 8082, cookie: 8282, reuseport: true },
    ],
  },
  maps: {
    by_port: {
      entries: [
        { key: 8080, value: 0 },
        { key: 5353, value: 1 },
        { key: 8082, value: 2 },
      ],
    },
  },
};

const dir = mkdtempSync(join(tmpdir(), 'tsbpf-sockmap-'));
const fixtureFile = join(dir, 'sockets.json');
writeFileSync(fixtureFile, JSON.stringify(FIXTURE));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lookupCtx(protocol: number, localPort: number): Uint8Array {
  const ctx = new Uint8Array(72);
  const view = new DataView(ctx.buffer);
  const at = (name: string) => fieldOffset(BPF_SK_LOOKUP_FIELDS, name);
  view.setUint32(at('family'), 2, true);
  view.setUint32(at('protocol'), protocol, true);
  view.setUint16(at('remote_port'), 5000, false);
  view.setUint32(at('local_port'), localPort, true);
  return ctx;
}

describe('a fixture fills a sockhash with declared sockets', () => {
  for (const engine of ['interp', 'jit'] as const) {
    it(`sk_lookup selects them and reports their cookies (${engine})`, () => {
      const run = (protocol: number, port: number) =>
        loadAndRun(OBJECT, {
          program: 'sk_lookup_sockmap',
          ctx: lookupCtx(protocol, port),
          config: { fixtureFile, engine },
        }).result;
      const cookie = (protocol: number, port: number) =>
        new DataView(run(protocol, port).ctxOut.buffer).getBigUint64(0, true);
      expect(cookie(6, 8080)).toBe(4242n);
      expect(cookie(17, 5353)).toBe(5353n);
      // The wrong protocol selects nothing; a port no entry names neither.
      expect(cookie(17, 8080)).toBe(0n);
      expect(cookie(6, 9999)).toBe(0n);
      // A reuseport listener selected without BPF_SK_LOOKUP_F_NO_REUSEPORT fails the run, as the kernel's.
      expect(run(6, 8082).error?.errno).toBe(ERRNO.EOPNOTSUPP);
    });
  }
});
