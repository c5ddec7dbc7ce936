import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SwarmPortLimits, SwarmPortSchemas, parseSwarmPortBody } from './protocol-schemas.js';

const description = { hostname: 'worker-1', engineVersion: '27.5.1', architecture: 'x86_64', os: 'linux', nanoCpus: 2e9, memoryBytes: 2 ** 33 };
const join = { token: 'SWMTKN-1-abc-def', csrPem: '-----BEGIN CERTIFICATE REQUEST-----\n...', availability: 'active', description };

const refusal = (body: unknown, raw?: string): string | undefined => {
  const parsed = parseSwarmPortBody('join request', raw ?? JSON.stringify(body), SwarmPortSchemas.joinRequest);
  return 'refusal' in parsed ? parsed.refusal : undefined;
};

describe('swarm port join request schema', () => {
  it('accepts a complete join, with or without an advertise address', () => {
    assert.equal(refusal(join), undefined);
    assert.equal(refusal({ ...join, advertiseAddr: '10.0.0.5:2377' }), undefined);
    assert.equal(refusal({ ...join, description: { ...description, hostname: 'a.b_c.example' } }), undefined);
  });

  it('says which field is wrong and how, in its own words', () => {
    assert.equal(refusal({ ...join, description: null }), 'invalid join request: description must be object, not null');
    const { description: _, ...missing } = join;
    assert.equal(refusal(missing), 'invalid join request: description is required');
    assert.equal(refusal({ ...join, description: { ...description, hostname: 5 } }), 'invalid join request: description.hostname must be string, not number');
    assert.equal(refusal({ ...join, description: { ...description, nanoCpus: -1 } }), 'invalid join request: description.nanoCpus must be >= 0');
    assert.equal(refusal({ ...join, description: { ...description, memoryBytes: 1.5 } }), 'invalid join request: description.memoryBytes must be integer, not number');
    assert.equal(refusal({ ...join, availability: 'sleepy' }), 'invalid join request: availability must be equal to one of the allowed values');
    assert.equal(refusal({ ...join, token: 7 }), 'invalid join request: token must be string, not number');
  });

  it('refuses host names that are not host names, and unbounded strings', () => {
    for (const hostname of ['', 'a b', 'bad..name', '-lead', 'x'.repeat(64), `${'a.'.repeat(127)}ab`, 'tab\there', 'ünï']) {
      assert.match(refusal({ ...join, description: { ...description, hostname } }) ?? 'accepted', /^invalid join request: description\.hostname must/, JSON.stringify(hostname));
    }
    assert.match(refusal({ ...join, description: { ...description, hostname: 'h'.repeat(1024 * 1024) } }) ?? '', /description\.hostname must NOT have more than 253 characters/);
    assert.match(refusal({ ...join, csrPem: 'x'.repeat(SwarmPortLimits.maxCsrPem + 1) }) ?? '', /csrPem must NOT have more than/);
    assert.match(refusal({ ...join, token: 't'.repeat(SwarmPortLimits.maxToken + 1) }) ?? '', /token must NOT have more than/);
    assert.match(refusal({ ...join, description: { ...description, os: 'linux\u0000' } }) ?? '', /description\.os must match pattern/);
  });

  it('refuses unknown properties: the description is stored as sent', () => {
    assert.match(refusal({ ...join, description: { ...description, extra: 'x'.repeat(1000) } }) ?? '', /^invalid join request: description must NOT have additional properties/);
    assert.match(refusal({ ...join, role: 'manager' }) ?? '', /^invalid join request: body must NOT have additional properties/);
  });

  it('names a body that is not a JSON object without the parser\'s words', () => {
    assert.equal(refusal(undefined, '{"token":'), 'invalid join request: the body is not valid JSON');
    assert.equal(refusal(undefined, ''), 'invalid join request: the body is empty, a JSON object is expected');
    assert.equal(refusal(null), 'invalid join request: body must be object, not null');
    assert.equal(refusal([join]), 'invalid join request: body must be object, not array');
    assert.equal(refusal('join'), 'invalid join request: body must be object, not string');
  });
});

describe('swarm port node requests and the manager replies', () => {
  it('heartbeat and leave are empty objects; renew carries a bounded CSR', () => {
    assert.equal(SwarmPortSchemas.heartbeatRequest({}), true);
    assert.equal(SwarmPortSchemas.leaveRequest({ force: true }), false);
    assert.equal(SwarmPortSchemas.renewRequest({ csrPem: 'pem' }), true);
    assert.equal(SwarmPortSchemas.renewRequest({ csrPem: 5 }), false);
  });

  it('checks replies so a broken manager answer is named, not a TypeError later', () => {
    const reply = { role: 'worker', managers: [{ NodeID: 'abc', Addr: '127.0.0.1:2377' }], heartbeatPeriodMs: 5000 };
    assert.equal(SwarmPortSchemas.heartbeatReply(reply), true);
    const broken = parseSwarmPortBody('heartbeat reply', JSON.stringify({ ...reply, managers: null }), SwarmPortSchemas.heartbeatReply);
    assert.deepEqual(broken, { refusal: 'invalid heartbeat reply: managers must be array, not null' });
    const join = { nodeId: 'n', clusterId: 'c', role: 'manager', certPem: 'c', caPem: 'ca', managers: [], heartbeatPeriodMs: 5000, nodeAddr: '127.0.0.1' };
    assert.equal(SwarmPortSchemas.joinReply(join), true);
    assert.equal(SwarmPortSchemas.joinReply({ ...join, role: 'admin' }), false);
    assert.equal(SwarmPortSchemas.renewReply({ certPem: 'c', role: 'worker' }), true);
  });

  it('checks the framing of a forwarded Engine API call', () => {
    assert.equal(SwarmPortSchemas.engineCall({ method: 'GET', path: '/v1.47/nodes?filters=%7B%7D' }), true);
    assert.equal(SwarmPortSchemas.engineCall({ method: 'POST', path: '/networks/create', contentType: 'application/json' }), true);
    assert.equal(SwarmPortSchemas.engineCall({ method: 'TRACE', path: '/nodes' }), false);
    assert.equal(SwarmPortSchemas.engineCall({ method: 'GET', path: 'nodes' }), false);
    assert.equal(SwarmPortSchemas.engineCall({ method: 'GET', path: `/${'a'.repeat(9000)}` }), false);
  });

  it('keeps the body limit far below nats-server\'s default max_payload (1 MiB)', () => {
    assert.ok(SwarmPortLimits.maxBody * 2 < 1024 * 1024);
  });
});
