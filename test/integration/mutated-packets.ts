// Random packets for property tests: real packets (testrun-packets.ts) with bytes overwritten, cut or grown, so
// that most of them still get past test-run's input checks and run the program.

import fc from 'fast-check';
import { testPackets } from './testrun-packets.js';

/** The test packets long enough for an Ethernet header. */
export const ETHERNET_PACKETS = testPackets()
  .map((packet) => packet.data)
  .filter((data) => data.length >= 14);

/** A real packet with up to `maxFlips` bytes overwritten and its length changed by -20..`maxGrow` bytes. */
export function mutatedPacket(maxFlips: number, maxGrow: number): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(
      fc.constantFrom(...ETHERNET_PACKETS),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: maxFlips, size: 'max' }),
      fc.integer({ min: -20, max: maxGrow }),
      fc.uint8Array({ minLength: maxGrow, maxLength: maxGrow }),
    )
    .map(([packet, flips, grow, tail]) => {
      const length = Math.max(0, packet.length + grow);
      const bytes = new Uint8Array(length);
      bytes.set(packet.subarray(0, length));
      if (grow > 0) bytes.set(tail.subarray(0, grow), packet.length);
      for (const [offset, value] of flips) if (length > 0) bytes[offset % length] = value;
      return bytes;
    });
}
