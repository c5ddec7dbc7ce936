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
    assert.deepEqual(await new RpcClient(client).requestUnchecked(Subjects.tokensValidate, {}), { ok: true });
    assert.equal(sent(), 2);
  });

  it('answers 503 (Unavailable) for any other request, without sending it again', async () => {
    const { client, sent } = scripted([() => throwError(() => new TimeoutError()), () => of({ ok: true })]);
    await assert.rejects(new RpcClient(client).requestUnchecked(Subjects.networksPrune, {}), (error: unknown) => {
      assert.ok(error instanceof DomainError);
      assert.equal(error.kind, 'Unavailable');
      assert.match(error.message, /may or may not have been made/);
      return true;
    });
    assert.equal(sent(), 1);
  });
});

describe('RpcClient liveness probe', () => {
  it('resolves on any answer, once', async () => {
    const { client, sent } = scripted([() => of({ service: 'ipam-service', pid: 1 })]);
    await new RpcClient(client).probe('health.ipam-service', 100);
    assert.equal(sent(), 1);
  });

  it('tells "no replica runs" (no responders) from "no answer in time", and retries neither', async () => {
    const noResponders = scripted([() => throwError(() => new Error("no responders: 'health.ipam-service'"))]);
    await assert.rejects(new RpcClient(noResponders.client).probe('health.ipam-service', 100), /^Error: no replica answers \(not running\)$/);
    assert.equal(noResponders.sent(), 1);
    const slow = scripted([() => new Observable(() => undefined)]);
    await assert.rejects(new RpcClient(slow.client).probe('health.ipam-service', 20), /^Error: no answer within 20 ms$/);
    assert.equal(slow.sent(), 1);
  });
});

describe('RpcClient when a service has no running replica left', () => {
  const never = (): Observable<unknown> => new Observable(() => undefined);

  it('fails the requests in flight to it at once with 503, not after the timeout', async () => {
    const { client } = scripted([never]);
    const rpc = new RpcClient(client, 1500);
    const started = performance.now();
    const pending = rpc.requestUnchecked(Subjects.networksPrune, {});
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(rpc.abandonInFlight(new Set([Subjects.networksRemove]), performance.now(), 'ipam-service is down'), 0, 'other subjects stay');
    assert.equal(rpc.abandonInFlight(new Set([Subjects.networksPrune]), performance.now(), 'ipam-service is down'), 1);
    await assert.rejects(pending, (error: unknown) => error instanceof DomainError && error.kind === 'Unavailable' && /may or may not have been made/.test(error.message));
    assert.ok(performance.now() - started < 1000, 'before the timeout');
  });

  it('leaves a request sent after the probe that found no replica (a restarted one may have it)', async () => {
    const { client } = scripted([never]);
    const rpc = new RpcClient(client, 1500);
    const probeSentAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const pending = rpc.requestUnchecked(Subjects.networksPrune, {}).catch(() => 'abandoned');
    assert.equal(rpc.abandonInFlight(new Set([Subjects.networksPrune]), probeSentAt, 'ipam-service is down'), 0);
    // A later probe (sent after the request) ends it, and the test with it.
    assert.equal(rpc.abandonInFlight(new Set([Subjects.networksPrune]), performance.now(), 'ipam-service is down'), 1);
    assert.equal(await pending, 'abandoned');
  });

  it('sends an abandoned idempotent request again', async () => {
    const { client, sent } = scripted([never, () => of({ ok: true })]);
    const rpc = new RpcClient(client, 1500);
    const pending = rpc.requestUnchecked(Subjects.tokensValidate, {});
    await new Promise((resolve) => setTimeout(resolve, 5));
    rpc.abandonInFlight(new Set([Subjects.tokensValidate]), performance.now(), 'token-service is down');
    assert.deepEqual(await pending, { ok: true });
    assert.equal(sent(), 2);
  });
});
