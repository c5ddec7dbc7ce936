import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { Streams, type SwarmEvent } from '#contracts';
import { renewalDueMs } from '#domain';
import { givenEvents, newEventOf, standInRpc, testKek } from '#testing';
import { CreateRootHandler } from '../../../ca-service/src/create-root/create-root.handler.js';
import { IssueNodeCertificateHandler } from '../../../ca-service/src/issue-node-certificate/issue-node-certificate.handler.js';
import { RootCasService } from '../../../ca-service/src/projections/root-cas.service.js';
import { RotateRootHandler } from '../../../ca-service/src/rotate-root/rotate-root.handler.js';
import { activeSwarm, CLUSTER, MANAGER, specContext as context } from '../projections/nodes.test-helper.js';
import { ClusterNodesService } from '../projections/cluster-nodes.service.js';
import type { Clock } from './clock.js';
import { ManagerRenewalService } from './manager-renewal.service.js';
import { KekHolder } from '#service-host';

const DAY_MS = 24 * 3_600_000;
const NINETY_DAYS_NS = 90 * DAY_MS * 1e6;

/**
 * The manager's own certificate (the one the gateway serves on the swarm port) under an injected
 * clock: the real ca-service handlers issue into the same in-memory log, node-service's read model
 * follows it, and the clock is moved instead of waited for.
 */
async function givenManagerCertificate() {
  const { [Streams.ca(CLUSTER)]: _ca, ...swarm } = activeSwarm();
  void _ca;
  const store = await givenEvents(swarm);
  const kek = KekHolder.fixed(testKek());
  await new CreateRootHandler(store, kek).createRoot({ context, clusterId: CLUSTER });
  const roots = new RootCasService(store, kek);
  const issuer = new IssueNodeCertificateHandler(store, kek, roots);
  await issuer.issue({ context, clusterId: CLUSTER, nodeId: MANAGER, role: 'manager', expiryNs: NINETY_DAYS_NS });
  const nodes = new ClusterNodesService(store);
  await nodes.onModuleInit();
  const { rpc, sent } = standInRpc({ 'ca.node-certificate.issue': (request) => issuer.issue(request) });
  const clock = { nowMs: Date.now(), now(): number { return this.nowMs; } } satisfies Clock & { nowMs: number };
  const renewal = new ManagerRenewalService(nodes, rpc, clock);
  const current = async () => {
    await nodes.current();
    const certificate = nodes.state.certificates.get(MANAGER);
    assert.ok(certificate);
    return certificate;
  };
  return { store, kek, roots, nodes, sent, clock, renewal, current, stop: () => nodes.onApplicationShutdown() };
}

describe("the manager's own certificate is renewed like an agent's (injected clock)", () => {
  it('not before 50% of its life, by 80% at the latest; the new one replaces it in the log', async () => {
    const { sent, clock, renewal, current, stop } = await givenManagerCertificate();
    const first = await current();
    const due = renewalDueMs(first);
    assert.ok(due !== undefined && first.notBeforeMs !== undefined);
    const life = first.notAfterMs - first.notBeforeMs;
    assert.ok(due >= first.notBeforeMs + 0.5 * life && due <= first.notBeforeMs + 0.8 * life);
    for (const at of [clock.nowMs, first.notBeforeMs + 0.5 * life - 60_000, due - 1]) {
      clock.nowMs = at;
      await renewal.check();
    }
    assert.deepEqual(sent, []);
    clock.nowMs = due;
    await renewal.check();
    assert.equal(sent.length, 1);
    const { context: _context, ...asked } = (sent as { request: unknown }[])[0]?.request as Record<string, unknown>;
    void _context;
    assert.deepEqual(asked, { clusterId: CLUSTER, nodeId: MANAGER, role: 'manager', expiryNs: NINETY_DAYS_NS, renewsSerial: first.serial });
    const renewed = await current();
    assert.notEqual(renewed.serial, first.serial);
    // The new certificate is not due at once (the CA issued it now, on the real clock).
    clock.nowMs = Date.now();
    await renewal.check();
    assert.equal(sent.length, 1);
    await stop();
  });

  it('at once after a --cert-expiry change: the new certificate has the new life', async () => {
    const { store, sent, clock, renewal, current, stop } = await givenManagerCertificate();
    const { events } = await store.readStream(Streams.cluster(CLUSTER));
    const created = events[0]?.data as Extract<SwarmEvent, { type: 'SwarmCreated' }>['data'];
    const spec = { ...created.spec, CAConfig: { NodeCertExpiry: 3_600_000_000_000 } };
    const updated: SwarmEvent = { type: 'SwarmUpdated', data: { clusterId: CLUSTER, spec, rotateWorkerToken: false, rotateManagerToken: false, rotateManagerUnlockKey: false } };
    await store.append(Streams.cluster(CLUSTER), [newEventOf(updated)], 'any');
    await current();
    clock.nowMs = Date.now();
    await renewal.check();
    assert.equal(sent.length, 1);
    const renewed = await current();
    assert.equal(renewed.notAfterMs - (renewed.notBeforeMs ?? 0), 2 * 3_600_000);
    // Its life starts an hour back, as the Engine's do, so its 50%-80% window opens at its issue
    // and may already be open on the real clock: ask just before the window, not at "now".
    clock.nowMs = (renewed.notBeforeMs ?? 0) + 3_600_000 - 60_000;
    await renewal.check();
    assert.equal(sent.length, 1, 'renewed once');
    await stop();
  });

  it('at once when a root rotation starts: a certificate of the new root with the cross-signed intermediate', async () => {
    const { store, kek, roots, sent, clock, renewal, current, stop } = await givenManagerCertificate();
    await new RotateRootHandler(store, kek, roots).rotate({ context, clusterId: CLUSTER, rotationId: 'rotation-1' });
    const { events } = await store.readStream(Streams.ca(CLUSTER));
    const started = events.at(-1)?.data as Extract<SwarmEvent, { type: 'RootRotationStarted' }>['data'];
    await current();
    clock.nowMs = Date.now();
    await renewal.check();
    assert.equal(sent.length, 1);
    assert.equal((await current()).issuerCaDigest, started.caDigest);
    const issued = (await store.readStream(Streams.nodeCertificate(MANAGER))).events.at(-1)?.data as { certPem: string };
    const [leaf, intermediate] = issued.certPem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
    assert.ok(leaf && intermediate);
    const root = new X509Certificate(started.certPem);
    assert.ok(new X509Certificate(leaf).verify(root.publicKey));
    assert.equal(new X509Certificate(intermediate).subject, root.subject);
    await stop();
  });

  it('two replicas that find it due at the same moment renew it once', async () => {
    const first = await givenManagerCertificate();
    const other = new ClusterNodesService(first.store);
    await other.onModuleInit();
    const second = new ManagerRenewalService(other, standInRpc({ 'ca.node-certificate.issue': (r) => new IssueNodeCertificateHandler(first.store, first.kek, first.roots).issue(r) }).rpc, first.clock);
    const due = renewalDueMs(await first.current());
    first.clock.nowMs = due ?? 0;
    await Promise.all([first.renewal.check(), second.check()]);
    const { events } = await first.store.readStream(Streams.nodeCertificate(MANAGER));
    assert.equal(events.length, 2, 'the first certificate and one renewal');
    await other.onApplicationShutdown();
    await first.stop();
  });
});
