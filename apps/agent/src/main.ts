import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DockerErrorFilter, applyDockerHttpConventions, stripApiVersion } from '#engine-http';
import { parseAgentArgs } from './agent-options.js';
import { AgentModule } from './agent.module.js';
import { setHostname } from './system/local-engine.js';

/**
 * The Engine API of a machine that is not the first manager: `docker swarm join` from here reaches
 * a manager's swarm port. Identity (key, certificate, CA, node ID) lives in `--data`.
 */
const options = parseAgentArgs(process.argv.slice(2));
setHostname(options.hostname);
const adapter = new FastifyAdapter({ exposeHeadRoutes: false, rewriteUrl: (request: { url?: string }) => stripApiVersion(request.url ?? '/') });
const app = await NestFactory.create<NestFastifyApplication>(AgentModule.forOptions(options), adapter, { logger: ['error', 'warn', 'log'] });
applyDockerHttpConventions(app.getHttpAdapter().getInstance());
app.useGlobalFilters(new DockerErrorFilter());
app.enableShutdownHooks();
await app.listen(options.port, options.host);
new Logger('agent').log(`Engine API listening on http://${options.host}:${options.port} (data ${options.dataDir})`);
