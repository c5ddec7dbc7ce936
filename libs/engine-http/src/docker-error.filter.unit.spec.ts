import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpException, Logger, type ArgumentsHost } from '@nestjs/common';
import { DomainError, SwarmErrors } from '#contracts';
import { DockerErrorFilter } from './docker-error.filter.js';

/** Runs the filter on `error` and returns the status and body it sent. */
function answer(error: unknown): { status: number; body: string } {
  const sent = { status: 0, body: '' };
  const reply = {
    status(code: number) {
      sent.status = code;
      return reply;
    },
    header: () => reply,
    send(body: string) {
      sent.body = body;
      return reply;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => reply, getRequest: () => ({ id: 'corr-42' }) }) } as unknown as ArgumentsHost;
  new DockerErrorFilter().catch(error, host);
  return sent;
}

describe('DockerErrorFilter', () => {
  it('answers domain errors with their status and text', () => {
    assert.deepEqual(answer(new DomainError(SwarmErrors.invalidParameter('bad'))), { status: 400, body: '{"message":"bad"}\n' });
  });

  it('never lets a JavaScript error text reach the client: a generic 500 with the correlation id', (t) => {
    const logged: unknown[] = [];
    t.mock.method(Logger.prototype, 'error', (entry: unknown) => logged.push(entry));
    const sent = answer(new TypeError("Cannot read properties of null (reading 'ListenAddr')"));
    assert.equal(sent.status, 500);
    assert.equal(sent.body, `${JSON.stringify({ message: "internal error (correlation id corr-42): see the control plane's logs" })}\n`);
    assert.doesNotMatch(sent.body, /Cannot read/);
    assert.equal((logged[0] as { correlationId: string }).correlationId, 'corr-42');
  });

  it('answers a body over the limit with our 413 text', () => {
    assert.deepEqual(answer(new HttpException('Request body is too large', 413)), {
      status: 413,
      body: '{"message":"request body too large: the limit is 262144 bytes"}\n',
    });
  });
});
