/**
 * The gateway's HTTP contract, in process, with supertest against the Nest application that
 * main.ts builds (gateway-http.ts): versioned paths, Docker's headers, validation errors and the
 * mapping of errors to status and `{"message"}`. Behind the controllers are STAND-INS, not the
 * real services: an in-memory event store seeded per test and stand-in replies on the NATS
 * subjects (gateway-app.test-helper.ts). The real services and the docker CLI are the e2e tests'.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { type EventData, Streams, type SwarmEvent } from '#contracts';
import { API_VERSION, ENGINE_VERSION, MAX_BODY_BYTES } from '#engine-http';
import { nodeRegisteredData, swarmInitStartedData } from '#testing';
import { gatewayUnderTest, type GatewayUnderTest } from './gateway-app.test-helper.js';

const ENGINE_HEADERS = { 'api-version': API_VERSION, 'docker-experimental': 'false', ostype: 'linux', server: `Docker/${ENGINE_VERSION} (linux)` };
const NOT_MANAGER = 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.';

function network(overrides: Partial<EventData<'NetworkCreated'>>): EventData<'NetworkCreated'> {
  return {
    networkId: 'net1aaaaaaaaaaaaaaaaaaaaa', clusterId: 'c1', name: 'net1', driver: 'overlay', ingress: false, internal: false,
    attachable: false, labels: {}, options: {}, subnet: '10.0.1.0/24', gateway: '10.0.1.1', explicitSubnet: false, vxlanId: 4097,
    createdAt: '2026-12-01T10:00:00.000000001Z', ...overrides,
  };
}

/** An active one-manager swarm (cluster c1, node n1) with ingress and a labelled network. */
const ACTIVE_SWARM: Record<string, readonly SwarmEvent[]> = {
  [Streams.membership()]: [
    { type: 'SwarmInitStarted', data: swarmInitStartedData({ initId: 'i1', clusterId: 'c1', nodeId: 'n1', ingressNetworkId: 'ingress1aaaaaaaaaaaaaaaaa' }) },
    { type: 'SwarmInitCompleted', data: { initId: 'i1', clusterId: 'c1', nodeId: 'n1' } },
  ],
  [Streams.node('n1')]: [{ type: 'NodeRegistered', data: nodeRegisteredData({ nodeId: 'n1', clusterId: 'c1', role: 'manager', leader: true }) }],
  [Streams.ipam('c1')]: [
    { type: 'AddressPoolsConfigured', data: { clusterId: 'c1', pools: [], subnetSize: 24 } },
    { type: 'NetworkCreated', data: network({ networkId: 'ingress1aaaaaaaaaaaaaaaaa', name: 'ingress', ingress: true, subnet: '10.0.0.0/24', gateway: '10.0.0.1', vxlanId: 4096 }) },
    { type: 'NetworkCreated', data: network({ labels: { team: 'web' } }) },
  ],
};

