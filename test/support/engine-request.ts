import http from 'node:http';

export interface EngineResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/**
 * One raw HTTP call to an Engine API named by its DOCKER_HOST (`unix:///path` or `tcp://host:port`),
 * through node:http, which speaks over a unix socket as well as TCP (fetch does not).
 */
export function engineRequest(dockerHost: string, method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<EngineResponse> {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const contentType = body === undefined ? {} : { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json' };
  const target = dockerHost.startsWith('unix://') ? { socketPath: dockerHost.slice('unix://'.length) } : hostPort(dockerHost);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { ...target, method, path: urlPath, headers: { ...contentType, ...headers, ...(payload === undefined ? {} : { 'Content-Length': Buffer.byteLength(payload) }) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: toHeaders(response.headers), text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

function hostPort(dockerHost: string): { host: string; port: number } {
  const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) };
}

function toHeaders(raw: http.IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one);
  }
  return headers;
}
