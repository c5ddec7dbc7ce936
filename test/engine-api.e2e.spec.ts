import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startStackFixture, type StackFixture } from './support/stack-fixture.js';

describe('Engine API conventions', () => {
  let fx: StackFixture;
  before(async () => {
    fx = await startStackFixture();
  });
  after(async () => {
    await fx?.stop();
  });

  it('GET and HEAD /_ping answer with Docker\'s headers, versioned or not', async () => {
    for (const url of ['/_ping', '/v1.41/_ping']) {
      const r = await fx.api('GET', url);
      assert.equal(r.status, 200);
      assert.equal(r.text, 'OK');
      assert.equal(r.headers.get('api-version'), '1.47');
      assert.equal(r.headers.get('cache-control'), 'no-cache, no-store, must-revalidate');
      assert.equal(r.headers.get('pragma'), 'no-cache');
      assert.equal(r.headers.get('docker-experimental'), 'false');
      assert.equal(r.headers.get('ostype'), 'linux');
      assert.match(r.headers.get('server') ?? '', /^Docker\/\S+ \(linux\)$/);
      assert.equal(r.headers.get('swarm'), 'inactive');
    }
    const head = await fx.api('HEAD', '/_ping');
    assert.equal(head.status, 200);
    assert.equal(head.text, '');
    assert.equal(head.headers.get('content-length'), '0');
  });

  it('advertises API 1.47, minimum 1.24, and refuses versions outside that range', async () => {
    const version = JSON.parse((await fx.api('GET', '/v1.24/version')).text);
    assert.equal(version.ApiVersion, '1.47');
    assert.equal(version.MinAPIVersion, '1.24');
    const tooNew = await fx.api('GET', '/v1.99/swarm');
    assert.equal(tooNew.status, 400);
    assert.equal(tooNew.text, '{"message":"client version 1.99 is too new. Maximum supported API version is 1.47"}\n');
    const tooOld = await fx.api('GET', '/v1.11/version');
    assert.equal(tooOld.status, 400);
    assert.equal(tooOld.text, 'client version 1.11 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version\n');
  });

  it('unknown routes are 404 page not found without the Engine headers; errors are JSON with a newline', async () => {
    for (const [method, url] of [['GET', '/nosuch'], ['DELETE', '/v1.41/swarm'], ['PUT', '/v1.41/swarm/init'], ['POST', '/_ping']] as const) {
      const r = await fx.api(method, url);
      assert.equal(r.status, 404, `${method} ${url}`);
      assert.equal(r.text, '{"message":"page not found"}\n');
      assert.equal(r.headers.get('content-type'), 'application/json');
      // Recorded: the router's 404 has none of the Engine headers of its routes.
      assert.deepEqual(['api-version', 'server', 'ostype', 'docker-experimental'].map((h) => r.headers.get(h)), [null, null, null, null], `${method} ${url}`);
    }
  });

  it('init validates the body as the Engine does', async () => {
    const empty = await fx.api('POST', '/v1.41/swarm/init');
    assert.deepEqual([empty.status, empty.text], [400, '{"message":"got EOF while reading request body"}\n']);
    const emptyJson = await fx.api('POST', '/v1.41/swarm/init', undefined, { 'Content-Type': 'application/json' });
    assert.deepEqual([emptyJson.status, emptyJson.text], [400, '{"message":"got EOF while reading request body"}\n']);
    const noListen = await fx.api('POST', '/v1.41/swarm/init', {});
    assert.deepEqual([noListen.status, noListen.text], [400, '{"message":"invalid ListenAddr \\"\\": invalid empty address"}\n']);
    const port = await fx.api('POST', '/v1.41/swarm/init', { ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1', DataPathPort: 1000 });
    assert.deepEqual([port.status, port.text], [500, '{"message":"Datapath port number is not in valid range (1024-49151) : 1000"}\n']);
    const size = await fx.api('POST', '/v1.41/swarm/init', { ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1', DefaultAddrPool: ['10.20.0.0/16'], SubnetSize: 33 });
    assert.deepEqual([size.status, size.text], [500, '{"message":"subnet size is out of range: 33"}\n']);
    const listen = await fx.api('POST', '/v1.41/swarm/init', { ListenAddr: '127.0.0.1:99999', AdvertiseAddr: '127.0.0.1' });
    assert.deepEqual([listen.status, listen.text], [500, '{"message":"manager stopped: failed to listen on remote API address: listen tcp: address 99999: invalid port"}\n']);
    const state = JSON.parse((await fx.api('GET', '/v1.41/info')).text);
    assert.equal(state.Swarm.LocalNodeState, 'inactive');
  });

  it('a raw init without pools reports the default pool; with text/plain it still works; empty 200s have no Content-Type', async () => {
    const r = await fx.api('POST', '/v1.41/swarm/init', JSON.stringify({ ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1', SubnetSize: 26 }));
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, /^"[0-9a-z]{25}"\n$/);
    const swarm = JSON.parse((await fx.api('GET', '/v1.41/swarm')).text);
    assert.deepEqual([swarm.DefaultAddrPool, swarm.SubnetSize, swarm.DataPathPort], [['10.0.0.0/8'], 24, 4789]);
    // An empty 200 carries no Content-Type (recorded: swarm update, node update, join, leave).
    const emptyAnswer = (r: { status: number; headers: Headers; text: string }) => [r.status, r.headers.get('content-type'), r.headers.get('content-length'), r.text];
    const rotate = await fx.api('POST', `/v1.41/swarm/update?version=${swarm.Version.Index}&rotateWorkerToken=true`, swarm.Spec);
    assert.deepEqual(emptyAnswer(rotate), [200, null, '0', '']);
    const leave = await fx.api('POST', '/v1.41/swarm/leave?force=1');
    assert.deepEqual(emptyAnswer(leave), [200, null, '0', '']);
    const notInSwarm = await fx.api('GET', '/v1.41/swarm');
    assert.equal(notInSwarm.status, 503);
  });
});
