import { KekHolder } from '#service-host';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import { DomainError, SwarmErrors } from '#contracts';
import type { ReadModelService } from '../read-model/read-model.service.js';
import type { SwarmPortRoutes } from './swarm-port.routes.js';
import { SwarmPortServer } from './swarm-port.server.js';

/** The answer the port writes when its routes throw `error`. */
async function answerTo(error: unknown): Promise<{ status: number; body: { message: string } }> {
  const routes = { handle: () => Promise.reject(error) } as unknown as SwarmPortRoutes;
  const server = new SwarmPortServer({} as ReadModelService, routes, KekHolder.fixed(Buffer.alloc(32)));
  let status = 0;
  let text = '';
  const res = {
    headersSent: false,
    writeHead: (code: number) => {
      status = code;
    },
    end: (chunk: string) => {
      text = chunk;
    },
  } as unknown as ServerResponse;
  const req = { method: 'POST', url: '/swarm/v1/join', socket: {} } as unknown as IncomingMessage;
  await (server as unknown as { handle(req: IncomingMessage, res: ServerResponse): Promise<void> }).handle(req, res);
  return { status, body: JSON.parse(text) as { message: string } };
}

describe('the swarm port\'s error answers', () => {
  it('answers a domain error with its status and text', async () => {
    assert.deepEqual(await answerTo(new DomainError(SwarmErrors.invalidParameter('invalid join request: description is required'))), {
      status: 400,
      body: { message: 'invalid join request: description is required' },
    });
  });

  it('never shows a JavaScript error: a generic 500, the cause in the log', async () => {
    for (const error of [new SyntaxError('Unexpected end of JSON input'), new TypeError("Cannot read properties of null (reading 'hostname')"), 'thrown text']) {
      const answer = await answerTo(error);
      assert.equal(answer.status, 500);
      assert.equal(answer.body.message, 'internal error on the swarm port; the manager logged the cause');
    }
  });
});
