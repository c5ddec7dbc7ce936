import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError, Subjects } from '#contracts';
import type { ClientProxy } from '@nestjs/microservices';
import { Observable, TimeoutError, of, throwError } from 'rxjs';
import { RpcClient, isNoReply } from './rpc.js';

/** A client whose n-th send answers with the n-th outcome. */
function scripted(outcomes: readonly (() => Observable<unknown>)[]): { client: ClientProxy; sent: () => number } {
  let calls = 0;
  const client = { send: () => (outcomes[calls++] ?? outcomes.at(-1)!)(), close: async () => undefined } as unknown as ClientProxy;
  return { client, sent: () => calls };
}

describe('RpcClient during a failover', () => {
  it('recognises the ways a reply does not come', () => {
    assert.ok(isNoReply(new TimeoutError()));
    assert.ok(isNoReply('Error: Connection lost. Trying to reconnect...'));
    assert.ok(isNoReply(new Error('disconnect')));
    assert.ok(isNoReply(new Error('closed connection')));
    assert.ok(!isNoReply(new Error('invalid json')));
  });

  it('sends an idempotent request again when no reply comes', async () => {
    const { client, sent } = scripted([() => throwError(() => 'Error: Connection lost. Trying to reconnect...'), () => of({ ok: true })]);
    assert.deepEqual(await new RpcClient(client).request(Subjects.tokensValidate, {}), { ok: true });
    assert.equal(sent(), 2);
  });

  it('answers 503 (Unavailable) for any other request, without sending it again', async () => {
    const { client, sent } = scripted([() => throwError(() => new TimeoutError()), () => of({ ok: true })]);
    await assert.rejects(new RpcClient(client).request(Subjects.networksCreate, {}), (error: unknown) => {
      assert.ok(error instanceof DomainError);
      assert.equal(error.kind, 'Unavailable');
      assert.match(error.message, /may or may not have been made/);
      return true;
    });
    assert.equal(sent(), 1);
  });
});
