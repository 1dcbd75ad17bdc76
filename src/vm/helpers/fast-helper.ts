// A helper declared by its fast (number-based) form: the general BigInt form is derived from it, so each
// helper's semantics are written once and both engines can call it without making BigInts.

import type {
  FastArgKind,
  FastHelper,
  FastResultKind,
  HelperCall,
  HelperImplementation,
} from '../runtime.js';

/** A register as the fast form takes an argument of `kind` (see FastArgKind); no argument: 0. */
export function fastArgument(kind: FastArgKind | undefined, value: bigint): number {
  if (kind === undefined) return 0;
  // Number() rounds to nearest like wasm's f64.convert_i64_u, so both engines pass the same double.
  if (kind === 'u64') return Number(value);
  return Number(value & 0xffff_ffffn);
}

/** A fast form's result as the u64 r0 receives. */
export function fastResultRegister(kind: FastResultKind, value: number): bigint {
  switch (kind) {
    case 'ptr':
    case 'u32':
      return BigInt(value >>> 0);
    case 's32':
      return BigInt.asUintN(64, BigInt(value | 0));
    case 's64':
      return BigInt.asUintN(64, BigInt(value));
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

/** The helper whose general form runs `fast` on the converted registers (and keeps them for fault messages). */
export function withFastForm(fast: FastHelper): HelperImplementation {
  const [k1, k2, k3, k4, k5] = fast.args;
  const general = (call: HelperCall): bigint => {
    const a = call.args;
    const r0 = fast.run(
      call,
      fastArgument(k1, a[0]),
      fastArgument(k2, a[1]),
      fastArgument(k3, a[2]),
      fastArgument(k4, a[3]),
      fastArgument(k5, a[4]),
    );
    return fastResultRegister(fast.result, r0);
  };
  return Object.assign(general, { fast });
}
