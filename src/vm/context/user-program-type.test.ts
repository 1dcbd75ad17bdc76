import { describe, expect, it } from 'vitest';
import { arg, ret } from '../../abi/helpers.js';
import { helperByName } from '../../abi/helpers.js';
import { defineProgramType, FIRST_USER_HELPER_ID, ProgramTypeError } from './user-program-type.js';
import { fakeRun } from '../helpers/test-support.js';

/** A rate limiter extension: the host passes a bucket, the program decides and may spend tokens. */
const rateLimiter = () =>
  defineProgramType({
    name: 'rate_limiter',
    context: {
      size: 32,
      fields: [
        { name: 'tokens', offset: 0, size: 8, write: true },
        { name: 'cost', offset: 8, size: 4 },
        { name: 'client', offset: 16, size: 16 },
      ],
    },
    helpers: [
      {
        name: 'refill_rate',
        proto: { ret: ret('RET_INTEGER'), args: [arg('ARG_ANYTHING')] },
        implementation: (call) => call.args[0] * 2n,
      },
    ],
  });

describe('user-defined program types', () => {
  it('encodes and decodes contexts by field', () => {
    const type = rateLimiter();
    const bytes = type.encodeContext({ tokens: 10n, cost: 3, client: Uint8Array.from([1, 2, 3]) });
    expect(bytes.length).toBe(32);
    expect(type.decodeContext(bytes)).toEqual({
      tokens: 10n,
      cost: 3n,
      client: Uint8Array.from([1, 2, 3, ...new Array(13).fill(0)]),
    });
    expect(() => type.encodeContext({ nope: 1 })).toThrow(ProgramTypeError);
  });

  it('answers context access questions as a verifier would ask them', () => {
    const type = rateLimiter();
    expect(type.checkAccess(0, 8, 'write')?.name).toBe('tokens');
    expect(type.checkAccess(0, 4, 'write')).toBeUndefined();
    expect(type.checkAccess(8, 4, 'write')).toBeUndefined();
    expect(type.checkAccess(8, 2, 'read')?.name).toBe('cost');
    expect(type.checkAccess(12, 4, 'read')).toBeUndefined();
    expect(type.checkAccess(20, 4, 'read')?.name).toBe('client');
  });

  it('puts user helpers at 10000 and up beside the chosen kernel helpers', () => {
    const type = rateLimiter();
    expect(type.helperId('refill_rate')).toBe(FIRST_USER_HELPER_ID);
    const f = fakeRun({ type: 'rate_limiter' });
    const refill = type.helperTable.get(FIRST_USER_HELPER_ID)!;
    expect(refill({ args: [21n, 0n, 0n, 0n, 0n], vm: f.vm, run: f.run, insn: 0 })).toBe(42n);
    expect(type.helperTable.has(helperByName('map_lookup_elem')!.id)).toBe(true);
    expect(type.helperTable.has(helperByName('skb_load_bytes')!.id)).toBe(false);
  });

  it('refuses declarations that cannot work', () => {
    const base = { name: 'ext', context: { size: 8, fields: [{ name: 'a', offset: 0, size: 4 }] } };
    const bad = [
      { ...base, name: 'xdp' },
      { ...base, context: { size: 8, fields: [{ name: 'a', offset: 6, size: 4 }] } },
      { ...base, context: { size: 8, fields: [{ name: 'a', offset: 2, size: 4 }] } },
      {
        ...base,
        context: {
          size: 8,
          fields: [
            { name: 'a', offset: 0, size: 4 },
            { name: 'b', offset: 2, size: 2 },
          ],
        },
      },
      {
        ...base,
        helpers: [
          { name: 'h', id: 5, proto: { ret: ret('RET_INTEGER'), args: [] }, implementation: () => 0n },
        ],
      },
      { ...base, kernelHelpers: ['not_a_helper'] },
    ];
    for (const declaration of bad) {
      expect(() => defineProgramType(declaration, (name) => name === 'xdp')).toThrow(ProgramTypeError);
    }
  });
});
