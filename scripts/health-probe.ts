import { readFileSync } from 'node:fs';
import { engineUrl, type EngineListenPlan } from '#engine-http';
import { gatewayListenPlan } from '../apps/gateway/src/engine-listen-config.js';
import { getFrom } from './gateway-client.js';

/**
 * What the container health check of an app looks at: the gateway's `GET /_ping` where it listens
 * (unix socket, TCP, or TLS with its own certificate as the client's), or for a service (no HTTP
 * port) the `READY_FILE` it keeps while connected to NATS.
 */
export type HealthProbe = { readonly kind: 'engine'; readonly plan: EngineListenPlan } | { readonly kind: 'ready-file'; readonly file: string };

export function healthProbeFor(env: NodeJS.ProcessEnv): HealthProbe {
  if ((env.APP ?? 'gateway') === 'gateway') return { kind: 'engine', plan: gatewayListenPlan(env) };
  if (!env.READY_FILE) throw new Error(`READY_FILE is not set: ${env.APP} has no health signal to check`);
  return { kind: 'ready-file', file: env.READY_FILE };
}

/** Undefined when healthy, else why not. */
export async function checkHealth(probe: HealthProbe, timeoutMs = 3000): Promise<string | undefined> {
  return probe.kind === 'engine' ? checkPing(probe.plan, timeoutMs) : checkReadyFile(probe.file);
}

async function checkPing(plan: EngineListenPlan, timeoutMs: number): Promise<string | undefined> {
  const url = `${engineUrl(plan)}/_ping`;
  try {
    const response = await getFrom(plan, '/_ping', timeoutMs);
    return response.status === 200 ? undefined : `${url} answered ${response.status} ${response.text.slice(0, 200)}`;
  } catch (error) {
    return `${url}: ${(error as Error).message}`;
  }
}

function checkReadyFile(file: string): string | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(file, 'utf8').trim());
  } catch {
    return `${file} is absent: the service is not connected to NATS`;
  }
  if (!Number.isInteger(pid) || pid <= 0) return `${file} does not hold a PID`;
  try {
    process.kill(pid, 0);
    return undefined;
  } catch {
    return `process ${pid} named in ${file} is gone`;
  }
}
