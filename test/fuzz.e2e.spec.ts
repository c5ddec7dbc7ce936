/**
 * Property-based fuzzing of every Engine API endpoint and of the swarm port against a running
 * stack (issue 12). For each generated request: no 5xx outside the Engine's contract, no
 * JavaScript error text in any answer, no event written by a refused request, and after each
 * accepted change every read path still answers. Seeds are printed by fast-check on failure;
 * FUZZ_SEED and FUZZ_RUNS reproduce or widen a run.
 */
import assert from 'node:assert/strict';
import https from 'node:https';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { generateNodeKeyAndCsr } from '#pki';
import { contentType, mutated, queryValue, rawText, type Json, type RawRequest } from './support/fuzz-inputs.js';
import { startStackFixture, type StackFixture } from './support/stack-fixture.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const params = (runs: number): fc.Parameters<unknown> => ({ numRuns: runs, ...(SEED === undefined ? {} : { seed: SEED }), endOnFailure: true, includeErrorInReport: true });

/** Texts of JavaScript errors and parsers: none may reach a client. */
const JS_ERROR = /Cannot read propert|is not a function|is not iterable|Unexpected token|Unexpected end of JSON|in JSON at position|Maximum call stack|Invalid time value|\[object Object\]|\bundefined\b|\bNaN\b|TypeError|RangeError|SyntaxError|ReferenceError|is not defined|Cannot convert|Invalid array length|Invalid string length/;

/** 5xx answers that are the Engine's own contract (its texts, recorded from Docker 20.10). */
const ENGINE_5XX = [
  /^This node is not a swarm manager\./,
  /^This node is already part of a swarm\./,
  /^This node is not part of a swarm$/,
  /^subnet size is out of range: /,
  /^error updating cluster settings: /,
  /^invalid CIDR: ".*"\. Subnet size is too small for pool: \d+$/,
  /^invalid base pool /,
  /^Datapath port number is not in valid range \(1024-49151\) : /,
  /^could not parse listen address /,
  /^rpc error: code = Unknown desc = update out of sequence$/,
  /^too many failed join attempts from this address; try again later$/,
  /^invalid join token$/,
  /^remote CA does not match fingerprint\. Expected: [0-9a-f]{64}$/,
  /^Cannot create a multi-host network from a worker node/,
  /^could not find an available, non-overlapping IPv4 address pool/,
];

const INIT_ADDRESS_FIELDS = ['ListenAddr', 'AdvertiseAddr', 'DataPathAddr'];

