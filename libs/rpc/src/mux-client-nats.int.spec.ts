/** RpcClient over MuxClientNats against a real nats-server, answered in NestJS's reply format. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DomainError } from '#contracts';
import { startNatsServer, type NatsServerHandle } from '#testing';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { MuxClientNats } from './mux-client-nats.js';
import { RpcClient } from './rpc.js';

describe('MuxClientNats', () => {
  let server: NatsServerHandle;
  let responder: NatsConnection;
  let rpc: RpcClient;

  before(async () => {
    server = await startNatsServer({ jetstream: false });
    responder = await connect({ servers: server.url });
    // What a NestJS server sends back: the request's id, then the response or the error, disposed.
    responder.subscribe('test.echo', {
      callback: (_err, msg) => {
        const packet = msg.json<{ id: string; pattern: string; data: unknown }>();
        msg.respond(JSON.stringify({ id: packet.id, response: { echoed: packet.data, pattern: packet.pattern }, isDisposed: true }));
      },
    });
    responder.subscribe('test.refuse', {
      callback: (_err, msg) => {
        const { id } = msg.json<{ id: string }>();
        msg.respond(JSON.stringify({ id, err: { code: 'NotFound', kind: 'NotFound', message: 'no such thing' }, isDisposed: true }));
      },
    });
    responder.subscribe('test.silent', { callback: () => undefined });
    responder.subscribe('test.crash', {
      callback: (_err, msg) => {
        const { id } = msg.json<{ id: string }>();
        msg.respond(JSON.stringify({ id, err: { status: 'error', message: 'Internal server error' }, isDisposed: true }));
      },
    });
    await responder.flush();
    rpc = new RpcClient(new MuxClientNats({ servers: [server.url] }), 2_000);
  });
  after(async () => {
    await rpc.close();
    await responder.close();
    await server.stop();
  });

  it('sends NestJS packets and returns the response, many at once', async () => {
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => rpc.requestUnchecked('test.echo', { i }) as Promise<{ echoed: unknown; pattern: string }>));
    assert.deepEqual(replies.map((r) => r.echoed), Array.from({ length: 50 }, (_, i) => ({ i })));
    assert.equal(replies[0]?.pattern, 'test.echo');
  });

  it('turns an error reply into a DomainError', async () => {
    await assert.rejects(rpc.requestUnchecked('test.refuse', {}), (error: unknown) => error instanceof DomainError && error.message === 'no such thing');
  });

  it('answers a reply that is not a domain error as a system error, without its text', async () => {
    await assert.rejects(rpc.requestUnchecked('test.crash', {}), (error: unknown) => error instanceof DomainError && error.kind === 'System' && /^internal error.*: see the control plane's logs$/.test(error.message));
  });

  it('answers Unavailable when the reply does not come in time', async () => {
    const quick = new RpcClient(new MuxClientNats({ servers: [server.url] }), 200);
    try {
      await assert.rejects(quick.requestUnchecked('test.silent', {}), (error: unknown) => error instanceof DomainError && error.kind === 'Unavailable');
    } finally {
      await quick.close();
    }
  });

  it('answers Unavailable when nobody serves the subject', async () => {
    await assert.rejects(rpc.requestUnchecked('test.nobody', {}), (error: unknown) => error instanceof DomainError && error.kind === 'Unavailable');
  });
});
