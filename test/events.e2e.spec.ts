import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Streams, type EventData } from '#contracts';
import { JetStreamEventStore, type NewEvent } from '#eventstore';
import { startStackFixture, type StackFixture } from './support/stack-fixture.js';

interface Event {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: string;
  time: number;
  timeNano: number;
}

const lines = (text: string): Event[] => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Event);

describe('docker events: the whole history, then live', () => {
  let fx: StackFixture;
  let t0: number;
  let t1: number;
  let nodeId: string;
  let live: Promise<string>;

  before(async () => {
    fx = await startStackFixture();
    t0 = Math.floor(Date.now() / 1000) - 1;
    live = new Promise((resolve) => {
      const child = spawn('docker', ['events', '--format', '{{json .}}', '--until', String(t0 + 60)], {
        env: { ...process.env, DOCKER_HOST: fx.dockerHost },
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      setTimeout(() => child.kill('SIGINT'), 8000);
      child.on('exit', () => resolve(out));
    });
    await new Promise((r) => setTimeout(r, 500));
    await fx.docker('swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', '127.0.0.1:2377');
    nodeId = (await fx.docker('info', '--format', '{{.Swarm.NodeID}}')).stdout.trim();
    await fx.docker('node', 'update', '--availability', 'drain', nodeId);
    await fx.docker('node', 'update', '--availability', 'active', nodeId);
    await fx.docker('node', 'update', '--label-add', 'a=b', nodeId);
    await fx.docker('network', 'create', '-d', 'overlay', 'ev1');
    await fx.docker('network', 'create', '-d', 'overlay', '--attachable', 'ev2');
    await fx.docker('network', 'rm', 'ev1');
    await fx.docker('swarm', 'join-token', '--rotate', 'worker');
    await fx.docker('swarm', 'update', '--cert-expiry', '100h');
    await fx.docker('node', 'update', '--role', 'manager', nodeId);
    await fx.docker('network', 'rm', 'ev2');
    t1 = Math.floor(Date.now() / 1000) + 1;
  });
  after(async () => {
    await fx?.stop();
  });

  it('live events have Docker\'s shape, and token rotation and swarm update emit none', async () => {
    const events = lines(await live);
    const summary = events.map((e) => `${e.Type} ${e.Action} ${e.scope} ${JSON.stringify(e.Actor.Attributes)}`);
    const host = events.find((e) => e.Type === 'node')?.Actor.Attributes.name;
    assert.deepEqual(summary, [
      'network create local {"name":"ingress","type":"overlay"}',
      `node update swarm {"name":"${host}","state.new":"ready","state.old":"unknown"}`,
      `node update swarm {"availability.new":"drain","availability.old":"active","name":"${host}"}`,
      `node update swarm {"availability.new":"active","availability.old":"drain","name":"${host}"}`,
      `node update swarm {"name":"${host}"}`,
      'network create swarm {"name":"ev1"}',
      'network update swarm {"name":"ev1"}',
      'network create swarm {"name":"ev2"}',
      'network update swarm {"name":"ev2"}',
      'network remove swarm {"name":"ev1"}',
      `node update swarm {"name":"${host}"}`,
      'network remove swarm {"name":"ev2"}',
    ]);
    for (const e of events) {
      assert.equal(e.time, Math.floor(e.timeNano / 1e9));
      assert.deepEqual(Object.keys(e), ['Type', 'Action', 'Actor', 'scope', 'time', 'timeNano']);
    }
  });

  it('a replay of the window gives the same lines as the live stream, and ends at until', async () => {
    const replay = await fx.docker('events', '--since', String(t0), '--until', String(t1), '--format', '{{json .}}');
    assert.equal(replay.code, 0);
    assert.equal(replay.stdout, await live);
    const text = await fx.docker('events', '--since', String(t0), '--until', String(t1));
    assert.match(text.stdout.split('\n')[2] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z node update [0-9a-z]{25} \(availability\.new=drain, availability\.old=active, name=\S+\)$/);
  });

  it('filters: type, event, node, scope, unknown keys ignored', async () => {
    const run = async (...filters: string[]): Promise<Event[]> =>
      lines((await fx.docker('events', '--since', String(t0), '--until', String(t1), '--format', '{{json .}}', ...filters.flatMap((f) => ['--filter', f]))).stdout);
    assert.equal((await run('type=node')).length, 5);
    assert.equal((await run('type=network')).length, 7);
    assert.deepEqual((await run('event=create')).map((e) => e.Actor.Attributes.name), ['ingress', 'ev1', 'ev2']);
    assert.equal((await run('type=network', 'event=remove')).length, 2);
    assert.equal((await run('scope=swarm')).length, 11);
    assert.equal((await run('scope=local')).length, 1);
    assert.equal((await run(`node=${nodeId}`)).length, 5);
    assert.equal((await run(`node=${nodeId.slice(0, 6)}`)).length, 5);
    assert.equal((await run('type=service')).length, 0);
    assert.equal((await run('bogus=1')).length, 12);
  });

  it('errors: since after until, a time that does not parse', async () => {
    const order = await fx.docker('events', '--since', String(t1), '--until', String(t0));
    assert.deepEqual(order, { stdout: '', stderr: `Error response from daemon: \`since\` time (${t1}) cannot be after \`until\` time (${t0})\n`, code: 1 });
    const bad = await fx.docker('events', '--since', 'notatime');
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, 'failed to parse value as time or duration: "notatime"\n');
  });

  it('a window that starts long after a node registered still names it and shows its previous values', async () => {
    // The replay starts a few seconds before `since`, not at position 1: wait until the init and
    // the updates above lie outside that margin, so the node's history must come from its stream.
    while (Date.now() / 1000 < t1 + 7) await new Promise((r) => setTimeout(r, 250));
    const since = Math.floor(Date.now() / 1000);
    await fx.docker('node', 'update', '--availability', 'pause', nodeId);
    const until = Math.floor(Date.now() / 1000) + 1;
    const events = lines((await fx.docker('events', '--since', String(since), '--until', String(until), '--format', '{{json .}}')).stdout);
    const host = (await fx.docker('node', 'inspect', '--format', '{{.Description.Hostname}}', nodeId)).stdout.trim();
    assert.deepEqual(
      events.map((e) => `${e.Type} ${e.Action} ${JSON.stringify(e.Actor.Attributes)}`),
      [`node update {"availability.new":"pause","availability.old":"active","name":"${host}"}`],
    );
    await fx.docker('node', 'update', '--availability', 'active', nodeId);
  });

  it('events appended while a long replay runs appear exactly once (the seam)', async () => {
    // A long log first, so the replay is still running while the creates below are appended.
    const store = await JetStreamEventStore.connect({ servers: fx.natsUrl, name: 'seam-filler' });
    const filler = 'seamfill';
    await store.append(Streams.ipam(filler), [{ id: randomUUID(), type: 'AddressPoolsConfigured', schemaVersion: 1, data: { clusterId: filler, pools: [], subnetSize: 24 }, metadata: { correlationId: 'seam-test', actor: 'test:seam' } }], 'any');
    let next = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < SEAM_FILL) {
          const i = next++;
          const networkId = `f${i.toString(36).padStart(24, '0')}`;
          await store.append(Streams.ipam(filler), [fillerEvent(filler, networkId, i)], 'any');
        }
      }),
    );
    await store.close();
    const from = Math.floor(Date.now() / 1000) - 1;
    let firstLine: () => void = () => undefined;
    const replaying = new Promise<void>((resolve) => (firstLine = resolve));
    const watcher = new Promise<string>((resolve) => {
      const child = spawn('docker', ['events', '--since', String(t0), '--until', String(from + 60), '--format', '{{json .}}', '--filter', 'type=network', '--filter', 'event=create'], {
        env: { ...process.env, DOCKER_HOST: fx.dockerHost },
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        firstLine();
        if ((out.match(/"seam\d+"/g) ?? []).length >= 30) child.kill('SIGINT');
      });
      child.on('exit', () => resolve(out));
      setTimeout(() => child.kill('SIGINT'), 45_000);
    });
    await replaying;
    await Promise.all(Array.from({ length: 30 }, (_, i) => fx.api('POST', '/v1.47/networks/create', { Name: `seam${i}`, Driver: 'overlay' })));
    const names = lines(await watcher).map((e) => e.Actor.Attributes.name ?? '');
    const seam = names.filter((n) => n.startsWith('seam') && !n.startsWith(filler)).sort();
    assert.deepEqual(seam, Array.from({ length: 30 }, (_, i) => `seam${i}`).sort());
    assert.deepEqual(names.slice(0, 3), ['ingress', 'ev1', 'ev2']);
    const filled = names.filter((n) => n.startsWith(filler));
    assert.equal(filled.length, SEAM_FILL);
    assert.equal(new Set(filled).size, SEAM_FILL);
    // The creates were appended after the whole filler, and come out after it: log order kept.
    const lastFiller = names.findLastIndex((n) => n.startsWith(filler));
    assert.ok(names.findIndex((n) => /^seam\d/.test(n)) > lastFiller);
  });
});

/** Events in the log before the seam test's replay: enough that the replay outlasts the creates. */
const SEAM_FILL = 20_000;

function fillerEvent(clusterId: string, networkId: string, i: number): NewEvent {
  const subnet = `10.${(i >> 8) & 255}.${i & 255}.0/24`;
  const data: EventData<'NetworkCreated'> = {
    networkId, clusterId, name: `${clusterId}${i}`, driver: 'overlay', ingress: false, internal: false, attachable: false,
    labels: {}, options: {}, subnet, gateway: subnet.replace('.0/24', '.1'), explicitSubnet: false, vxlanId: 4097 + i,
    createdAt: new Date().toISOString(),
  };
  return { id: randomUUID(), type: 'NetworkCreated', schemaVersion: 1, data, metadata: { correlationId: 'seam-test', actor: 'test:seam' } };
}
