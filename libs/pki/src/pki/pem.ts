import { PkiError } from '../pki-error.js';

export type PemLabel = 'CERTIFICATE' | 'CERTIFICATE REQUEST' | 'PUBLIC KEY' | 'PRIVATE KEY';

/** RFC 7468 text: 64-character base64 lines, LF line ends, trailing newline. */
export function derToPem(label: PemLabel, der: Uint8Array): string {
  const base64 = Buffer.from(der).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** The DER inside the first block with this label; anything around it is ignored. */
export function pemToDer(label: PemLabel, pem: string): Buffer {
  const begin = `-----BEGIN ${label}-----`;
  const end = `-----END ${label}-----`;
  const from = pem.indexOf(begin);
  const to = pem.indexOf(end, from + begin.length);
  if (from < 0 || to < 0) {
    const code = label === 'CERTIFICATE REQUEST' ? 'InvalidCsr' : 'InvalidCertificate';
    throw new PkiError(code, `no PEM block labelled ${label}`);
  }
  const body = pem.slice(from + begin.length, to).replace(/\s+/g, '');
  return Buffer.from(body, 'base64');
}
