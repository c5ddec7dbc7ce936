/**
 * What a log line must never show: the CA key, join tokens, the key-encryption key and anything
 * that looks like a credential. Field names are redacted wherever they appear in the first three
 * levels of a logged object; strings are scrubbed of join tokens and PEM private keys.
 */

/** Field names whose values are replaced by `[REDACTED]`. */
export const SECRET_FIELDS = [
  'token',
  'joinToken',
  'workerToken',
  'managerToken',
  'secret',
  'sealed',
  'key',
  'keyPem',
  'privateKey',
  'caKey',
  'signingKey',
  'unlockKey',
  'kek',
  'password',
  'authorization',
  'cookie',
  'JoinTokens',
  'Worker',
  'Manager',
  'x-registry-auth',
] as const;

export const REDACTED = '[REDACTED]';

/** pino `redact` paths: each field at the top level and up to two levels down. */
export function redactionPaths(fields: readonly string[] = SECRET_FIELDS): string[] {
  return fields.flatMap((field) => {
    const key = /^[A-Za-z_$][\w$]*$/.test(field) ? field : `["${field}"]`;
    const dot = key.startsWith('[') ? '' : '.';
    return [key, `*${dot}${key}`, `*.*${dot}${key}`];
  });
}

const JOIN_TOKEN = /SWMTKN-1-[0-9a-z]+-[0-9a-z]+/g;
const PRIVATE_KEY_PEM = /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?(-----END \1PRIVATE KEY-----|$)/g;
const HEX_KEY = /\b[0-9a-fA-F]{64}\b/g;

/** A log message with join tokens, PEM private keys and 256-bit hex keys replaced. */
export function scrubSecrets(text: string): string {
  if (!text.includes('SWMTKN-') && !text.includes('PRIVATE KEY') && !/[0-9a-fA-F]{64}/.test(text)) return text;
  return text
    .replace(JOIN_TOKEN, `SWMTKN-1-${REDACTED}`)
    .replace(PRIVATE_KEY_PEM, `${REDACTED} private key`)
    .replace(HEX_KEY, REDACTED);
}
