import path from 'node:path';
import { engineListenPlan, type EngineListenPlan } from '#runtime';

/**
 * The gateway's Engine API address from its environment: `GATEWAY_ADDR` (default: the unix socket
 * `docker.sock` in `DATA_DIR`, `./data` unless set) and, for TCP beyond loopback, the TLS files
 * `GATEWAY_TLS_CA`, `GATEWAY_TLS_CERT`, `GATEWAY_TLS_KEY` (dockerd's --tlscacert/--tlscert/--tlskey).
 */
export function gatewayListenPlan(env: NodeJS.ProcessEnv = process.env): EngineListenPlan {
  return engineListenPlan({
    addr: env.GATEWAY_ADDR,
    defaultSocket: path.resolve(env.DATA_DIR ?? 'data', 'docker.sock'),
    tls: { ca: env.GATEWAY_TLS_CA, cert: env.GATEWAY_TLS_CERT, key: env.GATEWAY_TLS_KEY },
    names: { addr: 'GATEWAY_ADDR', ca: 'GATEWAY_TLS_CA', cert: 'GATEWAY_TLS_CERT', key: 'GATEWAY_TLS_KEY' },
  });
}
