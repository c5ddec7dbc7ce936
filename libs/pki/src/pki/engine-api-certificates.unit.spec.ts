import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { createEngineApiCertificates, ipBytes } from './engine-api-certificates.js';

describe('Engine API certificates (npm run certs)', () => {
  const now = new Date();
  const material = createEngineApiCertificates({ hosts: ['127.0.0.1', '::1', 'localhost', 'gw.example.test', '192.0.2.10'], now });
  const ca = new X509Certificate(material.caCertPem);
  const server = new X509Certificate(material.serverCertPem);
  const client = new X509Certificate(material.clientCertPem);

  it('a self-signed CA that signed both leaves', () => {
    assert.equal(ca.ca, true);
    assert.ok(ca.verify(ca.publicKey));
    assert.ok(server.verify(ca.publicKey));
    assert.ok(client.verify(ca.publicKey));
    assert.ok(server.checkIssued(ca));
    assert.equal(server.ca, false);
  });

  it('the server certificate names every host given, as IP or DNS SAN', () => {
    assert.equal(server.subjectAltName, 'DNS:localhost, DNS:gw.example.test, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:192.0.2.10');
    assert.ok(server.checkIP('127.0.0.1'));
    assert.ok(server.checkIP('192.0.2.10'));
    assert.equal(server.checkHost('localhost'), 'localhost');
    assert.deepEqual(server.keyUsage, ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
  });

  it('the client certificate is for client authentication only', () => {
    assert.deepEqual(client.keyUsage, ['1.3.6.1.5.5.7.3.2']);
    assert.equal(client.subject, 'CN=client');
    assert.equal(client.subjectAltName, undefined);
  });

  it('valid from a little before now, for 365 days by default', () => {
    assert.ok(new Date(server.validFrom) <= now);
    const days = (new Date(server.validTo).getTime() - now.getTime()) / 86_400_000;
    assert.ok(days > 364.9 && days <= 365);
  });

  it('IPv6 addresses in every spelling', () => {
    assert.equal(ipBytes('::1').toString('hex'), '00000000000000000000000000000001');
    assert.equal(ipBytes('fe80::1:2').toString('hex'), 'fe800000000000000000000000010002');
    assert.equal(ipBytes('2001:db8:0:0:0:0:0:1').toString('hex'), '20010db8000000000000000000000001');
    assert.equal(ipBytes('10.1.2.3').toString('hex'), '0a010203');
  });
});