describe('fuzz: the Engine API and the swarm port refuse what they cannot take, and keep answering', () => {
  let fx: StackFixture;
  let nc: NatsConnection;
  let base: string;

  before(async () => {
    // fetch speaks TCP only.
    fx = await startStackFixture({ tcp: true });
    nc = await connect({ servers: fx.natsUrl });
    base = fx.dockerHost.replace('tcp:', 'http:');
  });
  after(async () => {
    await nc?.close();
    await fx?.stop();
  });

  async function head(): Promise<number> {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info('SWARM_EVENTS').catch(() => undefined);
    return info?.state.last_seq ?? 0;
  }

  async function send(request: RawRequest): Promise<{ status: number; text: string }> {
    const headers: Record<string, string> = request.contentType ? { 'Content-Type': request.contentType } : {};
    const response = await fetch(`${base}${request.path}`, { method: request.method, headers, ...(request.body === undefined ? {} : { body: request.body }), signal: AbortSignal.timeout(15_000) });
    return { status: response.status, text: await response.text() };
  }

  /** The answer's own rules; returns whether the request was refused. */
  function checkAnswer(request: RawRequest, answer: { status: number; text: string }): boolean {
    const where = `${request.method} ${request.path} ${String(request.body).slice(0, 300)} -> ${answer.status} ${answer.text.slice(0, 300)}`;
    assert.doesNotMatch(answer.text, JS_ERROR, where);
    if (answer.status < 400) return false;
    let message: unknown;
    try {
      message = (JSON.parse(answer.text) as { message?: unknown }).message;
    } catch {
      assert.fail(`error answer is not Docker's {"message"} JSON: ${where}`);
    }
    assert.equal(typeof message, 'string', where);
    if (answer.status >= 500) assert.ok(ENGINE_5XX.some((re) => re.test(String(message))), `5xx outside the Engine's contract: ${where}`);
    return true;
  }

  async function readsStillAnswer(): Promise<void> {
    const until = Math.floor(Date.now() / 1000) + 1;
    for (const path of ['/v1.47/swarm', '/v1.47/nodes', '/v1.47/networks', '/v1.47/info', '/audit/state', `/v1.47/events?since=0&until=${until}`]) {
      const answer = await send({ method: 'GET', path });
      assert.ok(answer.status === 200 || (answer.status === 503 && path.includes('swarm')), `${path} -> ${answer.status} ${answer.text.slice(0, 300)}`);
      assert.doesNotMatch(answer.text, JS_ERROR, path);
      if (answer.status === 200 && !path.includes('/events')) assertDecodable(path, JSON.parse(answer.text));
    }
  }

  /** Sends, checks the answer, and that a refusal wrote nothing; returns the answer. */
  async function probe(request: RawRequest): Promise<{ status: number; text: string; refused: boolean }> {
    const before = await head();
    const answer = await send(request);
    const refused = checkAnswer(request, answer);
    if (refused) assert.equal(await head(), before, `a refused request wrote events: ${request.method} ${request.path} ${String(request.body).slice(0, 200)} -> ${answer.text.slice(0, 200)}`);
    return { ...answer, refused };
  }

  async function leaveIfMember(): Promise<void> {
    await send({ method: 'POST', path: '/v1.47/swarm/leave?force=1' });
  }

  it('swarm init: mutated and malformed bodies', async () => {
    const valid: Json = { ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1', DataPathPort: 4789, DefaultAddrPool: ['10.20.0.0/16'], SubnetSize: 26, Availability: 'active', Spec: { Labels: { a: 'b' }, CAConfig: { NodeCertExpiry: 7_776_000_000_000_000 }, Dispatcher: { HeartbeatPeriod: 5_000_000_000 } } };
    const body = fc.oneof(
      { weight: 3, arbitrary: mutated(valid).filter(loopbackOnly).map((b) => JSON.stringify(b)) },
      { weight: 1, arbitrary: rawText },
    );
    await fc.assert(
      fc.asyncProperty(body, contentType, async (text, type) => {
        const answer = await probe({ method: 'POST', path: '/v1.47/swarm/init', body: text, ...(type ? { contentType: type } : {}) });
        if (!answer.refused) {
          await readsStillAnswer();
          await leaveIfMember();
        }
      }),
      params(RUNS),
    );
  });

  describe('in a swarm', () => {
    let nodeId: string;
    let workerToken: string;
    let caPem: string;
    before(async () => {
      await leaveIfMember();
      const init = await send({ method: 'POST', path: '/v1.47/swarm/init', contentType: 'application/json', body: JSON.stringify({ ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1' }) });
      assert.equal(init.status, 200, init.text);
      nodeId = JSON.parse(init.text) as string;
      const swarm = JSON.parse((await send({ method: 'GET', path: '/v1.47/swarm' })).text) as { JoinTokens: { Worker: string }; TLSInfo: { TrustRoot: string } };
      workerToken = swarm.JoinTokens.Worker;
      caPem = swarm.TLSInfo.TrustRoot;
    });

    async function swarmVersion(): Promise<number> {
      return (JSON.parse((await send({ method: 'GET', path: '/v1.47/swarm' })).text) as { Version: { Index: number } }).Version.Index;
    }

    it('swarm update: mutated specs and query values', async () => {
      const spec: Json = { Name: 'default', Labels: {}, Orchestration: { TaskHistoryRetentionLimit: 5 }, Raft: { SnapshotInterval: 10000, KeepOldSnapshots: 0, LogEntriesForSlowFollowers: 500, ElectionTick: 10, HeartbeatTick: 1 }, Dispatcher: { HeartbeatPeriod: 5_000_000_000 }, CAConfig: { NodeCertExpiry: 7_776_000_000_000_000 }, TaskDefaults: {}, EncryptionConfig: { AutoLockManagers: false } };
      const input = fc.record({ body: fc.oneof({ weight: 3, arbitrary: mutated(spec).map((b) => JSON.stringify(b)) }, { weight: 1, arbitrary: rawText }), rotate: fc.option(queryValue), version: fc.option(queryValue) });
      await fc.assert(
        fc.asyncProperty(input, async ({ body, rotate, version }) => {
          const v = version ?? String(await swarmVersion());
          const query = `version=${encodeURIComponent(v)}${rotate === null ? '' : `&rotateWorkerToken=${encodeURIComponent(rotate)}`}`;
          const answer = await probe({ method: 'POST', path: `/v1.47/swarm/update?${query}`, body, contentType: 'application/json' });
          if (!answer.refused) await readsStillAnswer();
        }),
        params(RUNS),
      );
    });

    it('network create, inspect and remove: mutated bodies and odd IDs', async () => {
      let n = 0;
      const network = (): Json => ({ Name: `fz${++n}`, Driver: 'overlay', CheckDuplicate: true, Internal: false, Attachable: true, Labels: { team: 'a' }, Options: {}, IPAM: { Driver: 'default', Config: [] } });
      const input = fc.oneof({ weight: 4, arbitrary: fc.constant(null).chain(() => mutated(network())).map((b) => JSON.stringify(b)) }, { weight: 1, arbitrary: rawText });
      await fc.assert(
        fc.asyncProperty(input, fc.string({ maxLength: 20 }), async (body, id) => {
          const created = await probe({ method: 'POST', path: '/v1.47/networks/create', body, contentType: 'application/json' });
          if (!created.refused) await readsStillAnswer();
          const path = `/v1.47/networks/${encodeURIComponent(id || 'x')}`;
          await probe({ method: 'GET', path });
          if (!(await probe({ method: 'DELETE', path })).refused) await readsStillAnswer();
        }),
        params(RUNS),
      );
    });

    it('swarm unlock: mutated bodies on a manager that is not locked (Go\'s texts, 409, never a 5xx)', async () => {
      const input = fc.oneof({ weight: 3, arbitrary: mutated({ UnlockKey: 'SWMKEY-1-QUJDRA' }).map((b) => JSON.stringify(b)) }, { weight: 1, arbitrary: rawText });
      await fc.assert(
        fc.asyncProperty(input, async (body) => {
          await probe({ method: 'POST', path: '/v1.47/swarm/unlock', body, contentType: 'application/json' });
        }),
        params(RUNS),
      );
    });

    it('node update: mutated specs, versions and odd IDs', async () => {
      const input = fc.record({ body: fc.oneof({ weight: 3, arbitrary: mutated({ Role: 'manager', Availability: 'active', Labels: { a: 'b' } }).map((b) => JSON.stringify(b)) }, { weight: 1, arbitrary: rawText }), version: fc.option(queryValue), id: fc.option(fc.string({ maxLength: 12 })) });
      await fc.assert(
        fc.asyncProperty(input, async ({ body, version, id }) => {
          const node = JSON.parse((await send({ method: 'GET', path: `/v1.47/nodes/${nodeId}` })).text) as { Version: { Index: number } };
          const path = `/v1.47/nodes/${encodeURIComponent(id ?? nodeId)}/update?version=${encodeURIComponent(version ?? String(node.Version.Index))}`;
          if (!(await probe({ method: 'POST', path, body, contentType: 'application/json' })).refused) await readsStillAnswer();
        }),
        params(RUNS),
      );
      // Leave the manager active for the rest of the suite.
      const node = JSON.parse((await send({ method: 'GET', path: `/v1.47/nodes/${nodeId}` })).text) as { Version: { Index: number } };
      await send({ method: 'POST', path: `/v1.47/nodes/${nodeId}/update?version=${node.Version.Index}`, contentType: 'application/json', body: '{"Role":"manager","Availability":"active"}' });
    });

    it('queries: filters, times, limits and flags of every read', async () => {
      const until = (): string => String(Math.floor(Date.now() / 1000) + 1);
      const paths = fc.oneof(
        queryValue.map((q) => `/v1.47/networks?filters=${encodeURIComponent(q)}`),
        queryValue.map((q) => `/v1.47/nodes?filters=${encodeURIComponent(q)}`),
        queryValue.map((q) => `/v1.47/networks/prune?filters=${encodeURIComponent(q)}`),
        fc.tuple(queryValue, queryValue).map(([s, f]) => `/v1.47/events?since=${encodeURIComponent(s)}&until=${until()}&filters=${encodeURIComponent(f)}`),
        queryValue.map((q) => `/v1.47/events?since=0&until=${encodeURIComponent(q === '' ? until() : q)}`),
        fc.tuple(queryValue, queryValue, queryValue).map(([l, p, s]) => `/audit/events?limit=${encodeURIComponent(l)}&fromPosition=${encodeURIComponent(p)}&since=${encodeURIComponent(s)}`),
        fc.tuple(queryValue, queryValue).map(([a, p]) => `/audit/state?at=${encodeURIComponent(a)}&position=${encodeURIComponent(p)}`),
        queryValue.map((q) => `/v1.47/swarm/leave?force=${encodeURIComponent(q)}&x=1`).map((p) => p.replace('leave', 'unlockkey')),
        fc.string({ maxLength: 30 }).map((s) => `/v1.47/nodes/${encodeURIComponent(s)}`),
      );
      await fc.assert(
        fc.asyncProperty(paths, async (path) => {
          const method = path.includes('/prune') ? 'POST' : 'GET';
          const answer = await probe({ method, path });
          // An accepted prune removes networks: the reads must still answer.
          if (!answer.refused && method === 'POST') await readsStillAnswer();
        }),
        params(RUNS * 2),
      );
    });

    it('the swarm port: mutated join bodies and garbage', async () => {
      const { csrPem } = generateNodeKeyAndCsr();
      const join: Json = { token: workerToken, csrPem, availability: 'active', description: { hostname: 'fuzz-node', engineVersion: 'test', architecture: 'x86_64', os: 'linux', nanoCpus: 1_000_000_000, memoryBytes: 1 << 30 } };
      const body = fc.oneof({ weight: 4, arbitrary: mutated(join).map((b) => JSON.stringify(b)) }, { weight: 1, arbitrary: rawText });
      let source = 1;
      await fc.assert(
        fc.asyncProperty(body, async (text) => {
          // Each request from its own loopback address, so the failed-join limit does not answer for the validator.
          source = (source % 250) + 2;
          const before = await head();
          const answer = await swarmPortPost(`127.0.0.${source}`, '/swarm/v1/join', text, caPem);
          const request: RawRequest = { method: 'POST', path: 'swarm-port /swarm/v1/join', body: text };
          const refused = checkAnswer(request, answer);
          if (refused) assert.equal(await head(), before, `a refused join wrote events: ${text.slice(0, 200)} -> ${answer.text.slice(0, 200)}`);
          else await readsStillAnswer();
        }),
        params(RUNS),
      );
    });

    it('after all of it, the CLI still reads everything', async () => {
      for (const args of [['node', 'ls'], ['network', 'ls'], ['info'], ['swarm', 'join-token', 'worker']]) {
        const r = await fx.docker(...args);
        assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}`);
      }
    });
  });
});

const isStringMap = (v: unknown): boolean => v === null || v === undefined || (typeof v === 'object' && !Array.isArray(v) && Object.values(v as object).every((x) => typeof x === 'string'));
// An integer JSON writes without an exponent (Go cannot decode 1e+21 into an int64).
const isInt = (v: unknown): boolean => v === undefined || (Number.isInteger(v) && Math.abs(v as number) < 1e21);

/** What the docker CLI's Go decoder needs of the objects it lists: the types of the fields it reads. */
function assertDecodable(path: string, body: unknown): void {
  const fail = (what: string): never => assert.fail(`${path} serves ${what}: ${JSON.stringify(body).slice(0, 400)}`);
  if (path.endsWith('/swarm')) {
    const spec = (body as { Spec?: Record<string, Record<string, unknown> | undefined> }).Spec;
    if (!isStringMap(spec?.Labels)) fail('swarm labels that are not strings');
    if (!isInt(spec?.CAConfig?.NodeCertExpiry) || !isInt(spec?.Dispatcher?.HeartbeatPeriod)) fail('a duration that is not an integer');
  } else if (path.endsWith('/networks')) {
    for (const n of body as Record<string, unknown>[]) {
      if (typeof n.Name !== 'string' || typeof n.Internal !== 'boolean' || typeof n.Attachable !== 'boolean' || !isStringMap(n.Labels) || !isStringMap(n.Options)) fail('a network Go cannot decode');
    }
  } else if (path.endsWith('/nodes')) {
    for (const n of body as { Description?: { Hostname?: unknown }; Spec?: { Labels?: unknown; Role?: unknown } }[]) {
      if (typeof n.Description?.Hostname !== 'string' || !isStringMap(n.Spec?.Labels) || !['manager', 'worker'].includes(String(n.Spec?.Role))) fail('a node Go cannot decode');
    }
  }
}

/** Never let a generated init advertise or listen anywhere but loopback. */
function loopbackOnly(body: Json): boolean {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return true;
  return INIT_ADDRESS_FIELDS.every((field) => {
    const value = body[field];
    return typeof value !== 'string' || value === '' || /^(127\.0\.0\.1|lo)(:\d+)?$/.test(value) || !/^[\w.:[\]-]+$/.test(value) || /^\d+$/.test(value);
  });
}

function swarmPortPost(localAddress: string, path: string, body: string, ca: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      { host: '127.0.0.1', port: 2377, path, method: 'POST', localAddress, rejectUnauthorized: false, agent: false, ca, headers: { 'content-type': 'application/json' }, timeout: 15_000 },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}


