// `tsbpf run` for the program types without a packet or with a context of their own: sk_lookup, syscall,
// raw_tracepoint and flow_dissector (data_out decoded as struct bpf_flow_keys), in-process through main().
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { testPackets } from './testrun-packets.js';

const work = mkdtempSync(join(tmpdir(), 'tsbpf-progtypes-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const file = (name: string, bytes: Uint8Array): string => {
  const path = join(work, name);
  writeFileSync(path, bytes);
  return path;
};
const net = (name: string) => `test/progs/net/${name}.o`;

describe('tsbpf run for the other program types', () => {
  it('sk_lookup runs on a struct bpf_sk_lookup alone and prints it by field', async () => {
    const ctx = new Uint8Array(72);
    const view = new DataView(ctx.buffer);
    view.setUint32(8, 2, true);
    view.setUint32(12, 6, true);
    view.setUint16(36, 40000, false);
    view.setUint32(60, 22, true);
    const result = await runCli(
      'run',
      net('types_sk_lookup'),
      '--program',
      'steer',
      '--ctx',
      file('lookup.bin', ctx),
      '--json',
    );
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.retval).toBe(0);
    expect(json.ctx).toMatchObject({ family: 2, protocol: 6, local_port: 22, remote_port: 0x409c });
  });

  it('syscall writes its context back; raw_tracepoint runs on the CPU --flags 1 --cpu N names', async () => {
    const request = new Uint8Array(32);
    request.set([2, 0, 0, 0, 7], 0);
    const syscall = await runCli(
      'run',
      net('types_syscall'),
      '--program',
      'handle',
      '--ctx',
      file('req.bin', request),
      '--json',
    );
    expect(syscall.status).toBe(0);
    expect(JSON.parse(syscall.stdout)).toMatchObject({ retval: 201 });
    expect(JSON.parse(syscall.stdout).ctxOut).toMatch(/^0200000007000000/);
    const args = new Uint8Array(16);
    args[8] = 0x34;
    const rawTp = await runCli(
      'run',
      net('types_raw_tp'),
      '--program',
      'on_sys_enter',
      '--ctx',
      file('args.bin', args),
      '--cpus',
      '4',
      '--flags',
      '1',
      '--cpu',
      '3',
      '--json',
    );
    expect(rawTp.status).toBe(0);
    expect(JSON.parse(rawTp.stdout).retval).toBe(0x334);
    const refused = await runCli(
      'run',
      net('types_raw_tp'),
      '--program',
      'on_sys_enter',
      '--ctx',
      file('short.bin', new Uint8Array(8)),
    );
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/EINVAL/);
  });

  it('map dump runs a program that takes only a context', async () => {
    const request = new Uint8Array(32);
    request.set([1, 0, 0, 0, 9, 0, 0, 0, 0x2a], 0);
    const dump = await runCli(
      'map',
      'dump',
      net('types_syscall'),
      '--program',
      'handle',
      '--ctx',
      file('set.bin', request),
      '--map',
      'store',
      '--json',
    );
    expect(dump.status).toBe(0);
    expect(JSON.parse(dump.stdout)[0].entries).toHaveLength(1);
  });

  it('flow_dissector prints the flow keys it filled', async () => {
    const packet = testPackets().find((p) => p.name === 'ipv4-udp-dns')!.data;
    const result = await runCli(
      'run',
      net('types_flow_dissector'),
      '--program',
      'dissect',
      '--data',
      file('dns.bin', packet),
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/nhoff=14 thoff=34 addr_proto=2048 .*ip_proto=17/);
  });
});
