import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Streams, Subjects, type CompleteRootRotationReply, type CompleteRootRotationRequest } from '#contracts';
import { decideRootCa } from '#domain';
import { handleCommand, type EventStore } from '#eventstore';
import { HandlesRequest } from '#rpc';
import { EVENT_STORE, serviceContext, toNewEvent } from '#service-host';
import { ROOT_CA } from '../root-ca-fold.js';

/** `ca.root.rotation.complete`: the rotation's root becomes the trust root (once; a stale or repeated call changes nothing). */
@Controller()
export class CompleteRotationHandler {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @HandlesRequest(Subjects.caCompleteRootRotation)
  async complete(@Payload() request: CompleteRootRotationRequest): Promise<CompleteRootRotationReply> {
    const context = serviceContext('ca-service', request.context);
    const result = await handleCommand({
      store: this.store,
      stream: Streams.ca(request.clusterId),
      ...ROOT_CA,
      decide: (state) => decideRootCa({ type: 'CompleteRootRotation', rotationId: request.rotationId }, state).map((event) => toNewEvent(event, context)),
    });
    // `state` is what was decided on: after a completion now, the trust root is the rotation's root.
    const state = result.state;
    const caDigest = !state.exists ? '' : result.events.length > 0 && state.rotation ? state.rotation.root.caDigest : state.caDigest;
    return { position: result.position, caDigest };
  }
}
