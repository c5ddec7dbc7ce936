import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readRawLog } from './support/raw-log.js';
import { startStackFixture, type StackFixture } from './support/stack-fixture.js';

const INIT_BODY = { ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1', DefaultAddrPool: [], SubnetSize: 24 };

describe('the event log is the source of truth', () => {
  let fx: StackFixture;
  before(async () => {
    fx = await startStackFixture();
  });
  after(async () => {
    await fx?.stop();
  });

  it('20 concurrent inits leave one swarm: one CA, one pair of tokens, one ingress', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => fx.api('POST', '/v1.47/swarm/init', INIT_BODY)));
    assert.deepEqual(results.map((r) => r.status).sort(), [200, ...Array<number>(19).fill(503)]);
    const events = (await readRawLog(fx.natsUrl)).map((m) => JSON.parse(m.text) as { type: string });
    const count = (type: string): number => events.filter((e) => e.type === type).length;
    assert.equal(count('SwarmInitStarted'), 1);
    assert.equal(count('RootCaCreated'), 1);
    assert.equal(count('JoinTokensIssued'), 1);
    assert.equal(count('NetworkCreated'), 1);
    assert.equal(count('SwarmCreated'), 1);
    assert.equal(count('SwarmInitCompleted'), 1);
  });

  it('every event carries id, type, schema version, time, correlation id and actor', async () => {
    for (const message of await readRawLog(fx.natsUrl)) {
      const event = JSON.parse(message.text);
      assert.match(event.id, /^[0-9a-f-]{36}$/, message.text);
      assert.equal(typeof event.type, 'string');
      assert.equal(event.schemaVersion, 1);
      assert.match(event.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
      assert.equal(typeof event.metadata.correlationId, 'string');
      assert.match(event.metadata.actor, /^(api|service):/);
    }
  });

  it('no join token secret and no CA private key is stored or logged in plaintext', async () => {
    const first = JSON.parse((await fx.api('GET', '/v1.47/swarm')).text);
    await fx.docker('swarm', 'join-token', '--rotate', '-q', 'worker');
    await fx.docker('swarm', 'join-token', '--rotate', '-q', 'manager');
    const second = JSON.parse((await fx.api('GET', '/v1.47/swarm')).text);
    const tokens = [first.JoinTokens.Worker, first.JoinTokens.Manager, second.JoinTokens.Worker, second.JoinTokens.Manager] as string[];
    assert.equal(new Set(tokens).size, 4);
    const secrets = tokens.flatMap((t) => [t, t.split('-')[3]!]);
    const raw = (await readRawLog(fx.natsUrl)).map((m) => m.text).join('\n');
    const logs = readdirSync(path.join(fx.dataDir, 'logs')).map((f) => readFileSync(path.join(fx.dataDir, 'logs', f), 'utf8')).join('\n');
    for (const secret of secrets) {
      assert.ok(!raw.includes(secret), `the log holds ${secret}`);
      assert.ok(!logs.includes(secret), `a process log holds ${secret}`);
    }
    assert.ok(!raw.includes('PRIVATE KEY'), 'a private key in PEM form is in the log');
    assert.ok(raw.includes('"alg":"A256GCM"'), 'secrets are sealed');
    assert.ok(raw.includes(first.TLSInfo.TrustRoot.split('\n')[1]), 'the CA certificate itself is public and stored');
  });

  it('after every service and the gateway restart, GET /swarm, /nodes and /networks are unchanged', async () => {
    const before = await Promise.all(['/v1.47/swarm', '/v1.47/nodes', '/v1.47/networks'].map((p) => fx.api('GET', p)));
    for (const app of ['ca-service', 'token-service', 'ipam-service', 'node-service', 'gateway']) await fx.stack.restart(app);
    const after = await Promise.all(['/v1.47/swarm', '/v1.47/nodes', '/v1.47/networks'].map((p) => fx.api('GET', p)));
    assert.deepEqual(after.map((r) => r.status), [200, 200, 200]);
    assert.deepEqual(after.map((r) => JSON.parse(r.text)), before.map((r) => JSON.parse(r.text)));
    const swarm = JSON.parse(after[0]!.text);
    assert.ok(swarm.Version.Index > 0);
    const rotated = await fx.docker('swarm', 'join-token', '--rotate', '-q', 'worker');
    assert.equal(rotated.code, 0, rotated.stderr);
  });

  it('npm run rebuild folds every read model from zero and ends with the state the gateway serves', () => {
    const script = fileURLToPath(new URL('../scripts/rebuild.js', import.meta.url));
    const out = execFileSync(process.execPath, [script], {
      env: { ...process.env, NATS_URL: fx.natsUrl, SWARM_KEK_FILE: path.join(fx.dataDir, 'kek'), GATEWAY_ADDR: fx.gatewayAddr },
      encoding: 'utf8',
    });
    assert.match(out, /^rebuilt every read model from \d+ events/m);
    assert.match(out, /^state after rebuild equals the running gateway/m);
  });
});
