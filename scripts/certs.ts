import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createEngineApiCertificates } from '#pki';

/**
 * `npm run certs -- [--host <name or IP>]... [--out <dir>] [--days <n>] [--force]`: the material of
 * dockerd's --tlsverify model, made with Node's crypto (no openssl):
 *
 *   <out>/ca-key.pem                     the CA's key (0600): keep it, or delete it once done
 *   <out>/server/{ca,cert,key}.pem       GATEWAY_TLS_CERT_PATH (or the agent's --tlscacert/--tlscert/--tlskey)
 *   <out>/client/{ca,cert,key}.pem       DOCKER_CERT_PATH for the docker CLI
 *
 * The server certificate names 127.0.0.1, ::1, localhost, this machine's host name and every --host.
 */
const USAGE = 'usage: npm run certs -- [--host <name or IP>]... [--out <dir>] [--days <n>] [--force]';

function main(): void {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', multiple: true, default: [] },
      out: { type: 'string', default: path.join(process.env.DATA_DIR ?? 'data', 'certs') },
      days: { type: 'string', default: '365' },
      force: { type: 'boolean', default: false },
    },
  });
  const out = path.resolve(values.out);
  const days = Number(values.days);
  if (!Number.isInteger(days) || days <= 0) throw new Error(`invalid --days ${values.days}\n${USAGE}`);
  const files = ['ca-key.pem', 'server/ca.pem', 'server/cert.pem', 'server/key.pem', 'client/ca.pem', 'client/cert.pem', 'client/key.pem'];
  const existing = files.filter((f) => existsSync(path.join(out, f)));
  if (existing.length > 0 && !values.force) throw new Error(`${out} already holds ${existing.join(', ')}: pass --force to replace them\n${USAGE}`);
  const hosts = ['127.0.0.1', '::1', 'localhost', os.hostname(), ...values.host];
  const material = createEngineApiCertificates({ hosts, now: new Date(), validityDays: days });
  const write = (file: string, text: string, mode: number): void => {
    const target = path.join(out, file);
    mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    writeFileSync(target, text, { mode });
  };
  write('ca-key.pem', material.caKeyPem, 0o600);
  write('server/ca.pem', material.caCertPem, 0o644);
  write('server/cert.pem', material.serverCertPem, 0o644);
  write('server/key.pem', material.serverKeyPem, 0o600);
  write('client/ca.pem', material.caCertPem, 0o644);
  write('client/cert.pem', material.clientCertPem, 0o644);
  write('client/key.pem', material.clientKeyPem, 0o600);
  const host = values.host[0] ?? '127.0.0.1';
  console.log(`Wrote a CA, a server certificate (for ${[...new Set(hosts)].join(', ')}) and a client certificate under ${out}.

Serve the Engine API with TLS (client certificates required):

  GATEWAY_ADDR=${host === '127.0.0.1' ? '127.0.0.1' : '0.0.0.0'}:2376 GATEWAY_TLS_CERT_PATH=${path.join(out, 'server')} npm start

Point docker at it:

  export DOCKER_HOST=tcp://${host.includes(':') ? `[${host}]` : host}:2376 DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=${path.join(out, 'client')}
`);
}

try {
  main();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
