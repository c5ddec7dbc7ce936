/**
 * swarmkit's identity.NewID: 128 random bits written in base 36, left-padded to 25 characters.
 * The random bytes come in from the caller, so this stays pure.
 */
export function swarmIdFromBytes(random16: Uint8Array): string {
  let value = 0n;
  for (const byte of random16) value = (value << 8n) | BigInt(byte);
  return value.toString(36).padStart(25, '0');
}
