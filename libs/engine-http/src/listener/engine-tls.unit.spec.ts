import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createEngineApiCertificates } from '#pki';
// Test-only: the PKI's building blocks, to make client certificates the CLI recipe would not.
import { signCertificate } from '../../../pki/src/pki/certificate.js';
import { authorityKeyIdentifier, extendedKeyUsage } from '../../../pki/src/pki/extensions.js';
import { generateP256KeyPair, keyIdentifier, randomSerial, spkiDer } from '../../../pki/src/pki/keys.js';
import { distinguishedNameDer } from '../../../pki/src/pki/names.js';
import { Oid } from '../../../pki/src/pki/oids.js';
import { PLAIN_HTTP_TO_TLS_ANSWER, engineTlsServerOptions, watchTlsHandshakes } from './engine-tls.js';

const material = createEngineApiCertificates({ hosts: ['127.0.0.1'], now: new Date() });

/** A client certificate from the same CA with the given extended key usages (none: no extension). */
function clientCert(purposes: readonly string[] | undefined, notAfter = new Date(Date.now() + 86_400_000)): { cert: string; key: string } {
  const key = generateP256KeyPair();
  const caSpki = new X509Certificate(material.caCertPem).publicKey.export({ type: 'spki', format: 'der' });
  const cert = signCertificate(
    {
      serial: randomSerial(),
      issuerDer: distinguishedNameDer([{ type: 'CN', value: 'swarmplane Engine API CA' }]),
      subjectDer: distinguishedNameDer([{ type: 'CN', value: 'client' }]),
      notBefore: new Date(Date.now() - 2 * 86_400_000),
      notAfter,
      subjectPublicKeyInfoDer: spkiDer(key.publicKey),
      extensions: [...(purposes ? [extendedKeyUsage(purposes)] : []), authorityKeyIdentifier(keyIdentifier(caSpki))],
    },
    // The real CA's key: only the extensions or the dates differ from the client certificate of `npm run certs`.
    createPrivateKey(material.caKeyPem),
  );
  return { cert, key: key.privateKeyPem };
}

describe("dockerd's --tlsverify with Node's TLS", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'engine-tls-'));
  let server: https.Server;
  let port = 0;
  const warnings: string[] = [];
  before(async () => {
    for (const [name, text] of Object.entries({ 'ca.pem': material.caCertPem, 'cert.pem': material.serverCertPem, 'key.pem': material.serverKeyPem })) writeFileSync(path.join(dir, name), text);
    const options = engineTlsServerOptions({ ca: path.join(dir, 'ca.pem'), cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem') });
    server = https.createServer(options, (_req, res) => res.end('OK'));
    watchTlsHandshakes(server, (m) => warnings.push(m));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ping = (client: { cert?: string; key?: string }): Promise<string> =>
    new Promise((resolve) => {
      const request = https.get({ host: '127.0.0.1', port, path: '/_ping', ca: material.caCertPem, ...client, agent: false }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve(`${res.statusCode} ${text}`));
      });
      request.on('error', (error: NodeJS.ErrnoException) => resolve(`refused: ${error.code ?? error.message}`));
    });

  it('accepts a client certificate with clientAuth, or with no extended key usage (as Go does)', async () => {
    assert.equal(await ping({ cert: material.clientCertPem, key: material.clientKeyPem }), '200 OK');
    assert.equal(await ping(clientCert([Oid.clientAuth])), '200 OK');
    assert.equal(await ping(clientCert(undefined)), '200 OK');
  });

  it('refuses no certificate, a serverAuth-only one, an expired one, one from another CA', async () => {
    assert.match(await ping({}), /^refused: /);
    assert.match(await ping(clientCert([Oid.serverAuth])), /^refused: /);
    assert.match(await ping(clientCert([Oid.clientAuth], new Date(Date.now() - 86_400_000))), /^refused: /);
    const other = createEngineApiCertificates({ hosts: ['127.0.0.1'], now: new Date() });
    assert.match(await ping({ cert: other.clientCertPem, key: other.clientKeyPem }), /^refused: /);
    assert.ok(warnings.some((w) => w.startsWith('TLS handshake error from 127.0.0.1:')), warnings.join('\n'));
  });

  it('answers plain HTTP with the bytes dockerd sends', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write('GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n'));
      let text = '';
      socket.on('data', (c) => (text += c.toString('latin1')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    assert.equal(raw, PLAIN_HTTP_TO_TLS_ANSWER);
  });

  it('offers TLS 1.2 and 1.3 only', async () => {
    const tls11 = await new Promise<string>((resolve) => {
      https
        .get({ host: '127.0.0.1', port, ca: material.caCertPem, cert: material.clientCertPem, key: material.clientKeyPem, maxVersion: 'TLSv1.1', minVersion: 'TLSv1', agent: false }, () => resolve('connected'))
        .on('error', (e: NodeJS.ErrnoException) => resolve(`refused: ${e.code}`));
    });
    assert.match(tls11, /^refused: /);
  });
});
