import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Streams, Subjects, type CreateRootCaReply, type CreateRootCaRequest, type EventData } from '#contracts';
import { caDigestBase36 } from '#domain';
import { WrongExpectedRevisionError, readableEvents, type EventStore } from '#eventstore';
import { createRootCa, sealSecret, secretFingerprint } from '#platform';
import { EVENT_STORE, KEK, serviceContext, toNewEvent } from '#runtime';

/** Creates the swarm's root CA once per cluster; a second call returns the first CA. */
@Controller()
export class CreateRootHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KEK) private readonly kek: Buffer,
  ) {}

  @MessagePattern(Subjects.caCreateRoot)
  async createRoot(@Payload() request: CreateRootCaRequest): Promise<CreateRootCaReply> {
    const stream = Streams.ca(request.clusterId);
    const existing = await this.readRoot(stream);
    if (existing) return existing;
    const root = createRootCa(new Date());
    const data: EventData<'RootCaCreated'> = {
      clusterId: request.clusterId,
      certPem: root.certPem,
      sealedKey: sealSecret(root.keyPem, this.kek, stream),
      keyFingerprint: secretFingerprint(root.keyPem, this.kek),
      certIssuerSubject: root.certIssuerSubjectB64,
      certIssuerPublicKey: root.certIssuerPublicKeyB64,
      caDigest: caDigestBase36(root.certPem),
    };
    const context = serviceContext('ca-service', request.context);
    try {
      const result = await this.store.append(stream, [toNewEvent({ type: 'RootCaCreated', data }, context)], 'no_stream');
      return { certPem: data.certPem, caDigest: data.caDigest, position: result.position };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      const winner = await this.readRoot(stream);
      if (!winner) throw error;
      return winner;
    }
  }

  private async readRoot(stream: string): Promise<CreateRootCaReply | undefined> {
    const { events } = await this.store.readStream(stream);
    const created = readableEvents('root CA', events).find((e) => e.type === 'RootCaCreated');
    if (!created) return undefined;
    const data = created.data as EventData<'RootCaCreated'>;
    return { certPem: data.certPem, caDigest: data.caDigest, position: created.position };
  }
}
