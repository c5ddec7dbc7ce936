import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startStackFixture, type StackFixture } from './support/stack-fixture.js';

interface Recorded {
  at: string;
  position: number;
  swarm: Record<string, unknown>;
  nodes: unknown[];
  networks: unknown[];
}

describe('audit API', () => {
  let fx: StackFixture;
  const snapshots: Recorded[] = [];
  const get = async (path: string): Promise<unknown> => JSON.parse((await fx.api('GET', path)).text);
  const head = async (): Promise<number> => {
    const events = (await get('/audit/events?limit=10000')) as { position: number }[];
    return events.at(-1)?.position ?? 0;
  };
  const record = async (): Promise<void> => {
    await new Promise((r) => setTimeout(r, 20));
    const at = new Date().toISOString();
    const [swarm, nodes, networks] = await Promise.all([get('/v1.47/swarm'), get('/v1.47/nodes'), get('/v1.47/networks')]);
    snapshots.push({ at, position: await head(), swarm: swarm as Record<string, unknown>, nodes: nodes as unknown[], networks: networks as unknown[] });
    await new Promise((r) => setTimeout(r, 20));
  };

  before(async () => {
    fx = await startStackFixture();
    await fx.docker('swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', '127.0.0.1:2377');
    await record();
    await fx.docker('network', 'create', '-d', 'overlay', 'a1');
    await fx.docker('swarm', 'join-token', '--rotate', '-q', 'worker');
    await record();
    await fx.docker('network', 'create', '-d', 'overlay', '--label', 'x=y', 'a2');
    await fx.docker('network', 'rm', 'a1');
    await fx.docker('node', 'update', '--availability', 'drain', (await fx.docker('info', '--format', '{{.Swarm.NodeID}}')).stdout.trim());
    await record();
  });
  after(async () => {
    await fx?.stop();
  });

  it('state at a past time or position equals what the Engine API returned then (tokens by fingerprint only)', async () => {
    for (const snapshot of snapshots) {
      for (const query of [`at=${encodeURIComponent(snapshot.at)}`, `position=${snapshot.position}`]) {
        const state = (await get(`/audit/state?${query}`)) as Recorded & { swarm: Record<string, unknown> };
        const { JoinTokens, ...swarm } = snapshot.swarm;
        const { JoinTokenFingerprints, ...auditSwarm } = state.swarm;
        assert.deepEqual(auditSwarm, swarm, query);
        assert.deepEqual(state.nodes, snapshot.nodes, query);
        assert.deepEqual(state.networks, snapshot.networks, query);
        const fingerprints = JoinTokenFingerprints as { worker: string; manager: string };
        assert.match(fingerprints.worker, /^sha256:[0-9a-f]{64}$/);
        assert.ok(!JSON.stringify(state).includes((JoinTokens as { Worker: string }).Worker.slice(-25)));
      }
    }
    const [first, second] = snapshots as [Recorded, Recorded];
    const before = (await get(`/audit/state?position=${first.position}`)) as { swarm: { JoinTokenFingerprints: { worker: string; manager: string } } };
    const afterRotation = (await get(`/audit/state?position=${second.position}`)) as typeof before;
    assert.notEqual(before.swarm.JoinTokenFingerprints.worker, afterRotation.swarm.JoinTokenFingerprints.worker);
    assert.equal(before.swarm.JoinTokenFingerprints.manager, afterRotation.swarm.JoinTokenFingerprints.manager);
  });

  it('the history carries full metadata, filters by stream, type and actor, and redacts sealed values', async () => {
    const events = (await get('/audit/events')) as { type: string; stream: string; position: number; metadata: { actor: string; correlationId: string } }[];
    assert.ok(events.length > 5);
    assert.deepEqual(events.map((e) => e.position), [...events.map((e) => e.position)].sort((a, b) => a - b));
    const text = JSON.stringify(events);
    assert.ok(!text.includes('"ct":'), 'no sealed ciphertext');
    assert.ok(text.includes('[sealed]'));
    const created = (await get('/audit/events?type=NetworkCreated')) as typeof events;
    assert.deepEqual(created.map((e) => e.type), ['NetworkCreated', 'NetworkCreated', 'NetworkCreated']);
    // The fixture's API is the unix socket, whose callers have no address.
    const byApi = (await get('/audit/events?actor=api:unix')) as typeof events;
    assert.ok(byApi.length > 0 && byApi.every((e) => e.metadata.actor === 'api:unix'));
    const membership = (await get('/audit/events?stream=membership')) as typeof events;
    assert.deepEqual(membership.map((e) => e.type), ['SwarmInitStarted', 'SwarmInitCompleted']);
  });

  it('the history of CA creations and token rotations, and the OpenAPI page', async () => {
    const rotations = (await get('/audit/rotations')) as { type: string; role?: string }[];
    assert.deepEqual(rotations.map((r) => `${r.type}${r.role ? `:${r.role}` : ''}`), ['RootCaCreated', 'JoinTokensIssued', 'JoinTokenRotated:worker']);
    const openapi = (await get('/audit/openapi.json')) as { openapi: string; paths: Record<string, unknown> };
    assert.match(openapi.openapi, /^3\./);
    assert.deepEqual(Object.keys(openapi.paths).sort(), ['/audit', '/audit/events', '/audit/openapi.json', '/audit/rotations', '/audit/skipped-events', '/audit/state', '/metrics']);
    assert.deepEqual(await get('/audit/skipped-events'), { invalid: [], skipped: [] }, 'a log written through the store has nothing to skip');
    const page = await fx.api('GET', '/audit');
    assert.equal(page.status, 200);
    assert.match(page.text, /<h1>swarmplane audit and metrics API<\/h1>/);
  });
});
