/**
 * A bounded load of `POST /networks/create` over raw HTTP on a fixed number of keep-alive
 * connections, each create under its own correlation id (`X-Correlation-Id`). A create that gets
 * no answer (the connection dropped, a timeout, Docker's 503 "may or may not have been made") is
 * sent again: the same request with the same correlation id. When the outcome stays unknown (a
 * 409 "already exists" after an unanswered attempt, or the attempts ran out), the client asks the
 * audit API what its correlation id caused, as a Docker user would: that is what the correlation
 * id is for.
 */
import http from 'node:http';

export type Outcome = 'acked' | 'made' | 'not-made';

export interface CreateResult {
  readonly name: string;
  readonly correlationId: string;
  /** `acked`: a 201. `made` / `not-made`: unanswered or ambiguous, settled through the audit API. */
  readonly outcome: Outcome;
  readonly id: string | undefined;
  readonly attempts: number;
}

export interface CreateLoadOptions {
  /** host:port of the Engine API. */
  readonly gateway: string;
  readonly total: number;
  readonly connections: number;
  /** Prefix of the network names and correlation ids; unique per run. */
  readonly prefix: string;
  /** Called on every 201 with when its attempt was sent and when it was answered (ms since the epoch). */
  readonly onAck?: (sentAt: number, answeredAt: number) => void;
}

export interface CreateLoadReport {
  readonly results: CreateResult[];
  /** Retried answers, by kind (what a client may retry). */
  readonly retried: Map<string, number>;
  /** Answers a client may not retry and outcomes the audit API could not settle: must stay empty. */
  readonly errors: string[];
}

interface Reply {
  readonly status: number;
  readonly text: string;
}

const ATTEMPTS = 60;
/** Longer than the gateway's RPC timeout (10 s) plus its read-your-writes wait (5 s). */
const REQUEST_TIMEOUT_MS = 20_000;

export async function runCreateLoad(options: CreateLoadOptions): Promise<CreateLoadReport> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const report: CreateLoadReport = { results: [], retried: new Map(), errors: [] };
  const retried = (kind: string): void => void report.retried.set(kind, (report.retried.get(kind) ?? 0) + 1);
  const call = (method: string, path: string, correlationId: string, body?: unknown): Promise<Reply> =>
    request(agent, options.gateway, method, path, correlationId, body);

  const createOne = async (n: number): Promise<void> => {
    const name = `${options.prefix}-${n}`;
    const correlationId = `${options.prefix}-${n}`;
    let unanswered = false;
    let attempts = 0;
    while (attempts < ATTEMPTS) {
      attempts++;
      const sentAt = Date.now();
      const reply = await call('POST', '/v1.47/networks/create', correlationId, { Name: name, Driver: 'overlay' });
      if (reply.status === 201) {
        options.onAck?.(sentAt, Date.now());
        report.results.push({ name, correlationId, outcome: 'acked', id: (JSON.parse(reply.text) as { Id: string }).Id, attempts });
        return;
      }
      if (reply.status === 409 && unanswered) break;
      if (reply.status !== 0 && reply.status !== 503) {
        report.errors.push(`${name} attempt ${attempts}: ${reply.status} ${reply.text.slice(0, 200)}`);
        return;
      }
      unanswered = true;
      retried(reply.status === 0 ? `no answer (${reply.text.slice(0, 50)})` : `503 ${messageOf(reply).slice(0, 70)}`);
      await sleep(100 * Math.min(attempts, 5));
    }
    const made = await settleThroughAudit(call, correlationId);
    if (made === undefined) report.errors.push(`${name}: the audit API did not answer for ${correlationId}`);
    else report.results.push({ name, correlationId, outcome: made.length > 0 ? 'made' : 'not-made', id: made[0], attempts });
  };

  let next = 0;
  const connection = async (): Promise<void> => {
    while (next < options.total) await createOne(next++);
  };
  try {
    await Promise.all(Array.from({ length: options.connections }, () => connection()));
  } finally {
    agent.destroy();
  }
  return report;
}

/** The network ids that `NetworkCreated` events of `correlationId` name (bounded retries while the gateway is away). */
async function settleThroughAudit(
  call: (method: string, path: string, correlationId: string) => Promise<Reply>,
  correlationId: string,
): Promise<string[] | undefined> {
  for (let attempt = 1; attempt <= 20; attempt++) {
    const reply = await call('GET', `/audit/events?type=NetworkCreated&correlationId=${encodeURIComponent(correlationId)}`, `${correlationId}-audit-${attempt}`);
    if (reply.status === 200) return (JSON.parse(reply.text) as { data: { networkId: string } }[]).map((event) => event.data.networkId);
    await sleep(250);
  }
  return undefined;
}

function request(agent: http.Agent, gateway: string, method: string, path: string, correlationId: string, body?: unknown): Promise<Reply> {
  const [host, port] = gateway.split(':');
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve) => {
    const req = http.request(
      {
        agent,
        host,
        port: Number(port),
        method,
        path,
        timeout: REQUEST_TIMEOUT_MS,
        headers: { 'X-Correlation-Id': correlationId, ...(payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', (error) => resolve({ status: 0, text: String(error) }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', (error) => resolve({ status: 0, text: String(error) }));
    req.end(payload);
  });
}

function messageOf(reply: Reply): string {
  try {
    return (JSON.parse(reply.text) as { message?: string }).message ?? reply.text;
  } catch {
    return reply.text;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
