/**
 * Threefry-2x32 with 20 rounds (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11).
 *
 * Why a counter-based generator: a draw is a pure function of (key, counter), so any process can
 * reproduce any draw without replaying the draws before it, and the order in which samples are
 * taken cannot change their values. Only 32-bit add, rotate and xor are needed, which JavaScript
 * does exactly with `| 0`, `>>> 0` and `Math.imul`-free arithmetic.
 */

const rotations = [13, 15, 26, 6, 17, 29, 16, 24] as const;
const keyScheduleParity = 0x1bd11bda;
export const threefryRounds = 20;

function rotateLeft(value: number, bits: number): number {
  return ((value << bits) | (value >>> (32 - bits))) >>> 0;
}

/** Encrypts the 64-bit counter (counterHigh, counterLow) under the 64-bit key; returns two uint32 words. */
export function threefry2x32(
  keyLow: number,
  keyHigh: number,
  counterLow: number,
  counterHigh: number,
): [number, number] {
  const schedule = [keyLow >>> 0, keyHigh >>> 0, keyParity(keyLow, keyHigh) >>> 0];
  let x0 = (counterLow + schedule[0]!) >>> 0;
  let x1 = (counterHigh + schedule[1]!) >>> 0;
  for (let round = 0; round < threefryRounds; round++) {
    x0 = (x0 + x1) >>> 0;
    x1 = rotateLeft(x1, rotations[round % 8]!);
    x1 = (x1 ^ x0) >>> 0;
    if (round % 4 === 3) {
      const injection = (round + 1) / 4;
      x0 = (x0 + schedule[injection % 3]!) >>> 0;
      x1 = (x1 + schedule[(injection + 1) % 3]! + injection) >>> 0;
    }
  }
  return [x0, x1];
}

function keyParity(keyLow: number, keyHigh: number): number {
  return (keyScheduleParity ^ keyLow ^ keyHigh) >>> 0;
}
