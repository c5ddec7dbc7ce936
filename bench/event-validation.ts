/**
 * `node dist/bench/event-validation.js`: what checking a recorded event against its schema costs a
 * reader (issue 12), per event type, next to the JSON.parse every event already costs. No stack:
 * the compiled validators alone, in this process.
 */
import { eventSchemaIssue } from '#contracts';
import { readableIssue, type RecordedEvent } from '#eventstore';
import { timePerCall } from './support/time-per-call.js';

const sealed = { alg: 'A256GCM', kid: 'k3f9a2', iv: 'AAECAwQFBgcICQoL', ct: Buffer.alloc(48, 7).toString('base64'), tag: 'AAECAwQFBgcICQoLDA0ODw==' };
const pem = `-----BEGIN CERTIFICATE-----\n${'A'.repeat(700)}\n-----END CERTIFICATE-----\n`;
const engine = { hostname: 'worker-0001', engineVersion: '29.0.0', architecture: 'x86_64', os: 'linux', nanoCpus: 2e9, memoryBytes: 8 * 2 ** 30 };
const spec = {
  Name: 'default', Labels: {}, Orchestration: { TaskHistoryRetentionLimit: 5 },
  Raft: { SnapshotInterval: 10000, KeepOldSnapshots: 0, LogEntriesForSlowFollowers: 500, ElectionTick: 10, HeartbeatTick: 1 },
  Dispatcher: { HeartbeatPeriod: 5e9 }, CAConfig: { NodeCertExpiry: 7776000000000000 }, TaskDefaults: {}, EncryptionConfig: { AutoLockManagers: false },
};
const ids = { nodeId: 'k0c4yq2gx1d3mh6v0q9l5z8ab', clusterId: 'p2m4x8d1v6q3c9h0l7z5n2bty' };
const now = '2026-12-04T21:00:00.123456789Z';

/** One event of each type a join or a network create writes (the hot path), as readers get them. */
const samples: Record<string, unknown> = {
  NodeRegistered: { ...ids, role: 'worker', availability: 'active', labels: {}, addr: '127.0.0.1', leader: false, engine, registeredAt: now },
  NodeCertificateIssued: { ...ids, role: 'worker', certPem: pem, serial: '7f3a9c2b1d', notAfter: '2027-03-04T21:00:00.000Z' },
  NodeStatusChanged: { ...ids, state: 'ready', message: '' },
  NodeSpecUpdated: { ...ids, role: 'worker', availability: 'drain', labels: { zone: 'a' } },
  SwarmUpdated: { clusterId: ids.clusterId, spec, rotateWorkerToken: false, rotateManagerToken: false, rotateManagerUnlockKey: false },
  JoinTokenRotated: { clusterId: ids.clusterId, role: 'worker', secret: sealed, fingerprint: `sha256:${'ab'.repeat(32)}` },
  NetworkCreated: {
    networkId: 'q8w2e4r6t1y3u5i7o9p0a2s4d', clusterId: ids.clusterId, name: 'web-frontend', driver: 'overlay', ingress: false, internal: false,
    attachable: false, labels: { team: 'web' }, options: {}, subnet: '10.0.1.0/24', gateway: '10.0.1.1', explicitSubnet: false, vxlanId: 4097, createdAt: now,
  },
};

function recorded(type: string, data: unknown, position: number): RecordedEvent {
  return { id: `e${position}`, type, schemaVersion: 1, data, metadata: { correlationId: 'c', actor: 'user:bench' }, time: now, stream: `s-${position}`, revision: position, position };
}


const ITERATIONS = 200_000;
const rows: { type: string; validateUs: number; readableUs: number; jsonParseUs: number; bytes: number }[] = [];
for (const [type, data] of Object.entries(samples)) {
  const event = recorded(type, data, 1);
  if (readableIssue(event) !== undefined) throw new Error(`${type}: sample does not match its schema: ${readableIssue(event)}`);
  const json = JSON.stringify(event);
  rows.push({
    type,
    validateUs: timePerCall(() => eventSchemaIssue(event), ITERATIONS),
    readableUs: timePerCall(() => readableIssue(event), ITERATIONS),
    jsonParseUs: timePerCall(() => (JSON.parse(json) as unknown, undefined), ITERATIONS / 4),
    bytes: json.length,
  });
}
const bad = recorded('NodeRegistered', { ...(samples.NodeRegistered as object), engine: null }, 2);
const badUs = timePerCall(() => readableIssue(bad), ITERATIONS);

console.log(`node ${process.version}, ${ITERATIONS} calls per figure, microseconds per event`);
console.log('type                    schema check  +time check   JSON.parse   payload bytes');
for (const r of rows) {
  console.log(`${r.type.padEnd(24)}${r.validateUs.toFixed(3).padStart(12)}${r.readableUs.toFixed(3).padStart(13)}${r.jsonParseUs.toFixed(3).padStart(13)}${String(r.bytes).padStart(16)}`);
}
console.log(`a NodeRegistered with engine null (refused, issue described): ${badUs.toFixed(3)} us`);
console.log(JSON.stringify({ rows, invalidNodeRegisteredUs: badUs }));
