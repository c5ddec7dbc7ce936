import { readFileSync } from 'node:fs';
import type { Server } from 'node:net';
import type { SecureContextOptions, TLSSocket, TlsOptions } from 'node:tls';
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

/** dockerd's exact answer (Go's net/http) to plain HTTP sent to its TLS port; the CLI prints the last line. */
export const PLAIN_HTTP_TO_TLS_ANSWER = 'HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n';

/**
 * On a TLS listener: answers plain HTTP as dockerd does (`docker -H tcp://...` without --tls then
 * prints `Error response from daemon: Client sent an HTTP request to an HTTPS server.`), and logs
 * each failed handshake as dockerd does (`TLS handshake error from <addr>: <why>`).
 *
 * Hazard: the answer is written to the TLS socket's underlying TCP socket (`_parent`, a Node
 * internal, present since Node 0.11) because OpenSSL has already consumed the request; where it is
 * missing the connection is just closed, as before.
 */
export function watchTlsHandshakes(server: Server, warn: (message: string) => void): void {
  server.on('tlsClientError', (error: NodeJS.ErrnoException, socket: TLSSocket) => {
    const raw = (socket as TLSSocket & { _parent?: { write(text: string): void; end(): void; destroyed: boolean; remoteAddress?: string; remotePort?: number } })._parent;
    const from = `${socket.remoteAddress ?? raw?.remoteAddress ?? 'an unknown address'}:${socket.remotePort ?? raw?.remotePort ?? '?'}`;
    if (error.code === 'ERR_SSL_HTTP_REQUEST' && raw && !raw.destroyed) {
      raw.write(PLAIN_HTTP_TO_TLS_ANSWER);
      raw.end();
      return;
    }
    warn(`TLS handshake error from ${from}: ${error.code ?? 'error'}: ${error.message.split('\n')[0] ?? ''}`);
  });
}
