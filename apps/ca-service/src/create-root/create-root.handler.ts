import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { type CreateRootCaReply, type CreateRootCaRequest, type EventData, Streams, Subjects } from '#contracts';
import { decideRootCa } from '#domain';
import { type EventStore, handleCommand } from '#eventstore';
import { createRootCa } from '#pki';
import { HandlesRequest } from '#rpc';
import { EVENT_STORE, KEK, KekHolder, serviceContext, toNewEvent } from '#service-host';
import { ROOT_CA } from '../root-ca-fold.js';
import { rootCaMaterial } from '../root-material.js';

/** Creates the swarm's root CA once per cluster; a second call returns the first CA. */
@Controller()
export class CreateRootHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KEK) private readonly kek: KekHolder,
  ) {}

  @HandlesRequest(Subjects.caCreateRoot)
  async createRoot(@Payload() request: CreateRootCaRequest): Promise<CreateRootCaReply> {
    const stream = Streams.ca(request.clusterId);
    const root = this.newRoot(request.clusterId, stream);
    const context = serviceContext('ca-service', request.context);
    // A cluster's CA stream is new but for a retried init: try the append first, read on a conflict.
    const result = await handleCommand({
      store: this.store,
      stream,
      ...ROOT_CA,
      decide: (state) => decideRootCa({ type: 'CreateRootCa', root }, state).map((event) => toNewEvent(event, context)),
      assumeNew: true,
    });
    const created = result.events.length === 0 && result.state.exists ? result.state : root;
    return { certPem: created.certPem, caDigest: created.caDigest, position: result.position };
  }

  /** A new self-signed root, its key sealed for the log (made before deciding: the decider stays pure). */
  private newRoot(clusterId: string, stream: string): EventData<'RootCaCreated'> {
    const root = createRootCa(new Date());
    return { clusterId, ...rootCaMaterial(root.certPem, root.keyPem, this.kek.current(), stream) };
  }
}
