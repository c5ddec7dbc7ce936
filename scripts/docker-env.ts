import { existsSync } from 'node:fs';
import path from 'node:path';
import { engineUrl } from '#engine-http';
import { gatewayListenPlan } from '../apps/gateway/src/engine-listen-config.js';

/**
 * What `npm start` tells the user to export so that docker reaches the gateway: `DOCKER_HOST` and,
 * behind TLS, `DOCKER_TLS_VERIFY=1` and `DOCKER_CERT_PATH` (the `client` folder beside
 * `GATEWAY_TLS_CERT_PATH` when `npm run certs` made both). Throws the gateway's own refusal for an
 * address it would not serve, so that `npm start` stops before starting anything.
 */
export function dockerEnvFor(env: NodeJS.ProcessEnv): string {
  const plan = gatewayListenPlan(env);
  if (plan.kind === 'unix' || !plan.tls) return `DOCKER_HOST=${engineUrl(plan)}`;
  const wildcard = plan.host === '0.0.0.0' || plan.host === '::';
  const host = engineUrl({ ...plan, host: wildcard ? '127.0.0.1' : plan.host });
  const sibling = env.GATEWAY_TLS_CERT_PATH ? path.join(path.dirname(path.resolve(env.GATEWAY_TLS_CERT_PATH)), 'client') : undefined;
  const certPath = sibling && existsSync(path.join(sibling, 'cert.pem')) ? sibling : '<folder with ca.pem, cert.pem, key.pem of a client certificate>';
  return `DOCKER_HOST=${host} DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=${certPath}`;
}
