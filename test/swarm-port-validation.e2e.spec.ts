import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SwarmPortPaths } from '#contracts';
import { generateNodeKeyAndCsr } from '#pki';
import { freePort } from '#testing';
import { readRawLog } from './support/raw-log.js';
import { startStackFixture, type StackFixture } from './support/stack-fixture.js';
import { SwarmPortClient } from './support/swarm-port-client.js';

/** A worker-token holder must not be able to store a node that breaks the manager's reads. */
describe('the swarm port refuses malformed bodies before anything is written', () => {
  let fx: StackFixture;
  let port: SwarmPortClient;
  let ca: string;
  let token: string;
  const description = { hostname: 'worker-1', engineVersion: 'test', architecture: 'x86_64', os: 'linux', nanoCpus: 1e9, memoryBytes: 2 ** 30 };

  before(async () => {
    fx = await startStackFixture();
    const listen = await freePort();
    const init = await fx.docker('swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', `127.0.0.1:${listen}`);
    assert.equal(init.code, 0, init.stderr);
    // A source address of its own: these refusals count as failed joins, apart from other tests'.
    port = new SwarmPortClient('127.0.0.1', listen, '127.0.0.9');
    ca = (await port.rootCa()).body;
    token = (await fx.docker('swarm', 'join-token', '-q', 'worker')).stdout.trim();
  });
  after(async () => {
    await fx?.stop();
  });

  it('answers 400 with what is wrong, and writes no event', async () => {
    const { csrPem } = generateNodeKeyAndCsr();
    const join = { token, csrPem, availability: 'active', description };
    const { description: _, ...withoutDescription } = join;
    const cases: [string, string, string | RegExp][] = [
      ['description null', JSON.stringify({ ...join, description: null }), 'invalid join request: description must be object, not null'],
      ['description missing', JSON.stringify(withoutDescription), 'invalid join request: description is required'],
      ['hostname 5', JSON.stringify({ ...join, description: { ...description, hostname: 5 } }), 'invalid join request: description.hostname must be string, not number'],
      ['200 KB hostname', JSON.stringify({ ...join, description: { ...description, hostname: 'h'.repeat(200_000) } }), 'invalid join request: description.hostname must NOT have more than 253 characters'],
      ['1 MB hostname', JSON.stringify({ ...join, description: { ...description, hostname: 'h'.repeat(1 << 20) } }), 'request body too large: at most 262144 bytes'],
      ['truncated JSON', JSON.stringify(join).slice(0, 40), 'invalid join request: the body is not valid JSON'],
      ['null body', 'null', 'invalid join request: body must be object, not null'],
      ['array body', JSON.stringify([join]), 'invalid join request: body must be object, not array'],
      ['extra property in description', JSON.stringify({ ...join, description: { ...description, Platform: 'x' } }), /^invalid join request: description must NOT have additional properties$/],
    ];
    const logBefore = (await readRawLog(fx.natsUrl)).length;
    for (const [name, body, message] of cases) {
      const response = await port.joinRaw(body, ca);
      assert.equal(response.status, 400, `${name}: ${response.body}`);
      const text = (JSON.parse(response.body) as { message: string }).message;
      if (typeof message === 'string') assert.equal(text, message, name);
      else assert.match(text, message, name);
      assert.doesNotMatch(text, /Unexpected|JSON input|TypeError|Cannot read/, name);
    }
    assert.equal((await readRawLog(fx.natsUrl)).length, logBefore, 'no event was written');
  });

  it('refuses malformed renew, heartbeat and leave bodies from a member, writing nothing', async () => {
    const joined = await port.join(token, ca, 'worker-checked');
    assert.equal(joined.response.status, 200, joined.response.body);
    const identity = { keyPem: joined.keyPem, certPem: joined.reply!.certPem, ca };
    const logBefore = (await readRawLog(fx.natsUrl)).length;
    const renew = await port.asNode(SwarmPortPaths.renew, identity, { csrPem: null });
    assert.deepEqual([renew.status, JSON.parse(renew.body).message], [400, 'invalid renew request: csrPem must be string, not null']);
    const leave = await port.asNode(SwarmPortPaths.leave, identity, []);
    assert.deepEqual([leave.status, JSON.parse(leave.body).message], [400, 'invalid leave request: body must be object, not array']);
    assert.equal((await readRawLog(fx.natsUrl)).length, logBefore, 'no event was written');
    const beat = await port.asNode(SwarmPortPaths.heartbeat, identity, { extra: 1 });
    assert.deepEqual([beat.status, JSON.parse(beat.body).message], [400, 'invalid heartbeat request: body must NOT have additional properties']);
  });

  it('still lists nodes and shows its state, and a normal join still works', async () => {
    const ls = await fx.docker('node', 'ls', '--format', '{{.Hostname}}');
    assert.equal(ls.code, 0, ls.stderr);
    assert.equal((await fx.api('GET', '/v1.47/nodes')).status, 200);
    assert.equal((await fx.api('GET', '/audit/state')).status, 200);
    const joined = await port.join(token, ca, 'worker-after');
    assert.equal(joined.response.status, 200, joined.response.body);
    const after = await fx.docker('node', 'ls', '--format', '{{.Hostname}}');
    assert.ok(after.stdout.split('\n').includes('worker-after'), after.stdout);
  });
});
