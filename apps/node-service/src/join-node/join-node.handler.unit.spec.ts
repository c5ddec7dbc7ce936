import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError, Streams, SwarmErrors, type JoinNodeRequest } from '#contracts';
import { engineFixture, standInRpc, thenEvents } from '#testing';
import { activeSwarm, CLUSTER, givenNodes, specContext as context } from '../projections/nodes.test-helper.js';
import { JoinNodeHandler } from './join-node.handler.js';

const request = (extra: Partial<JoinNodeRequest> = {}): JoinNodeRequest => ({
  context, token: 'SWMTKN-1-digest-secret', csrPem: 'csr', availability: 'active', addr: '192.0.2.9', description: engineFixture, ...extra,
});

describe('join node', () => {
  it('registers the node with the role its token grants and the certificate the CA signed', async () => {
    const { store, nodes, stop } = await givenNodes(activeSwarm());
    const { rpc, sent } = standInRpc({
      'tokens.validate': () => ({ role: 'manager', clusterId: CLUSTER }),
      'ca.node-certificate.issue': () => ({ certPem: 'signed', position: 1 }),
    });
    const reply = await new JoinNodeHandler(nodes, rpc).join(request());
    assert.deepEqual([reply.clusterId, reply.role, reply.certPem], [CLUSTER, 'manager', 'signed']);
    assert.match(reply.caPem, /BEGIN CERTIFICATE/);
    const [registered, ...more] = await thenEvents(store, Streams.node(reply.nodeId));
    assert.equal(more.length, 0);
    assert.ok(registered?.type === 'NodeRegistered');
    assert.deepEqual(
      [registered.data.role, registered.data.addr, registered.data.managerAddr, registered.data.leader, registered.data.engine],
      ['manager', '192.0.2.9', '192.0.2.9:2377', false, engineFixture],
    );
    assert.deepEqual(sent.map((s) => s.subject), ['tokens.validate', 'ca.node-certificate.issue']);
    assert.equal(reply.position, registered.position);
    await stop();
  });

  it('records nothing for a token the token service rejects, or a request its schema refuses', async () => {
    const { store, nodes, stop } = await givenNodes(activeSwarm());
    const head = await store.headPosition();
    const { rpc } = standInRpc({
      'tokens.validate': () => {
        throw new DomainError(SwarmErrors.joinTokenRejected());
      },
    });
    const handler = new JoinNodeHandler(nodes, rpc);
    await assert.rejects(handler.join(request()), (e: unknown) => e instanceof DomainError && e.code === 'JoinTokenRejected');
    await assert.rejects(handler.join({ ...request(), addr: 'not an address!' }), (e: unknown) => e instanceof DomainError && e.kind === 'InvalidParameter');
    assert.equal(await store.headPosition(), head);
    await stop();
  });
});
