import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Logger, type ArgumentsHost } from '@nestjs/common';
import { DomainError, SwarmErrors, type ErrorPayload } from '#contracts';
import { firstValueFrom } from 'rxjs';
import { RpcErrorFilter } from './rpc-error.filter.js';

async function payloadOf(error: unknown): Promise<ErrorPayload> {
  const host = { switchToRpc: () => ({ getData: () => ({ context: { correlationId: 'corr-7', actor: 'api' } }) }) } as unknown as ArgumentsHost;
  return firstValueFrom(new RpcErrorFilter().catch(error, host)).then(
    () => assert.fail('expected an error'),
    (payload: ErrorPayload) => payload,
  );
}

describe('RpcErrorFilter', () => {
  it('passes domain errors through', async () => {
    assert.deepEqual(await payloadOf(new DomainError(SwarmErrors.notFound('node x not found'))), SwarmErrors.notFound('node x not found'));
  });

  it('replaces any other error by a generic payload that names the correlation id, and logs the cause', async (t) => {
    const logged: unknown[] = [];
    t.mock.method(Logger.prototype, 'error', (entry: unknown) => logged.push(entry));
    const payload = await payloadOf(new TypeError('pools.map is not a function'));
    assert.deepEqual(payload, SwarmErrors.internal('corr-7'));
    assert.doesNotMatch(payload.message, /pools\.map/);
    assert.equal((logged[0] as { correlationId: string }).correlationId, 'corr-7');
  });
});
