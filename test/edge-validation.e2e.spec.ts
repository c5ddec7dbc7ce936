import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { readRawLog } from './support/raw-log.js';
import { startStackFixture, type StackFixture } from './support/stack-fixture.js';

/**
 * Issue 12, "nothing unchecked enters the log": malformed input gets Docker's status and text at
 * the edge, before any event is written. The texts are what Docker Engine 20.10 (API 1.41)
 * answered for the same requests.
 */
describe('validation at the edge', () => {
  let fx: StackFixture;
  let gateway: string;
  /** Raw HTTP with a chosen Content-Type (the fixture's api() sends strings as text/plain). */
  const send = async (method: string, path: string, body?: string, contentType = 'application/json') => {
    const response = await fetch(`${gateway}${path}`, { method, ...(body === undefined ? {} : { body, headers: { 'Content-Type': contentType } }) });
    return { status: response.status, text: await response.text(), type: response.headers.get('content-type') };
  };
  const expectDocker = async (method: string, path: string, body: string | undefined, status: number, message: string, contentType?: string) => {
    const r = await send(method, path, body, contentType);
    assert.equal(r.status, status, `${path} ${body?.slice(0, 60)}: ${r.text}`);
    assert.equal(r.text, `${JSON.stringify({ message })}\n`, `${path} ${body?.slice(0, 60)}`);
    assert.equal(r.type, 'application/json');
  };
  const dechunk = (text: string): string => {
    let out = '';
    for (let at = 0; ; ) {
      const eol = text.indexOf('\r\n', at);
      const size = parseInt(text.slice(at, eol), 16);
      if (!(size > 0)) return out;
      out += text.slice(eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
    }
  };
  const logLength = async (): Promise<number> => (await readRawLog(fx.natsUrl).catch(() => [])).length;

  before(async () => {
    // Raw HTTP over TCP: fetch speaks no unix socket.
    fx = await startStackFixture({ tcp: true });
    gateway = `http://${fx.dockerHost.slice('tcp://'.length)}`;
  });
  after(async () => {
    await fx?.stop();
  });

  it('refuses bad init bodies with the Engine\'s texts and writes no event', async () => {
    const before = await logLength();
    const cases: [string, number, string][] = [
      ['null', 400, 'invalid ListenAddr "": invalid empty address'],
      ['', 400, 'got EOF while reading request body'],
      ['abc', 400, "invalid character 'a' looking for beginning of value"],
      ['{"ListenAddr":"127.0.0.1:2377"', 400, 'unexpected EOF'],
      ['{"ListenAddr":5}', 400, 'json: cannot unmarshal number into Go struct field InitRequest.ListenAddr of type string'],
      ['{"ListenAddr":"127.0.0.1:2377","SubnetSize":"abc"}', 400, 'json: cannot unmarshal string into Go struct field InitRequest.SubnetSize of type uint32'],
      ['{"ListenAddr":"127.0.0.1:2377","Spec":{"CAConfig":{"NodeCertExpiry":"abc"}}}', 400, 'json: cannot unmarshal string into Go struct field CAConfig.Spec.CAConfig.NodeCertExpiry of type time.Duration'],
      ['{"ListenAddr":"127.0.0.1:2377","Spec":{"CAConfig":{"NodeCertExpiry":1e26}}}', 400, 'json: cannot unmarshal number 1e26 into Go struct field CAConfig.Spec.CAConfig.NodeCertExpiry of type time.Duration'],
      ['{"ListenAddr":"127.0.0.1:2377","Spec":{"Labels":["a=b"]}}', 400, 'json: cannot unmarshal array into Go struct field Spec.Spec.Labels of type map[string]string'],
      ['{"ListenAddr":"127.0.0.1:2377","DefaultAddrPool":"10.0.0.0/8"}', 400, 'json: cannot unmarshal string into Go struct field InitRequest.DefaultAddrPool of type []string'],
      ['[]', 400, 'json: cannot unmarshal array into Go value of type swarm.InitRequest'],
      ['{"ListenAddr":"127.0.0.1:2377","DataPathAddr":"1.2.3.4:5"}', 400, 'data path address must be a non-zero IP address or network interface (without a port number)'],
      ['{"ListenAddr":"127.0.0.1:2377","Spec":{"CAConfig":{"ExternalCAs":[{"Protocol":"x","URL":"y"}]}}}', 500, 'error updating cluster settings: invalid protocol: "x"'],
      [`${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`, 400, "invalid character '{' exceeded max depth"],
    ];
    for (const [body, status, message] of cases) await expectDocker('POST', '/v1.41/swarm/init', body, status, message);
    assert.equal(await logLength(), before, 'a refused init wrote events');
    const swarm = await fx.api('GET', '/v1.41/swarm');
    assert.equal(swarm.status, 503);
  });

  it('answers a body over the limit with 413 in Docker\'s shape', async () => {
    const name = 'a'.repeat(1024 * 1024);
    await expectDocker('POST', '/v1.41/swarm/init', JSON.stringify({ ListenAddr: name }), 413, 'request body too large: the limit is 262144 bytes');
    // Chunked, without a Content-Length: stopped while it is read. Over a raw socket: the gateway
    // may answer and close while the rest is still being written, which fetch reports as EPIPE.
    const chunked = await chunkedPost('/v1.41/swarm/init', [Buffer.from('{"ListenAddr":"'), Buffer.alloc(600 * 1024, 'a'), Buffer.from('"}')]);
    assert.equal(chunked.status, 413);
    assert.equal(chunked.body, '{"message":"request body too large: the limit is 262144 bytes"}\n');
  });

  /** POSTs `chunks` with chunked encoding and reads the answer, whatever becomes of the writes. */
  const chunkedPost = (path: string, chunks: Buffer[]): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const { hostname, port } = new URL(gateway);
      const socket = net.connect({ host: hostname, port: Number(port) });
      const received: Buffer[] = [];
      socket.on('data', (data) => received.push(data));
      socket.on('error', () => undefined); // EPIPE or a reset once the gateway closed: the answer is what counts
      socket.on('close', () => {
        const text = Buffer.concat(received).toString('utf8');
        const head = /^HTTP\/1\.1 (\d{3})/.exec(text);
        if (!head) return reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
        const rawBody = text.slice(text.indexOf('\r\n\r\n') + 4);
        const body = /transfer-encoding: chunked/i.test(text.slice(0, text.indexOf('\r\n\r\n'))) ? dechunk(rawBody) : rawBody;
        resolve({ status: Number(head[1]), body });
      });
      socket.write(`POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`);
      for (const chunk of chunks) socket.write(`${chunk.length.toString(16)}\r\n${chunk.toString('latin1')}\r\n`, 'latin1');
      socket.end('0\r\n\r\n');
    });

  it('inits, then refuses bad swarm updates and their query flags', async () => {
    assert.equal((await fx.docker('swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', '127.0.0.1:2377')).code, 0);
    const swarm = JSON.parse((await fx.api('GET', '/v1.41/swarm')).text) as { Version: { Index: number }; Spec: Record<string, unknown> };
    const before = await logLength();
    const spec = (patch: Record<string, unknown>) => JSON.stringify({ ...swarm.Spec, ...patch });
    const update = `/v1.41/swarm/update?version=${swarm.Version.Index}`;
    await expectDocker('POST', update, spec({ CAConfig: { NodeCertExpiry: 'abc' } }), 400, 'json: cannot unmarshal string into Go struct field CAConfig.CAConfig.NodeCertExpiry of type time.Duration');
    await expectDocker('POST', update, spec({ CAConfig: { NodeCertExpiry: 1e26 } }), 400, 'json: cannot unmarshal number 1e+26 into Go struct field CAConfig.CAConfig.NodeCertExpiry of type time.Duration');
    await expectDocker('POST', update, spec({ CAConfig: { NodeCertExpiry: 60_000_000_000 } }), 400, 'rpc error: code = InvalidArgument desc = minimum certificate expiry time is: 1h0m0s');
    await expectDocker('POST', update, spec({ CAConfig: { NodeCertExpiry: -5 } }), 400, 'rpc error: code = InvalidArgument desc = minimum certificate expiry time is: 1h0m0s');
    await expectDocker('POST', update, spec({ CAConfig: { ExternalCAs: [{ Protocol: 'x', URL: 'y' }] } }), 400, 'invalid protocol: "x"');
    await expectDocker('POST', update, spec({ Name: 'other' }), 400, 'swarm spec must be named "default"');
    await expectDocker('POST', `${update}&rotateWorkerToken=maybe`, spec({}), 400, 'invalid value for rotateWorkerToken: maybe');
    await expectDocker('POST', `${update}&rotateManagerToken=yes`, spec({}), 400, 'invalid value for rotateManagerToken: yes');
    await expectDocker('POST', `${update}&rotateManagerUnlockKey=2`, spec({}), 400, 'invalid value for rotateManagerUnlockKey: 2');
    await expectDocker('POST', '/v1.41/swarm/update?version=x', spec({}), 400, `invalid swarm version 'x': strconv.ParseUint: parsing "x": invalid syntax`);
    assert.equal(await logLength(), before, 'a refused update wrote events');
  });

  it('refuses bad network bodies, names and Content-Types', async () => {
    const before = await logLength();
    const cases: [string, string][] = [
      ['{"Name":5,"Driver":"overlay"}', 'json: cannot unmarshal number into Go struct field NetworkCreateRequest.Name of type string'],
      ['{"Name":{"a":1},"Driver":"overlay"}', 'json: cannot unmarshal object into Go struct field NetworkCreateRequest.Name of type string'],
      ['{"Name":"a\\r\\nb","Driver":"overlay"}', 'rpc error: code = InvalidArgument desc = name must be valid as a DNS name component'],
      ['{"Name":"a.b","Driver":"overlay"}', 'rpc error: code = InvalidArgument desc = name must be valid as a DNS name component'],
      [`{"Name":"${'a'.repeat(100_000)}","Driver":"overlay"}`, 'rpc error: code = InvalidArgument desc = name must be 63 characters or fewer'],
      [`{"Name":"${'a'.repeat(99_999)}!","Driver":"overlay"}`, 'rpc error: code = InvalidArgument desc = name must be valid as a DNS name component'],
      ['{"Name":"x","Driver":"overlay","Labels":["a=b"]}', 'json: cannot unmarshal array into Go struct field NetworkCreateRequest.Labels of type map[string]string'],
      ['{"Name":"x","Driver":"overlay","Internal":"false"}', 'json: cannot unmarshal string into Go struct field NetworkCreateRequest.Internal of type bool'],
      ['{"Name":"x","IPAM":{"Config":[{"Subnet":5}]}}', 'json: cannot unmarshal number into Go struct field IPAMConfig.IPAM.Config.Subnet of type string'],
    ];
    for (const [body, message] of cases) await expectDocker('POST', '/v1.41/networks/create', body, 400, message);
    await expectDocker('POST', '/v1.41/networks/create', '{"Name":"x","Driver":"overlay"}', 400, "Content-Type specified (text/plain) must be 'application/json'", 'text/plain');
    assert.equal(await logLength(), before, 'a refused network create wrote events');
  });

  it('refuses bad node updates and filters', async () => {
    const nodeId = (await fx.docker('info', '--format', '{{.Swarm.NodeID}}')).stdout.trim();
    const node = JSON.parse((await fx.api('GET', `/v1.41/nodes/${nodeId}`)).text) as { Version: { Index: number } };
    const before = await logLength();
    const update = `/v1.41/nodes/${nodeId}/update?version=${node.Version.Index}`;
    await expectDocker('POST', update, '{"Labels":["a=b"],"Role":"manager","Availability":"active"}', 400, 'json: cannot unmarshal array into Go struct field NodeSpec.Labels of type map[string]string');
    await expectDocker('POST', update, '{"Role":"boss","Availability":"active"}', 400, 'invalid Role: "boss"');
    await expectDocker('POST', update, '{"Role":"manager","Availability":"sleepy"}', 400, 'invalid Availability: "sleepy"');
    await expectDocker('POST', `/v1.41/nodes/${nodeId}/update?version=x`, '{}', 400, `invalid node version 'x': strconv.ParseUint: parsing "x": invalid syntax`);
    await expectDocker('GET', `/v1.41/nodes?filters=${encodeURIComponent('{"foo":["a"]}')}`, undefined, 400, "Invalid filter 'foo'");
    await expectDocker('GET', `/v1.41/networks?filters=${encodeURIComponent('abc')}`, undefined, 400, "invalid character 'a' looking for beginning of value");
    await expectDocker('GET', `/v1.41/networks?filters=${encodeURIComponent('{"name":"a"}')}`, undefined, 400, 'json: cannot unmarshal string into Go value of type map[string]bool');
    await expectDocker('GET', `/v1.41/nodes?filters=${encodeURIComponent('{"role":["boss"]}')}`, undefined, 400, "Invalid role filter: 'boss'");
    await expectDocker('GET', `/v1.41/networks?filters=${encodeURIComponent('{"dangling":["x"]}')}`, undefined, 400, `invalid value for filter 'dangling', must be "true" (or "1"), or "false" (or "0")`);
    await expectDocker('POST', `/v1.41/networks/prune?filters=${encodeURIComponent('{"dangling":["x"]}')}`, undefined, 400, "Invalid filter 'dangling'");
    // Times beyond JavaScript's dates (the Engine takes any int64 second) are clamped, not a 500.
    const farPast = await send('GET', '/v1.41/events?since=-99999999999999&until=1');
    assert.deepEqual([farPast.status, farPast.text], [200, '']);
    const farFuture = new AbortController();
    const open = await fetch(`${gateway}/v1.41/events?since=1&until=9223372036854775807`, { signal: farFuture.signal });
    assert.equal(open.status, 200);
    const reader = open.body!.getReader();
    const drain = async (): Promise<string> => ((await reader.read()).done ? 'ended' : drain());
    const first = await Promise.race([drain(), new Promise((r) => setTimeout(() => r('open'), 500))]);
    farFuture.abort();
    assert.notEqual(first, 'ended', 'a far-future until ended the stream at once');
    await expectDocker('GET', '/v1.41/events?since=abc&until=1', undefined, 400, 'strconv.ParseInt: parsing "abc": invalid syntax');
    assert.equal(await logLength(), before, 'a refused node update wrote events');
  });

  it('afterwards the CLI still lists networks and nodes and shows info', async () => {
    const networks = await fx.docker('network', 'ls');
    assert.equal(networks.code, 0, networks.stderr);
    assert.match(networks.stdout, /ingress/);
    assert.doesNotMatch(networks.stdout, /\bx\b/);
    const nodes = await fx.docker('node', 'ls');
    assert.equal(nodes.code, 0, nodes.stderr);
    const info = await fx.docker('info');
    assert.equal(info.code, 0, info.stderr);
    assert.match(info.stdout, /Swarm: active/);
    const bad = await fx.docker('network', 'create', '-d', 'overlay', 'a.b');
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /name must be valid as a DNS name component/);
  });
});
