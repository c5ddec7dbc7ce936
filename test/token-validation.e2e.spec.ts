import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { DomainError, Subjects } from '#contracts';
import { RpcClient } from '#rpc';
import { startStackFixture, type StackFixture } from './support/stack-fixture.js';

describe('token-service validate(token) over NATS', () => {
  let fx: StackFixture;
  let rpc: RpcClient;
  before(async () => {
    fx = await startStackFixture();
    rpc = new RpcClient(ClientProxyFactory.create({ transport: Transport.NATS, options: { servers: [fx.natsUrl] } }));
  });
  after(async () => {
    await rpc?.close();
    await fx?.stop();
  });

  const validate = (token: string) => rpc.request(Subjects.tokensValidate, { token });
  const rejection = async (token: string): Promise<string> => {
    try {
      await validate(token);
      return 'accepted';
    } catch (error) {
      assert.ok(error instanceof DomainError);
      return `${error.kind}: ${error.message}`;
    }
  };

  it('gives the role of the current tokens and refuses old, wrong and malformed ones', async () => {
    assert.equal(await rejection('SWMTKN-1-abc'), 'System: invalid join token');
    await fx.docker('swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', '127.0.0.1:2377');
    const worker = (await fx.docker('swarm', 'join-token', '-q', 'worker')).stdout.trim();
    const manager = (await fx.docker('swarm', 'join-token', '-q', 'manager')).stdout.trim();
    assert.equal((await validate(worker)).role, 'worker');
    assert.equal((await validate(manager)).role, 'manager');
    const rejected = 'InvalidParameter: rpc error: code = InvalidArgument desc = A valid join token is necessary to join this cluster';
    assert.equal(await rejection(`${worker.slice(0, -1)}${worker.endsWith('z') ? 'y' : 'z'}`), rejected);
    assert.equal(await rejection('notatoken'), 'System: invalid join token');
    assert.equal(await rejection(`${worker}x`), 'System: invalid join token');
    const rotated = (await fx.docker('swarm', 'join-token', '--rotate', '-q', 'worker')).stdout.trim();
    assert.equal(await rejection(worker), rejected, 'the old worker token fails from the moment of rotation');
    assert.equal((await validate(rotated)).role, 'worker');
    assert.equal((await validate(manager)).role, 'manager', 'the other role is untouched');
  });
});
