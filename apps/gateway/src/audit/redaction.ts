/** Sealed values (AES-256-GCM envelopes) never leave through the audit API, even encrypted. */
export function redactSealed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSealed);
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  if (record.alg === 'A256GCM' && typeof record.ct === 'string') return '[sealed]';
  return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, redactSealed(inner)]));
}
