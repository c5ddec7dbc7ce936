import { readFileSync } from 'node:fs';
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import { EngineListenError, type EngineTlsFiles } from './listen-plan.js';

/**
 * Go's crypto/tls server suites that dockerd accepted on TLS 1.2 in the recording (ECDHE with
 * AES-GCM or AES-CBC-SHA; no CHACHA20, no static RSA, no DHE), for ECDSA and RSA server keys.
 */
const TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-AES128-SHA', 'ECDHE-ECDSA-AES256-SHA',
  'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-AES256-SHA',
].join(':');

/**
 * dockerd's `--tlsverify`: TLS 1.2 at least, and a client certificate that chains to `ca` is
 * required (a certificate whose extendedKeyUsage lacks clientAuth is refused; one without the
 * extension is accepted, as by Go).
 */
export function engineTlsServerOptions(files: EngineTlsFiles): TlsOptions & SecureContextOptions {
  return {
    ca: readPem(files.ca),
    cert: readPem(files.cert),
    key: readPem(files.key),
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2',
    ciphers: TLS12_CIPHERS,
  };
}

function readPem(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new EngineListenError(`cannot read ${file}: ${(error as Error).message}`);
  }
}