describe('gateway HTTP contract, in process (supertest; stand-ins for the services and the store)', () => {
  let active: GatewayUnderTest;
  let inactive: GatewayUnderTest;
  const onActive = () => request(active.app.getHttpServer());
  const onInactive = () => request(inactive.app.getHttpServer());

  before(async () => {
    active = await gatewayUnderTest({
      history: ACTIVE_SWARM,
      services: {
        'swarm.update': () => ({ position: 1 }),
        'nodes.update': () => ({ position: 1 }),
        'networks.remove': () => {
          throw new Error('a stand-in transport failure');
        },
      },
    });
    inactive = await gatewayUnderTest({ health: { healthy: false, failures: ['store (JetStream): timeout'] } });
  });
  after(async () => {
    await active?.close();
    await inactive?.close();
  });

  describe('versioned paths and headers', () => {
    it('serves every route under /vX.Y (minimum 1.24 to 1.47) and unversioned, with the Engine headers', async () => {
      for (const path of ['/version', '/v1.24/version', `/v${API_VERSION}/version`]) {
        const r = await onActive().get(path);
        assert.equal(r.status, 200, path);
        assert.deepEqual(pick(r.headers, Object.keys(ENGINE_HEADERS)), ENGINE_HEADERS, path);
        assert.equal(r.headers['content-type'], 'application/json', 'exactly application/json: the CLI reads errors only then');
        assert.ok(r.text.endsWith('}\n'), 'JSON ends with a newline, as Go encodes it');
        assert.equal(JSON.parse(r.text).ApiVersion, API_VERSION);
      }
    });

    it('refuses a version below the minimum in plain text and above the maximum in JSON', async () => {
      const old = await onActive().get('/v1.11/version');
      assert.deepEqual([old.status, old.headers['content-type'], old.headers['x-content-type-options']], [400, 'text/plain; charset=utf-8', 'nosniff']);
      assert.equal(old.text, 'client version 1.11 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version\n');
      const young = await onActive().get('/v1.99/version');
      assert.deepEqual([young.status, young.text], [400, `{"message":"client version 1.99 is too new. Maximum supported API version is ${API_VERSION}"}\n`]);
    });

    it('HEAD and GET /_ping: no caching, the Swarm state, text/plain', async () => {
      const head = await onActive().head('/_ping');
      assert.equal(head.status, 200);
      assert.deepEqual(pick(head.headers, ['cache-control', 'pragma', 'content-type', 'content-length', 'swarm']), {
        'cache-control': 'no-cache, no-store, must-revalidate', pragma: 'no-cache', 'content-type': 'text/plain; charset=utf-8', 'content-length': '0', swarm: 'active/manager',
      });
      const get = await onActive().get('/v1.41/_ping');
      assert.deepEqual([get.status, get.text, get.headers.swarm], [200, 'OK', 'active/manager']);
    });

    it('an empty 200 has no Content-Type (swarm update, node update), as Go writes it', async () => {
      const update = await onActive().post('/v1.41/swarm/update?version=3&rotateWorkerToken=true').send('{}');
      assert.deepEqual([update.status, update.headers['content-type'], update.headers['content-length'], update.text], [200, undefined, '0', '']);
      const node = await onActive().post('/v1.41/nodes/n1/update?version=2').send('{"Role":"manager","Availability":"active"}');
      assert.deepEqual([node.status, node.headers['content-type'], node.text], [200, undefined, '']);
      assert.equal(active.sent.find((s) => s.subject === 'swarm.update')?.subject, 'swarm.update', 'the command reached the (stand-in) bus');
    });
  });

  describe('validation errors, before anything reaches the bus', () => {
    it('a body that is not JSON, a wrong type, an empty body: Go\'s texts, 400', async () => {
      const cases: [string, string][] = [
        ['{"ListenAddr": 5}', 'json: cannot unmarshal number into Go struct field InitRequest.ListenAddr of type string'],
        ['{"ListenAddr": x}', "invalid character 'x' looking for beginning of value"],
        ['', 'got EOF while reading request body'],
      ];
      for (const [body, message] of cases) {
        const r = await onInactive().post('/v1.41/swarm/init').set('Content-Type', 'application/json').send(body);
        assert.deepEqual([r.status, r.text], [400, `${JSON.stringify({ message })}\n`], body);
      }
      assert.deepEqual(inactive.sent, [], 'nothing was sent to a service');
    });

    it('networks/create wants application/json; filters are read as filters.FromJSON', async () => {
      const text = await onActive().post('/networks/create').set('Content-Type', 'text/plain').send('{"Name":"x"}');
      assert.deepEqual([text.status, JSON.parse(text.text).message], [400, "Content-Type specified (text/plain) must be 'application/json'"]);
      const malformed = await onActive().get('/networks').query({ filters: '{"name":x}' });
      assert.deepEqual([malformed.status, JSON.parse(malformed.text).message], [400, "invalid character 'x' looking for beginning of value"]);
      const unknown = await onActive().get('/tasks').query({ filters: '{"color":{"red":true}}' });
      assert.deepEqual([unknown.status, JSON.parse(unknown.text).message], [400, "Invalid filter 'color'"]);
    });

    it('a body over the limit is refused from its Content-Length with 413', async () => {
      const r = await onActive().post('/networks/create').set('Content-Type', 'application/json').send(`"${'a'.repeat(MAX_BODY_BYTES)}"`);
      assert.deepEqual([r.status, JSON.parse(r.text).message], [413, `request body too large: the limit is ${MAX_BODY_BYTES} bytes`]);
    });
  });

  describe('error mapping', () => {
    it('unknown routes: 404 page not found, without the Engine headers (as recorded)', async () => {
      for (const [method, path] of [['get', '/nosuch'], ['post', '/_ping'], ['delete', '/v1.41/swarm'], ['put', '/v1.41/swarm/init'], ['get', '/v1.11/nosuch']] as const) {
        const r = await onActive()[method](path);
        assert.deepEqual([r.status, r.headers['content-type'], r.text], [404, 'application/json', '{"message":"page not found"}\n'], `${method} ${path}`);
        assert.deepEqual(pick(r.headers, Object.keys(ENGINE_HEADERS)), {}, `${method} ${path}`);
      }
    });

    it('domain errors keep their kind: not a manager 503, not found 404, a conflict 409 (a create is decided in the gateway)', async () => {
      const swarm = await onInactive().get('/v1.41/swarm');
      assert.deepEqual([swarm.status, JSON.parse(swarm.text).message], [503, NOT_MANAGER]);
      const nosuch = await onActive().get('/v1.41/networks/nosuch');
      assert.deepEqual([nosuch.status, nosuch.text], [404, '{"message":"network nosuch not found"}\n']);
      const taken = await onActive().post('/v1.41/networks/create').set('Content-Type', 'application/json').send({ Name: 'net1', Driver: 'overlay' });
      assert.deepEqual([taken.status, taken.text], [409, '{"message":"network with name net1 already exists"}\n']);
    });

    it('a failure that is not the caller\'s: 500 with a correlation id, never the error\'s own text', async () => {
      const r = await onActive().delete('/v1.41/networks/net1');
      assert.equal(r.status, 500);
      assert.match(JSON.parse(r.text).message, /^internal error \(correlation id [^)]+\): see the control plane's logs$/);
      assert.doesNotMatch(r.text, /stand-in transport failure/);
    });

    it('an unhealthy control plane: /_ping answers 500 with what is down', async () => {
      const r = await onInactive().get('/_ping');
      assert.deepEqual([r.status, r.text], [500, '{"message":"the control plane is unhealthy: store (JetStream): timeout"}\n']);
    });
  });

  describe('the list and the inspect of networks, and tasks (as the recording shows them)', () => {
    it('GET /networks: Containers and Labels null (labels when there are some), no Peers, ingress included', async () => {
      const listed = JSON.parse((await onActive().get('/v1.41/networks')).text) as Record<string, unknown>[];
      const byName = new Map(listed.map((n) => [n.Name, n]));
      assert.deepEqual(pick(byName.get('ingress')!, ['Ingress', 'Containers', 'Labels', 'Peers']), { Ingress: true, Containers: null, Labels: null });
      assert.deepEqual(pick(byName.get('net1')!, ['Containers', 'Labels', 'Peers']), { Containers: null, Labels: { team: 'web' } });
    });

    it('GET /networks/ingress: Containers and Labels objects, the manager among the Peers', async () => {
      const inspected = JSON.parse((await onActive().get('/v1.41/networks/ingress')).text);
      assert.deepEqual([inspected.Containers, inspected.Labels], [{}, {}]);
      assert.match(JSON.stringify(inspected.Peers), /^\[\{"Name":"[0-9a-f]{12}","IP":"127\.0\.0\.1"\}\]$/);
    });

    it('GET /tasks: [] for a known node, Docker\'s errors for an unknown node, a service, a bad state', async () => {
      const filters = (value: unknown) => ({ filters: JSON.stringify(value) });
      const ok = await onActive().get('/v1.41/tasks').query(filters({ node: { n1: true }, 'desired-state': { running: true } }));
      assert.deepEqual([ok.status, ok.headers['content-type'], ok.text], [200, 'application/json', '[]\n']);
      const nosuchNode = await onActive().get('/v1.41/tasks').query(filters({ node: { nosuch: true } }));
      assert.deepEqual([nosuchNode.status, nosuchNode.text], [404, '{"message":"node nosuch not found"}\n']);
      const service = await onActive().get('/v1.41/tasks').query(filters({ service: { web: true } }));
      assert.deepEqual([service.status, service.text], [404, '{"message":"service web not found"}\n']);
      const state = await onActive().get('/v1.41/tasks').query(filters({ 'desired-state': { sleeping: true } }));
      assert.deepEqual([state.status, state.text], [400, `{"message":"Invalid desired-state filter: 'sleeping'"}\n`]);
      const notManager = await onInactive().get('/v1.41/tasks').query(filters({ color: { red: true } }));
      assert.deepEqual([notManager.status, JSON.parse(notManager.text).message], [503, NOT_MANAGER], 'the manager check comes before the keys');
      const malformed = await onInactive().get('/v1.41/tasks').query({ filters: '{"node":x}' });
      assert.deepEqual([malformed.status, JSON.parse(malformed.text).message], [400, "invalid character 'x' looking for beginning of value"], 'the router reads the filters first');
      const order = await onActive().get('/v1.41/tasks').query(filters({ node: { nosuch: true }, 'desired-state': { sleeping: true } }));
      assert.deepEqual([order.status, JSON.parse(order.text).message], [404, 'node nosuch not found'], 'nodes are looked up before the states are checked');
    });

    it('GET /services: [] with the daemon\'s filter keys, Invalid filter otherwise', async () => {
      const ok = await onActive().get('/v1.41/services').query({ filters: JSON.stringify({ name: { web: true }, mode: { global: true } }) });
      assert.deepEqual([ok.status, ok.text], [200, '[]\n']);
      const bad = await onActive().get('/v1.41/services').query({ filters: JSON.stringify({ node: { n1: true } }) });
      assert.deepEqual([bad.status, bad.text], [400, `{"message":"Invalid filter 'node'"}\n`]);
      const notManager = await onInactive().get('/v1.41/services');
      assert.deepEqual([notManager.status, JSON.parse(notManager.text).message], [503, NOT_MANAGER]);
    });
  });
});

function pick(object: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in object).map((k) => [k, object[k]]));
}
