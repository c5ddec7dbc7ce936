import type { Server } from 'node:net';
import { watchTlsHandshakes } from './engine-tls.js';
import { claimSocketPath, secureSocket } from './unix-socket.js';
import { engineUrl, plainTcpWarnings, type EngineListenPlan } from './listen-plan.js';

/** What an app's HTTP server needs to be: `listen(port, host)` or `listen(path)` (NestJS's app). */
export interface ListeningApp {
  listen(portOrPath: number | string, host?: string): Promise<unknown>;
  /** The TLS server, when the app serves TLS (watched for plain HTTP and failed handshakes). */
  getHttpServer?(): Server;
}

export interface ListenLogger {
  log(message: string): void;
  warn(message: string): void;
}

/**
 * Binds the Engine API as `plan` says and returns its DOCKER_HOST URL. A unix socket is created
 * under umask 0177, so that it is never connectable by others between bind and chmod, then set to
 * 0660 with the `docker` group. Plain TCP logs dockerd's warnings first.
 */
export async function listenEngineApi(app: ListeningApp, plan: EngineListenPlan, logger: ListenLogger): Promise<string> {
  if (plan.kind === 'unix') {
    await claimSocketPath(plan.path);
    const previous = process.umask(0o177);
    try {
      await app.listen(plan.path);
    } finally {
      process.umask(previous);
    }
    for (const warning of secureSocket(plan.path)) logger.warn(warning);
  } else {
    for (const warning of plainTcpWarnings(plan)) logger.warn(warning);
    const server = plan.tls ? app.getHttpServer?.() : undefined;
    if (server) watchTlsHandshakes(server, (message) => logger.warn(message));
    await app.listen(plan.port, plan.host);
  }
  return engineUrl(plan);
}
