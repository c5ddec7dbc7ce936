import { KekHolder } from '#service-host';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { DomainError, Streams, type IssueNodeCertificateRequest } from '#contracts';
import { generateNodeKeyAndCsr } from '#pki';
import { givenEvents, testKek, thenEvents } from '#testing';
import { CreateRootHandler } from '../create-root/create-root.handler.js';
import { RootCasService } from '../projections/root-cas.service.js';
import { IssueNodeCertificateHandler } from './issue-node-certificate.handler.js';

const context = { correlationId: 'spec', actor: 'user:spec' };
const request = (nodeId: string, extra: Partial<IssueNodeCertificateRequest> = {}): IssueNodeCertificateRequest => ({
  context,
  clusterId: 'cluster-1',
  nodeId,
  role: 'worker',
  expiryNs: 90 * 24 * 3600 * 1e9,
  ...extra,
});

/** A store with the cluster's root CA, and the handler under test with the same KEK. */
async function withRootCa() {
  const store = await givenEvents();
  const kek = testKek();
  await new CreateRootHandler(store, KekHolder.fixed(kek)).createRoot({ context, clusterId: 'cluster-1' });
  return { store, kek, handler: new IssueNodeCertificateHandler(store, KekHolder.fixed(kek), new RootCasService(store, KekHolder.fixed(kek))) };
}

describe('issue node certificate', () => {
  it('for a joining node with a CSR: records the certificate, without a key of its own', async () => {
    const { store, handler } = await withRootCa();
    const reply = await handler.issue(request('node-a', { csrPem: generateNodeKeyAndCsr().csrPem }));
    const [issued, ...more] = await thenEvents(store, Streams.nodeCertificate('node-a'));
    assert.equal(more.length, 0);
    assert.ok(issued?.type === 'NodeCertificateIssued');
    assert.deepEqual([issued.data.certPem, issued.data.role, issued.data.sealedKey], [reply.certPem, 'worker', undefined]);
  });

  it('for the init manager (no key given): makes the key pair once, sealed; a retry answers the same certificate', async () => {
    const { store, handler } = await withRootCa();
    const first = await handler.issue(request('node-m', { role: 'manager' }));
    const again = await handler.issue(request('node-m', { role: 'manager' }));
    assert.deepEqual(again, first);
    const events = await thenEvents(store, Streams.nodeCertificate('node-m'));
    assert.equal(events.length, 1);
    assert.ok(events[0]?.type === 'NodeCertificateIssued' && events[0].data.sealedKey !== undefined);
  });

  it('renews: given a certificate, a new key gets a new certificate after it', async () => {
    const { store, handler } = await withRootCa();
    await handler.issue(request('node-r', { csrPem: generateNodeKeyAndCsr().csrPem }));
    const publicKeyPem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const renewed = await handler.issue(request('node-r', { publicKeyPem }));
    const events = await thenEvents(store, Streams.nodeCertificate('node-r'));
    assert.equal(events.length, 2);
    assert.ok(events[1]?.type === 'NodeCertificateIssued' && events[1].data.certPem === renewed.certPem);
  });

  it('refuses a CSR it cannot parse, and records nothing', async () => {
    const { store, handler } = await withRootCa();
    await assert.rejects(handler.issue(request('node-x', { csrPem: 'not a csr' })), (e: unknown) => e instanceof DomainError && e.kind === 'InvalidParameter');
    assert.deepEqual(await thenEvents(store, Streams.nodeCertificate('node-x')), []);
  });

  it('refuses a cluster without a root CA', async () => {
    const store = await givenEvents();
    await assert.rejects(new IssueNodeCertificateHandler(store, KekHolder.fixed(testKek()), new RootCasService(store, KekHolder.fixed(testKek()))).issue(request('node-y')), /no root CA/);
  });
});
