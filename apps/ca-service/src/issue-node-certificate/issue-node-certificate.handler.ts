import { generateKeyPairSync } from 'node:crypto';
import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  DomainError,
  Streams,
  Subjects,
  SwarmErrors,
  type EventData,
  type IssueNodeCertificateReply,
  type IssueNodeCertificateRequest,
} from '#contracts';
import { WrongExpectedRevisionError, readableEvents, type EventStore, type ExpectedRevision } from '#eventstore';
import { issueNodeCertificate, openSecret, parseCsr, sealSecret } from '#platform';
import { EVENT_STORE, KEK, serviceContext, toNewEvent } from '#runtime';

/**
 * Signs a node certificate (CN node ID, OU role, O cluster ID) with the cluster's root CA. Without
 * a public key in the request the CA makes the key pair and keeps the private key sealed.
 */
@Controller()
export class IssueNodeCertificateHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KEK) private readonly kek: Buffer,
  ) {}

  /**
   * The root of each cluster, unsealed once: a cluster's CA never changes (one `RootCaCreated` per
   * cluster; rotation is not implemented, and would have to clear this entry).
   */
  private readonly roots = new Map<string, { certPem: string; keyPem: string }>();

  @MessagePattern(Subjects.caIssueNodeCertificate)
  async issue(@Payload() request: IssueNodeCertificateRequest): Promise<IssueNodeCertificateReply> {
    const requested = this.requestedKey(request);
    if (requested) {
      // A joining node's ID is new: append without reading first; a renewal finds the stream there.
      try {
        return await this.certify(request, requested, 'no_stream');
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
      }
    }
    const stream = Streams.nodeCertificate(request.nodeId);
    const current = await this.store.readStream(stream);
    const last = readableEvents('node certificates', current.events).at(-1);
    if (last && !requested) {
      return { certPem: (last.data as EventData<'NodeCertificateIssued'>).certPem, position: last.position };
    }
    try {
      return await this.certify(request, requested, current.revision);
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError && !requested) return this.issue(request);
      throw error;
    }
  }

  private async certify(
    request: IssueNodeCertificateRequest,
    requested: Buffer | string | undefined,
    expected: ExpectedRevision,
  ): Promise<IssueNodeCertificateReply> {
    const stream = Streams.nodeCertificate(request.nodeId);
    const ca = await this.loadCa(request.clusterId);
    let subjectPublicKey = requested;
    let sealedKey: EventData<'NodeCertificateIssued'>['sealedKey'];
    if (!subjectPublicKey) {
      const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      subjectPublicKey = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
      sealedKey = sealSecret(pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), this.kek, stream);
    }
    const issued = issueNodeCertificate({
      caCertPem: ca.certPem,
      caKeyPem: ca.keyPem,
      subjectPublicKey,
      nodeId: request.nodeId,
      role: request.role,
      clusterId: request.clusterId,
      now: new Date(),
      expiryMs: Math.floor(request.expiryNs / 1e6),
    });
    const data: EventData<'NodeCertificateIssued'> = {
      nodeId: request.nodeId,
      clusterId: request.clusterId,
      role: request.role,
      certPem: issued.certPem,
      serial: issued.serialNumber,
      notAfter: issued.notAfter.toISOString(),
      ...(sealedKey ? { sealedKey } : {}),
    };
    const event = toNewEvent({ type: 'NodeCertificateIssued', data }, serviceContext('ca-service', request.context));
    const result = await this.store.append(stream, [event], expected);
    return { certPem: issued.certPem, position: result.position };
  }

  /** The public key to certify: given as PEM, or the SPKI of a CSR whose signature verifies. */
  private requestedKey(request: IssueNodeCertificateRequest): Buffer | string | undefined {
    if (request.publicKeyPem) return request.publicKeyPem;
    if (!request.csrPem) return undefined;
    try {
      return parseCsr(request.csrPem).subjectPublicKeyInfoDer;
    } catch {
      throw new DomainError(SwarmErrors.invalidParameter('rpc error: code = InvalidArgument desc = invalid certificate signing request'));
    }
  }

  private async loadCa(clusterId: string): Promise<{ certPem: string; keyPem: string }> {
    const known = this.roots.get(clusterId);
    if (known) return known;
    const stream = Streams.ca(clusterId);
    const { events } = await this.store.readStream(stream);
    const root = readableEvents('node certificates', events).find((e) => e.type === 'RootCaCreated');
    if (!root) throw new DomainError(SwarmErrors.system(`no root CA for cluster ${clusterId}`));
    const data = root.data as EventData<'RootCaCreated'>;
    const loaded = { certPem: data.certPem, keyPem: openSecret(data.sealedKey, this.kek, stream) };
    this.roots.set(clusterId, loaded);
    return loaded;
  }
}
