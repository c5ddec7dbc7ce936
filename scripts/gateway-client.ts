import http from 'node:http';
import https from 'node:https';
import { engineTlsServerOptions, engineUrl, type EngineListenPlan } from '#engine-http';
import { gatewayListenPlan } from '../apps/gateway/src/engine-listen-config.js';

/**
 * A GET to the gateway of this machine as its environment configures it (GATEWAY_ADDR, its TLS
 * files): over the unix socket, loopback TCP, or TLS with the gateway's own certificate as the
 * client's (see apps/gateway/src/swarm-port/engine-forwarder.ts). For local tools: health check, rebuild.
 */
export function getFromGateway(env: NodeJS.ProcessEnv, urlPath: string, timeoutMs = 3000): Promise<{ status: number; text: string }> {
  return getFrom(gatewayListenPlan(env), urlPath, timeoutMs);
}

/** Where the gateway is reached, for messages. */
export function gatewayUrl(env: NodeJS.ProcessEnv): string {
  return engineUrl(gatewayListenPlan(env));
}

export function getFrom(plan: EngineListenPlan, urlPath: string, timeoutMs: number): Promise<{ status: number; text: string }> {
  const options: https.RequestOptions = { path: urlPath, timeout: timeoutMs };
  let request = http.request;
  if (plan.kind === 'unix') options.socketPath = plan.path;
  else {
    options.host = plan.host === '0.0.0.0' || plan.host === '::' ? '127.0.0.1' : plan.host;
    options.port = plan.port;
    if (plan.tls) {
      const { ca, cert, key } = engineTlsServerOptions(plan.tls);
      Object.assign(options, { ca, cert, key, checkServerIdentity: () => undefined });
      request = https.request as typeof http.request;
    }
  }
  return new Promise((resolve, reject) => {
    const req = request(options, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
