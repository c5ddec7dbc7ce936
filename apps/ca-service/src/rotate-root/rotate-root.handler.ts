import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  CaErrors, DomainError, Streams, Subjects, type EventData, type PositionReply, type RotateRootCaRequest,
} from '#contracts';
import { decideRootCa, type RootCa } from '#domain';
import { handleCommand, type EventStore } from '#eventstore';
import {
  checkSigningCa, createRootCa, crossSignRoot, normalizePem, openSecret, rootFacts, type SigningCaProblem,
} from '#pki';
import { HandlesRequest } from '#rpc';
import { EVENT_STORE, KEK, KekHolder, serviceContext, toNewEvent } from '#service-host';
import { RootCasService } from '../projections/root-cas.service.js';
import { ROOT_CA } from '../root-ca-fold.js';
import { rootCaMaterial } from '../root-material.js';

/**
 * `ca.root.rotate`: checks the operator's root (`--ca-cert`/`--ca-key`) as swarmkit does, or makes
 * a new one, cross-signs it with the current root and records `RootRotationStarted`. The current
 * root stays the trust root until every node holds a certificate of the new one (node-service's
 * rotation watcher then asks for `ca.root.rotation.complete`).
 */
@Controller()
export class RotateRootHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KEK) private readonly kek: KekHolder,
    @Inject(RootCasService) private readonly roots: RootCasService,
  ) {}

  @HandlesRequest(Subjects.caRotateRoot)
  async rotate(@Payload() request: RotateRootCaRequest): Promise<PositionReply> {
    const stream = Streams.ca(request.clusterId);
    const desired = request.signingCa ? this.checkedSigningCa(request.signingCa, stream) : undefined;
    if (request.checkOnly) return { position: 0 };
    const context = serviceContext('ca-service', request.context);
    const result = await handleCommand({
      store: this.store,
      stream,
      ...ROOT_CA,
      decide: (state) => {
        if (!state.exists || state.startedRotations.has(request.rotationId)) return [];
        const rotation = this.rotation(request, state, desired);
        return decideRootCa({ type: 'StartRootRotation', rotation }, state).map((event) => toNewEvent(event, context));
      },
    });
    return { position: result.position };
  }

  /** The operator's root, checked; its key stays sealed as the gateway sealed it (for this stream). */
  private checkedSigningCa(signingCa: NonNullable<RotateRootCaRequest['signingCa']>, stream: string): { certPem: string; keyPem: string; sealedKey: EventData<'RootRotationStarted'>['sealedKey'] } {
    const certPem = normalizePem(signingCa.certPem);
    const keyPem = openSecret(signingCa.sealedKey, this.kek.current(), stream);
    const problem = checkSigningCa(certPem, keyPem, new Date());
    if (problem) throw new DomainError(refusal(problem));
    if (!rootFacts(certPem).isCa) throw new DomainError(CaErrors.notCa());
    return { certPem, keyPem, sealedKey: signingCa.sealedKey };
  }

  /** The rotation to record: the desired root (given, or made now) cross-signed by the current trust root. */
  private rotation(
    request: RotateRootCaRequest,
    state: RootCa & { exists: true },
    desired: { certPem: string; keyPem: string; sealedKey: EventData<'RootRotationStarted'>['sealedKey'] } | undefined,
  ): EventData<'RootRotationStarted'> {
    const stream = Streams.ca(request.clusterId);
    const { certPem, keyPem } = desired ?? createRootCa(new Date());
    return {
      clusterId: request.clusterId,
      rotationId: request.rotationId,
      origin: desired ? 'signing-ca' : 'force-rotate',
      ...rootCaMaterial(certPem, keyPem, this.kek.current(), stream, desired?.sealedKey),
      crossSignedCertPem: crossSignRoot(certPem, state.certPem, this.roots.keyOf(request.clusterId, state)),
    };
  }
}

function refusal(problem: SigningCaProblem) {
  switch (problem.reason) {
    case 'multiple-certificates':
      return CaErrors.multipleCertificates();
    case 'not-a-certificate':
      return CaErrors.notACertificate();
    case 'expired':
      return CaErrors.expired(problem.now, problem.notBefore, problem.notAfter);
    case 'not-self-signed':
      return CaErrors.notSelfSigned();
    case 'weak-signature':
      return CaErrors.weakSignature(problem.algorithm);
    case 'expires-too-soon':
      return CaErrors.expiresTooSoon();
    case 'encrypted-key':
      return CaErrors.encryptedKey();
    case 'malformed-key':
      return CaErrors.malformedKey();
    case 'key-mismatch':
      return CaErrors.keyMismatch();
    default: {
      const unknown: never = problem;
      throw new Error(`unknown problem ${JSON.stringify(unknown)}`);
    }
  }
}
