import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { DomainError, Streams } from '#contracts';
import { createRootCa, generateNodeKeyAndCsr, sealSecret } from '#pki';
import { givenEvents, testKek, thenEvents } from '#testing';
import { CreateRootHandler } from '../create-root/create-root.handler.js';
import { IssueNodeCertificateHandler } from '../issue-node-certificate/issue-node-certificate.handler.js';
import { RootCasService } from '../projections/root-cas.service.js';
import { CompleteRotationHandler } from './complete-rotation.handler.js';
import { RotateRootHandler } from './rotate-root.handler.js';
import { KekHolder } from '#service-host';

const context = { correlationId: 'spec', actor: 'user:spec' };
const CLUSTER = 'cluster-1';
const stream = Streams.ca(CLUSTER);
const YEAR_MS = 365 * 24 * 3_600_000;

async function withRootCa() {
  const store = await givenEvents();
  const kek = KekHolder.fixed(testKek());
  const created = await new CreateRootHandler(store, kek).createRoot({ context, clusterId: CLUSTER });
  const roots = new RootCasService(store, kek);
  return {
    store,
    kek,
    created,
    rotate: new RotateRootHandler(store, kek, roots),
    complete: new CompleteRotationHandler(store),
    issue: new IssueNodeCertificateHandler(store, kek, roots),
  };
}

describe('rotate the root CA', () => {
  it('records a new root, its key sealed, cross-signed by the current one; a retry of the same request starts nothing more', async () => {
    const { store, created, rotate } = await withRootCa();
    await rotate.rotate({ context, clusterId: CLUSTER, rotationId: 'update-1' });
    await rotate.rotate({ context, clusterId: CLUSTER, rotationId: 'update-1' });
    const events = await thenEvents(store, stream);
    assert.deepEqual(events.map((e) => e.type), ['RootCaCreated', 'RootRotationStarted']);
    const started = events[1];
    assert.ok(started?.type === 'RootRotationStarted');
    assert.equal(started.data.origin, 'force-rotate');
    assert.notEqual(started.data.certPem, created.certPem);
    assert.ok(!JSON.stringify(started.data).includes('PRIVATE KEY'));
    const crossSigned = new X509Certificate(started.data.crossSignedCertPem);
    assert.ok(crossSigned.verify(new X509Certificate(created.certPem).publicKey));
    assert.ok(crossSigned.publicKey.equals(new X509Certificate(started.data.certPem).publicKey));
  });

  it('during the rotation nodes get a leaf of the new root and the cross-signed certificate; after its end, the leaf alone', async () => {
    const { store, rotate, complete, issue } = await withRootCa();
    await rotate.rotate({ context, clusterId: CLUSTER, rotationId: 'update-1' });
    const during = await issue.issue({ context, clusterId: CLUSTER, nodeId: 'n1', role: 'worker', expiryNs: 3600e9, csrPem: generateNodeKeyAndCsr().csrPem });
    assert.equal(during.certPem.match(/BEGIN CERTIFICATE/g)?.length, 2);
    const reply = await complete.complete({ context, clusterId: CLUSTER, rotationId: 'update-1' });
    await complete.complete({ context, clusterId: CLUSTER, rotationId: 'update-1' });
    const events = await thenEvents(store, stream);
    assert.deepEqual(events.map((e) => e.type), ['RootCaCreated', 'RootRotationStarted', 'RootRotationCompleted']);
    assert.ok(events[1]?.type === 'RootRotationStarted' && reply.caDigest === events[1].data.caDigest);
    const after = await issue.issue({ context, clusterId: CLUSTER, nodeId: 'n2', role: 'worker', expiryNs: 3600e9, csrPem: generateNodeKeyAndCsr().csrPem });
    assert.equal(after.certPem.match(/BEGIN CERTIFICATE/g)?.length, 1);
    assert.ok(events[1]?.type === 'RootRotationStarted' && new X509Certificate(after.certPem).verify(new X509Certificate(events[1].data.certPem).publicKey));
  });

  it("takes the operator's root with its key (checked only, with checkOnly), and refuses an expired one with the Engine's text, recording nothing", async () => {
    const { store, kek, rotate } = await withRootCa();
    const given = createRootCa(new Date());
    const signingCa = { certPem: given.certPem, sealedKey: sealSecret(given.keyPem, kek.current(), stream) };
    await rotate.rotate({ context, clusterId: CLUSTER, rotationId: 'check', signingCa, checkOnly: true });
    assert.equal((await thenEvents(store, stream)).length, 1);
    const expired = createRootCa(new Date(Date.now() - 21 * YEAR_MS));
    const notAfter = new Date(new X509Certificate(expired.certPem).validTo).toISOString().replace('.000Z', 'Z');
    await assert.rejects(
      rotate.rotate({ context, clusterId: CLUSTER, rotationId: 'update-2', signingCa: { certPem: expired.certPem, sealedKey: sealSecret(expired.keyPem, kek.current(), stream) } }),
      (e: unknown) =>
        e instanceof DomainError &&
        e.kind === 'InvalidParameter' &&
        new RegExp(`^rpc error: code = InvalidArgument desc = error while validating Root CA Certificate: x509: certificate has expired or is not yet valid: current time \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ is after ${notAfter}$`).test(e.message),
    );
    await assert.rejects(
      rotate.rotate({ context, clusterId: CLUSTER, rotationId: 'update-3', signingCa: { certPem: given.certPem, sealedKey: sealSecret(createRootCa(new Date()).keyPem, kek.current(), stream) } }),
      (e: unknown) => e instanceof DomainError && e.message === 'rpc error: code = InvalidArgument desc = certificate key mismatch',
    );
    assert.equal((await thenEvents(store, stream)).length, 1, 'nothing recorded');
    await rotate.rotate({ context, clusterId: CLUSTER, rotationId: 'update-4', signingCa });
    const [, started] = await thenEvents(store, stream);
    assert.ok(started?.type === 'RootRotationStarted' && started.data.origin === 'signing-ca' && started.data.certPem === given.certPem);
  });
});
