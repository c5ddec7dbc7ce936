/**
 * The clients of the chaos test: each runs a bounded mix of network creates and removes, worker
 * token rotations (swarm update) and joins through the swarm port (a fresh key and CSR per join,
 * made natively), and records what it saw
 * acknowledged and every error, sorted into the ones a client may retry and the others.
 */
import { SwarmPortClient } from './swarm-port-client.js';

export interface Acked {
  readonly creates: { id: string; correlationId: string }[];
  readonly removes: { id: string; correlationId: string }[];
  readonly rotations: { correlationId: string }[];
  readonly joins: { nodeId: string }[];
  /** Networks found gone (404) by a remove after one of their removes got no answer: that one made it. */
  readonly goneAfterUnanswered: string[];
}

/** Errors by kind: `retryable` ones are what a Docker client may retry; `other` must stay empty. */
export interface Errors {
  readonly retryable: Map<string, number>;
  readonly other: string[];
}

export interface LoadOptions {
  /** Engine API addresses (gateway replicas); client c talks to gateways[c % n]. */
  readonly gateways: readonly string[];
  readonly swarmPort: { host: string; port: number };
  readonly clients: number;
  /** The load stops starting operations once this returns true. */
  readonly done: () => boolean;
  /** Upper bound of operations per client, whatever the time. */
  readonly maxOpsPerClient: number;
}

interface Reply {
  status: number;
  text: string;
}

const ATTEMPTS = 8;

export async function runLoad(options: LoadOptions): Promise<{ acked: Acked; errors: Errors; ops: number }> {
  const acked: Acked = { creates: [], removes: [], rotations: [], joins: [], goneAfterUnanswered: [] };
  const errors: Errors = { retryable: new Map(), other: [] };
  let ops = 0;
  const retryable = (what: string): void => void errors.retryable.set(what, (errors.retryable.get(what) ?? 0) + 1);
  const api = async (c: number, method: string, path: string, correlationId: string, body?: unknown): Promise<Reply> => {
    try {
      const response = await fetch(`http://${options.gateways[c % options.gateways.length]}/v1.47${path}`, {
        method,
        headers: { 'X-Correlation-Id': correlationId, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, text: await response.text() };
    } catch (error) {
      return { status: 0, text: String(error) };
    }
  };
  /** Classifies a failed reply; true when the operation may be retried. */
  const failed = (op: string, reply: Reply, retriedBefore: boolean): boolean => {
    if (reply.status === 503) return retryable(`${op}: 503 ${messageOf(reply)}`.slice(0, 90)), true;
    // The gateway replica this client talks to is restarting (the docker CLI: "Cannot connect").
    if (reply.status === 0) return retryable(`${op}: no connection to the gateway (${reply.text.slice(0, 40)})`), true;
    if (reply.status === 500 && /update out of sequence/.test(reply.text)) return retryable(`${op}: 500 update out of sequence`), true;
    if (op === 'join' && reply.status === 400 && /valid join token/.test(reply.text)) return retryable('join: token rotated meanwhile'), true;
    if (retriedBefore && op === 'create' && reply.status === 409) return retryable('create: 409 after an unacknowledged attempt'), false;
    if (retriedBefore && op === 'remove' && reply.status === 404) return retryable('remove: 404 after an unacknowledged attempt'), false;
    errors.other.push(`${op}: ${reply.status} ${reply.text.slice(0, 200)}`);
    return false;
  };

  const client = async (c: number): Promise<void> => {
    const mine: string[] = [];
    /** Networks whose remove got no answer once (the gateway went away meanwhile, a timeout). */
    const unanswered = new Set<string>();
    for (let n = 0; n < options.maxOpsPerClient && !options.done(); n++) {
      ops++;
      const cid = `chaos-${c}-${n}`;
      // Rotations are rarer than joins: every rotation makes concurrent joins' tokens stale.
      const kind = ['create', 'join', 'create', 'remove', 'join', 'create', 'rotate', 'remove'][n % 8]!;
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const retried = attempt > 0;
        const correlationId = `${cid}-${attempt}`;
        if (kind === 'create') {
          const reply = await api(c, 'POST', '/networks/create', correlationId, { Name: `chaos-${c}-${n}`, Driver: 'overlay' });
          if (reply.status === 201) {
            const id = (JSON.parse(reply.text) as { Id: string }).Id;
            acked.creates.push({ id, correlationId });
            mine.push(id);
            break;
          }
          if (!failed('create', reply, retried)) break;
        } else if (kind === 'remove') {
          const id = mine.shift();
          if (!id) break;
          const reply = await api(c, 'DELETE', `/networks/${id}`, correlationId);
          if (reply.status === 204 || reply.status === 200) {
            acked.removes.push({ id, correlationId });
            break;
          }
          // A remove tried before without an answer (in this operation or an earlier one that gave
          // up) may have been made: a 404 is then what a Docker client would see too.
          if (reply.status === 404 && (retried || unanswered.has(id))) acked.goneAfterUnanswered.push(id);
          if (!failed('remove', reply, retried || unanswered.has(id))) break;
          unanswered.add(id);
          mine.unshift(id);
          // The gateway replica is restarting: give it a moment rather than using up every attempt at once.
          if (reply.status === 0) await new Promise((resolve) => setTimeout(resolve, 200));
        } else if (kind === 'rotate') {
          const swarm = await api(c, 'GET', '/swarm', correlationId);
          if (swarm.status !== 200) {
            if (!failed('inspect', swarm, retried)) break;
            continue;
          }
          const { Version, Spec } = JSON.parse(swarm.text) as { Version: { Index: number }; Spec: unknown };
          const reply = await api(c, 'POST', `/swarm/update?version=${Version.Index}&rotateWorkerToken=true`, correlationId, Spec);
          if (reply.status === 200) {
            acked.rotations.push({ correlationId });
            break;
          }
          if (!failed('rotate', reply, retried)) break;
        } else {
          const outcome = await join(options, c, (method, path, id) => api(c, method, path, id), correlationId);
          if (outcome.nodeId) {
            acked.joins.push({ nodeId: outcome.nodeId });
            break;
          }
          if (!failed('join', outcome.reply, retried)) break;
        }
        await new Promise((resolve) => setTimeout(resolve, 100 * (attempt + 1)));
      }
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, c) => client(c)));
  return { acked, errors, ops };
}

async function join(
  options: LoadOptions,
  client: number,
  api: (method: string, path: string, correlationId: string) => Promise<Reply>,
  correlationId: string,
): Promise<{ nodeId?: string; reply: Reply }> {
  const swarm = await api('GET', '/swarm', correlationId);
  if (swarm.status !== 200) return { reply: swarm };
  const { JoinTokens, TLSInfo } = JSON.parse(swarm.text) as { JoinTokens: { Worker: string }; TLSInfo: { TrustRoot: string } };
  // Each client joins from its own loopback address: the failed-join limit (stale tokens after a
  // rotation count as failures) applies per address.
  const port = new SwarmPortClient(options.swarmPort.host, options.swarmPort.port, `127.0.0.${10 + client}`);
  try {
    const { response, reply } = await port.join(JoinTokens.Worker, TLSInfo.TrustRoot, `chaos-${correlationId}`);
    return reply ? { nodeId: reply.nodeId, reply: { status: 200, text: '' } } : { reply: { status: response.status, text: response.body } };
  } catch (error) {
    return { reply: { status: 0, text: String(error) } };
  }
}

function messageOf(reply: Reply): string {
  try {
    return (JSON.parse(reply.text) as { message?: string }).message ?? reply.text;
  } catch {
    return reply.text;
  }
}
