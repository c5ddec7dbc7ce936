import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DomainError } from '#contracts';
import { createRootCa, issueNodeCertificate } from '#pki';
import { SwarmPortClient, type NodeCredentials } from './swarm-port-client.js';

/** A manager whose swarm port answers whatever the test sets, with a real manager certificate. */
describe('the agent checks the manager\'s replies by schema', () => {
  let server: https.Server;
  let answer = '{}';
  let node: NodeCredentials;
  const client = new SwarmPortClient();

  before(async () => {
    const now = new Date();
    const ca = createRootCa(now);
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const issued = issueNodeCertificate({
      caCertPem: ca.certPem,
      caKeyPem: ca.keyPem,
      subjectPublicKey: publicKey,
      nodeId: 'manager-1',
      role: 'manager',
      clusterId: 'cluster-1',
      now,
      expiryMs: 3_600_000,
    });
    const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    server = https.createServer({ key: keyPem, cert: issued.certPem }, (req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(answer);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    node = { remoteAddr: `127.0.0.1:${port}`, caPem: ca.certPem, keyPem, certPem: issued.certPem };
  });
  after(async () => {
    client.onApplicationShutdown();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const failure = async (call: () => Promise<unknown>): Promise<string> => {
    try {
      await call();
      return 'accepted';
    } catch (error) {
      assert.ok(error instanceof DomainError, String(error));
      return error.message;
    }
  };

  it('accepts a well-formed heartbeat reply', async () => {
    answer = JSON.stringify({ role: 'worker', managers: [{ NodeID: 'manager-1', Addr: '127.0.0.1:2377' }], heartbeatPeriodMs: 5000 });
    assert.deepEqual(await client.heartbeat(node), JSON.parse(answer));
  });

  it('names a broken reply instead of failing later with a TypeError', async () => {
    answer = JSON.stringify({ role: 'worker', managers: null, heartbeatPeriodMs: 5000 });
    assert.equal(await failure(() => client.heartbeat(node)), `the manager at ${node.remoteAddr} sent an invalid heartbeat reply: managers must be array, not null`);
    answer = '{"certPem":';
    assert.equal(await failure(() => client.renew(node, 'csr')), `the manager at ${node.remoteAddr} sent an invalid renewal reply: the body is not valid JSON`);
    answer = JSON.stringify({ nodeId: 'n', clusterId: 'c', role: 'worker', caPem: 'ca', managers: [], heartbeatPeriodMs: 5000, nodeAddr: '127.0.0.1' });
    const description = { hostname: 'worker-1', engineVersion: 't', architecture: 'x86_64', os: 'linux', nanoCpus: 1e9, memoryBytes: 1 };
    const join = { token: 'SWMTKN-1-x-y', csrPem: 'csr', availability: 'active' as const, description };
    assert.equal(await failure(() => client.join(node.remoteAddr, join, node.caPem)), `the manager at ${node.remoteAddr} sent an invalid join reply: certPem is required`);
  });

  it('refuses to send a join the manager would refuse, naming the field', async () => {
    const description = { hostname: 'not a host name', engineVersion: 't', architecture: 'x86_64', os: 'linux', nanoCpus: 1e9, memoryBytes: 1 };
    const join = { token: 'SWMTKN-1-x-y', csrPem: 'csr', availability: 'active' as const, description };
    assert.match(await failure(() => client.join(node.remoteAddr, join, node.caPem)), /^invalid join request: description\.hostname must match pattern/);
  });
});
