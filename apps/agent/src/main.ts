import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DockerErrorFilter, MAX_BODY_BYTES, applyDockerHttpConventions, correlationIdOf, stripApiVersion } from '#engine-http';
import { PinoLoggerService, createLogger } from '#runtime';
import { parseAgentArgs, type AgentOptions } from './agent-options.js';
import { AgentModule } from './agent.module.js';

/**
 * The Engine API of a machine that is not the first manager (`npm run agent -- --port <port>
 * --data <dir>`): `docker swarm join` from here reaches a manager's swarm port; the node's
 * identity lives in the data dir and survives a restart.
 */
let options: AgentOptions;
try {
  options = parseAgentArgs(process.argv.slice(2));
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
});
const app = await NestFactory.create<NestFastifyApplication>(AgentModule.forOptions(options), adapter, { logger: new PinoLoggerService(createLogger('agent')), bodyParser: false });
applyDockerHttpConventions(app.getHttpAdapter().getInstance());
app.useGlobalFilters(new DockerErrorFilter());
app.enableShutdownHooks();
await app.listen(options.port, options.host);
new Logger('agent').log(`Engine API listening on http://${options.host}:${options.port} (data ${options.dataDir})`);
