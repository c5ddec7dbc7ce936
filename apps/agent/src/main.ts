import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { applyDockerHttpConventions, correlationIdOf, DockerErrorFilter, EngineListenError, engineTlsServerOptions, listenEngineApi, MAX_BODY_BYTES, stripApiVersion } from '#engine-http';
import { createLogger, PinoLoggerService } from '#observability';
import { parseAgentArgs, type AgentOptions } from './agent-options.js';
import { AgentModule } from './agent.module.js';

/**
 * The Engine API of a machine that is not the first manager (`npm run agent -- --data <dir>`, on
 * `<dir>/docker.sock`; see agent-options.ts for TCP and TLS): `docker swarm join` from here reaches
 * a manager's swarm port; the node's identity lives in the data dir and survives a restart.
 */
let options: AgentOptions;
let https: ReturnType<typeof engineTlsServerOptions> | undefined;
try {
  options = parseAgentArgs(process.argv.slice(2));
  https = options.listen.kind === 'tcp' && options.listen.tls ? engineTlsServerOptions(options.listen.tls) : undefined;
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
const adapter = new FastifyAdapter({
  exposeHeadRoutes: false,
  rewriteUrl: (request: { url?: string }) => stripApiVersion(request.url ?? '/'),
  bodyLimit: MAX_BODY_BYTES,
  // An open `docker events` stream must not hold a stopping agent up.
  forceCloseConnections: true,
  genReqId: correlationIdOf,
  ...(https ? { https } : {}),
});
const app = await NestFactory.create<NestFastifyApplication>(AgentModule.forOptions(options), adapter, { logger: new PinoLoggerService(createLogger('agent')), bodyParser: false });
applyDockerHttpConventions(app.getHttpAdapter().getInstance());
app.useGlobalFilters(new DockerErrorFilter());
app.enableShutdownHooks();
const agentLog = new Logger('agent');
let url: string;
try {
  url = await listenEngineApi(app, options.listen, agentLog);
} catch (error) {
  if (!(error instanceof EngineListenError)) throw error;
  process.stderr.write(`${error.message}\n`);
  await app.close();
  process.exit(1);
}
agentLog.log(`Engine API listening on ${url}${https ? ' (TLS, client certificates required)' : ''} (data ${options.dataDir})`);
