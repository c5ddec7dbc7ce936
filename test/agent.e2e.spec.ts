import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { freePort } from '#testing';
import { startAgent, type AgentFixture } from './support/agent-fixture.js';

const DAEMON = 'Error response from daemon: ';
const NOT_MANAGER = `${DAEMON}This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.\n`;
const INACTIVE = '{"NodeID":"","NodeAddr":"","LocalNodeState":"inactive","ControlAvailable":false,"Error":"","RemoteManagers":null}\n';
/** Well-formed (the recorded worker token of 96-second-node), for a swarm that is nowhere here. */
const WELL_FORMED = 'SWMTKN-1-4jzuuxs0p0x6akfgfr08d6n935rwlyfeyd89ohgeelnr3gx5zs-0ryr5rwus1bkm0j1hbgmdzkuz';

/** The agent alone, outside any swarm, driven by the real docker CLI: no manager, no NATS. */
describe('an agent outside any swarm (real docker CLI)', () => {
  let agent: AgentFixture;

  before(async () => {
    agent = await startAgent({ hostname: 'lonely-1' });
  });
  after(async () => {
    await agent?.stop();
  });

  it('reports an inactive swarm, in info and in the ping header', async () => {
    assert.deepEqual(await agent.docker('info', '--format', '{{json .Swarm}}'), { stdout: INACTIVE, stderr: '', code: 0 });
    assert.equal((await agent.docker('info', '--format', '{{.Name}}')).stdout, 'lonely-1\n');
    const ping = await agent.api('HEAD', '/_ping');
    assert.equal(ping.status, 200);
    assert.equal(ping.headers.get('swarm'), 'inactive');
    assert.equal(ping.headers.get('api-version'), '1.47');
  });

  it('a malformed token is refused before anything is dialled', async () => {
    assert.deepEqual(await agent.docker('swarm', 'join', '--token', 'SWMTKN-1-abc', '127.0.0.1:2399'), {
      stdout: '',
      stderr: `${DAEMON}invalid join token\n`,
      code: 1,
    });
    const raw = await agent.api('POST', '/v1.47/swarm/join', { ListenAddr: '0.0.0.0:2377', RemoteAddrs: ['127.0.0.1:2399'], JoinToken: 'notatoken' });
    assert.deepEqual([raw.status, raw.text], [500, '{"message":"invalid join token"}\n']);
  });

  it("a well-formed token towards a closed port: the Engine's Unavailable text, and still inactive", async () => {
    const closed = await freePort();
    const unavailable = `${DAEMON}rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial tcp 127.0.0.1:${closed}: connect: connection refused"\n`;
    assert.deepEqual(await agent.docker('swarm', 'join', '--token', WELL_FORMED, `127.0.0.1:${closed}`), { stdout: '', stderr: unavailable, code: 1 });
    assert.deepEqual(await agent.docker('swarm', 'join', `127.0.0.1:${closed}`), { stdout: '', stderr: unavailable, code: 1 }, 'no token: the manager is dialled first');
    const raw = await agent.api('POST', '/swarm/join', { ListenAddr: '0.0.0.0:2377', RemoteAddrs: [`127.0.0.1:${closed}`], JoinToken: WELL_FORMED });
    assert.equal(raw.status, 503);
    assert.equal((await agent.docker('info', '--format', '{{json .Swarm}}')).stdout, INACTIVE);
  });

  it('join needs a remote address (400)', async () => {
    const raw = await agent.api('POST', '/swarm/join', { ListenAddr: '0.0.0.0:2377', RemoteAddrs: [], JoinToken: WELL_FORMED });
    assert.deepEqual([raw.status, raw.text], [400, '{"message":"at least 1 RemoteAddr is required to join"}\n']);
    const empty = await agent.api('POST', '/swarm/join');
    assert.deepEqual([empty.status, empty.text], [400, '{"message":"got EOF while reading request body"}\n']);
  });

  it('leave: not part of a swarm', async () => {
    assert.deepEqual(await agent.docker('swarm', 'leave'), { stdout: '', stderr: `${DAEMON}This node is not part of a swarm\n`, code: 1 });
    assert.deepEqual(await agent.docker('swarm', 'leave', '--force'), { stdout: '', stderr: `${DAEMON}This node is not part of a swarm\n`, code: 1 });
  });

  it('manager calls: "not a swarm manager" with the init/join advice', async () => {
    assert.deepEqual(await agent.docker('node', 'ls'), { stdout: '', stderr: NOT_MANAGER, code: 1 });
    assert.deepEqual(await agent.docker('swarm', 'join-token', 'worker'), { stdout: '', stderr: NOT_MANAGER, code: 1 });
    assert.deepEqual(await agent.docker('network', 'create', '-d', 'overlay', 'n1'), { stdout: '', stderr: NOT_MANAGER, code: 1 });
    assert.deepEqual(await agent.docker('swarm', 'unlock-key'), { stdout: '', stderr: `could not fetch unlock key: ${NOT_MANAGER}`, code: 1 });
    const raw = await agent.api('GET', '/v1.47/swarm');
    assert.deepEqual([raw.status, raw.headers.get('content-type')], [503, 'application/json']);
  });

  it('no local networks; unknown routes are unknown', async () => {
    assert.deepEqual(await agent.docker('network', 'ls', '-q'), { stdout: '', stderr: '', code: 0 });
    assert.equal((await agent.docker('network', 'inspect', 'ingress')).stderr, `${DAEMON}network ingress not found\n`);
    const unknown = await agent.api('GET', '/v1.47/nosuch');
    assert.deepEqual([unknown.status, unknown.text], [404, '{"message":"page not found"}\n']);
  });

  it('docker events ends at --until with nothing to show', async () => {
    assert.deepEqual(await agent.docker('events', '--since', '1m', '--until', '0s'), { stdout: '', stderr: '', code: 0 });
  });

  it('refuses to start without its arguments, with the usage', () => {
    const entry = fileURLToPath(new URL('../apps/agent/src/main.js', import.meta.url));
    const run = spawnSync(process.execPath, [entry, '--port', '1'], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^usage: agent --data <dir> \[--socket <path> \| --port <port>/);
  });
});
