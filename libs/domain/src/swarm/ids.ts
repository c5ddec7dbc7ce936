/**
 * swarmkit's identity.NewID: 128 random bits written in base 36, left-padded to 25 characters.
 * The random bytes come in from the caller, so this stays pure. Long division of four 32-bit
 * words by 36 (no BigInt: this runs for every network and node created).
 */
export function swarmIdFromBytes(random16: Uint8Array): string {
  const words = [0, 0, 0, 0];
  for (let w = 0; w < 4; w++) {
    const at = w * 4;
    words[w] = ((random16[at]! << 24) >>> 0) + (random16[at + 1]! << 16) + (random16[at + 2]! << 8) + random16[at + 3]!;
  }
  let id = '';
  for (let digit = 0; digit < 25; digit++) {
    let remainder = 0;
    for (let w = 0; w < 4; w++) {
      // remainder < 36, so remainder * 2^32 + word stays below 2^53: exact in a double.
      const current = remainder * 0x1_0000_0000 + words[w]!;
      words[w] = Math.floor(current / 36);
      remainder = current - words[w]! * 36;
    }
    id = DIGITS[remainder]! + id;
  }
  return id;
}

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';
