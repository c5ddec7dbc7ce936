import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '#contracts';
import { standInRpc } from '#testing';
import { activeSwarm, CLUSTER, givenNodes, specContext as context, worker } from '../projections/nodes.test-helper.js';
import { RemoveNodeHandler } from '../remove-node/remove-node.handler.js';
import { RenewCertificateHandler } from './renew-certificate.handler.js';

describe('renew certificate', () => {
  it('has the CA sign the CSR for the node\'s current role and cluster', async () => {
    const { nodes, stop } = await givenNodes({ ...activeSwarm(), ...worker('w1') });
    const { rpc, sent } = standInRpc({ 'ca.node-certificate.issue': () => ({ certPem: 'renewed', position: 77 }) });
    const reply = await new RenewCertificateHandler(nodes, rpc).renew({ context, nodeId: 'w1', csrPem: 'csr' });
    assert.deepEqual(reply, { certPem: 'renewed', role: 'worker', position: 77 });
    const [asked] = sent;
    assert.equal(asked?.subject, 'ca.node-certificate.issue');
    assert.deepEqual(asked?.request, { context: { ...context, actor: 'service:node-service' }, clusterId: CLUSTER, nodeId: 'w1', role: 'worker', expiryNs: 90 * 24 * 3600 * 1e9, csrPem: 'csr' });
    await stop();
  });

  it('refuses a node that was removed (or never joined), without asking the CA', async () => {
    const { nodes, stop } = await givenNodes({ ...activeSwarm(), ...worker('w1', 'down') });
    await new RemoveNodeHandler(nodes).remove({ context, nodeId: 'w1', force: false });
    const { rpc, sent } = standInRpc({});
    const handler = new RenewCertificateHandler(nodes, rpc);
    for (const nodeId of ['w1', 'stranger']) {
      await assert.rejects(handler.renew({ context, nodeId, csrPem: 'csr' }), (e: unknown) => e instanceof DomainError && e.code === 'NodeRemoved');
    }
    assert.deepEqual(sent, []);
    await stop();
  });
});
