import path from 'node:path';
import { engineListenPlan, type EngineListenPlan } from '#engine-http';

/**
 * The gateway's Engine API address from its environment: `GATEWAY_ADDR` (default: the unix socket
 * `docker.sock` in `DATA_DIR`, `./data` unless set) and, for TCP beyond loopback, the TLS files
 * `GATEWAY_TLS_CA`, `GATEWAY_TLS_CERT`, `GATEWAY_TLS_KEY` (dockerd's --tlscacert/--tlscert/--tlskey),
 * or `GATEWAY_TLS_CERT_PATH`, a folder holding ca.pem, cert.pem and key.pem (as dockerd reads
 * DOCKER_CERT_PATH; `npm run certs` writes one as `<out>/server`). A file named alone wins.
 */
export function gatewayListenPlan(env: NodeJS.ProcessEnv = process.env): EngineListenPlan {
  return engineListenPlan({
    addr: env.GATEWAY_ADDR,
    defaultSocket: path.resolve(env.DATA_DIR ?? 'data', 'docker.sock'),
    tls: {
      ca: env.GATEWAY_TLS_CA ?? inCertPath(env, 'ca.pem'),
      cert: env.GATEWAY_TLS_CERT ?? inCertPath(env, 'cert.pem'),
      key: env.GATEWAY_TLS_KEY ?? inCertPath(env, 'key.pem'),
    },
    names: { addr: 'GATEWAY_ADDR', dir: 'GATEWAY_TLS_CERT_PATH', ca: 'GATEWAY_TLS_CA', cert: 'GATEWAY_TLS_CERT', key: 'GATEWAY_TLS_KEY' },
  });
}

function inCertPath(env: NodeJS.ProcessEnv, file: string): string | undefined {
  return env.GATEWAY_TLS_CERT_PATH ? path.join(env.GATEWAY_TLS_CERT_PATH, file) : undefined;
}
