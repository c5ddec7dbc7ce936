/**
 * The typed bus, checked by the compiler: each `@ts-expect-error` below must stay an error (the
 * build fails if one compiles), and the rest must compile.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PATTERN_METADATA } from '@nestjs/microservices/constants.js';
import { Subjects, type NodeHeartbeat, type PositionReply, type PruneNetworksReply, type PruneNetworksRequest } from '#contracts';
import { HandlesRequest, HearsEvent } from './rpc-handler.js';
import type { RpcClient } from './rpc.js';

class Handlers {
  @HandlesRequest(Subjects.networksPrune)
  async prune(request: PruneNetworksRequest): Promise<PruneNetworksReply> {
    return { removed: [...request.networkIds], position: 1 };
  }

  // A handler that validates its payload itself may take `unknown`.
  @HandlesRequest(Subjects.swarmLeave)
  async leave(_payload: unknown): Promise<PositionReply> {
    return { position: 1 };
  }

  // @ts-expect-error the request of networks.remove is not a prune
  @HandlesRequest(Subjects.networksRemove)
  async remove(request: PruneNetworksRequest): Promise<PositionReply> {
    return { position: request.networkIds.length };
  }

  // @ts-expect-error networks.prune answers with the names it removed
  @HandlesRequest(Subjects.networksPrune)
  async pruneWithoutNames(_request: PruneNetworksRequest): Promise<PositionReply> {
    return { position: 1 };
  }

  @HearsEvent(Subjects.nodesHeartbeat)
  beat(_beat: NodeHeartbeat): void {}

  // @ts-expect-error a heartbeat is not this
  @HearsEvent(Subjects.nodesHeartbeat)
  notABeat(_beat: { other: string }): void {}
}

export async function callers(rpc: RpcClient): Promise<'worker' | 'manager'> {
  const reply = await rpc.request(Subjects.tokensValidate, { token: 'SWMTKN-1-x-y' });
  // @ts-expect-error the request of tokens.validate has a token
  await rpc.request(Subjects.tokensValidate, { tokn: 'x' });
  // @ts-expect-error heartbeats are published, not requested
  await rpc.request(Subjects.nodesHeartbeat, { nodeId: 'n', at: 0 });
  return reply.role;
}

it('registers the typed handlers as NestJS message patterns, as @MessagePattern did', () => {
  assert.deepEqual(Reflect.getMetadata(PATTERN_METADATA, Handlers.prototype.prune), [Subjects.networksPrune]);
  assert.deepEqual(Reflect.getMetadata(PATTERN_METADATA, Handlers.prototype.beat), [Subjects.nodesHeartbeat]);
});
