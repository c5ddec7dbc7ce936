import { readFileSync } from 'node:fs';

/**
 * What the container health check of an app looks at: the gateway's `GET /_ping`, or for a service
 * (no HTTP port) the `READY_FILE` it keeps while connected to NATS.
 */
export type HealthProbe = { readonly kind: 'http'; readonly url: string } | { readonly kind: 'ready-file'; readonly file: string };

export function healthProbeFor(env: NodeJS.ProcessEnv): HealthProbe {
  if ((env.APP ?? 'gateway') === 'gateway') {
    const [host = '127.0.0.1', port = '2375'] = (env.GATEWAY_ADDR ?? '127.0.0.1:2375').split(':');
    // A gateway listening on every interface is reached through loopback from inside its container.
    const target = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host;
    return { kind: 'http', url: `http://${target}:${port}/_ping` };
  }
  if (!env.READY_FILE) throw new Error(`READY_FILE is not set: ${env.APP} has no health signal to check`);
  return { kind: 'ready-file', file: env.READY_FILE };
}

/** Undefined when healthy, else why not. */
export async function checkHealth(probe: HealthProbe, timeoutMs = 3000): Promise<string | undefined> {
  return probe.kind === 'http' ? checkPing(probe.url, timeoutMs) : checkReadyFile(probe.file);
}

async function checkPing(url: string, timeoutMs: number): Promise<string | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const body = await response.text();
    return response.status === 200 ? undefined : `${url} answered ${response.status} ${body.slice(0, 200)}`;
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
