import { generateKeyPairSync } from 'node:crypto';
import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  CaEventTypes,
  DomainError,
  NodeCertificateEventTypes,
  Streams,
  Subjects,
  SwarmErrors,
  type EventData,
  type IssueNodeCertificateReply,
  type IssueNodeCertificateRequest,
} from '#contracts';
import { decideNodeCertificate, evolveNodeCertificates, evolveRootCa, initialNodeCertificates, initialRootCa } from '#domain';
import { handleCommand, loadStream, type EventStore } from '#eventstore';
import { issueNodeCertificate, openSecret, parseCsr, sealSecret } from '#platform';
import { HandlesRequest, EVENT_STORE, KEK, KekHolder, serviceContext, toNewEvent } from '#runtime';

/**
 * Signs a node certificate (CN node ID, OU role, O cluster ID) with the cluster's root CA. Without
 * a public key in the request the CA makes the key pair and keeps the private key sealed.
 */
@Controller()
export class IssueNodeCertificateHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KEK) private readonly kek: KekHolder,
  ) {}

  /**
   * The root of each cluster, unsealed once: a cluster's CA never changes (one `RootCaCreated` per
   * cluster; rotation is not implemented, and would have to clear this entry).
   */
  private readonly roots = new Map<string, { certPem: string; keyPem: string }>();

  @HandlesRequest(Subjects.caIssueNodeCertificate)
  async issue(@Payload() request: IssueNodeCertificateRequest): Promise<IssueNodeCertificateReply> {
    const requested = this.requestedKey(request);
    const certificate = await this.certify(request, requested);
    const context = serviceContext('ca-service', request.context);
    const result = await handleCommand({
      store: this.store,
      stream: Streams.nodeCertificate(request.nodeId),
      types: NodeCertificateEventTypes,
      initialState: initialNodeCertificates,
      evolve: evolveNodeCertificates,
      decide: (state) => decideNodeCertificate({ type: 'IssueNodeCertificate', certificate }, state).map((event) => toNewEvent(event, context)),
      // A joining node's ID is new: append without reading first; a renewal finds the stream there.
      assumeNew: requested !== undefined,
    });
    const issued = result.events.length === 0 && result.state.issued ? result.state.current : certificate;
    return { certPem: issued.certPem, position: result.position };
  }

  /** The certificate to record: signed now, with the CA's own key pair (sealed) when none was requested. */
  private async certify(request: IssueNodeCertificateRequest, requested: Buffer | string | undefined): Promise<EventData<'NodeCertificateIssued'>> {
    const ca = await this.loadCa(request.clusterId);
    let subjectPublicKey = requested;
    let sealedKey: EventData<'NodeCertificateIssued'>['sealedKey'];
    if (!subjectPublicKey) {
      const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      subjectPublicKey = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
      sealedKey = sealSecret(pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), this.kek.current(), Streams.nodeCertificate(request.nodeId));
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
    return {
      nodeId: request.nodeId,
      clusterId: request.clusterId,
      role: request.role,
      certPem: issued.certPem,
      serial: issued.serialNumber,
      notAfter: issued.notAfter.toISOString(),
      ...(sealedKey ? { sealedKey } : {}),
    };
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
    const { state: root } = await loadStream(this.store, stream, { types: CaEventTypes, initialState: initialRootCa, evolve: evolveRootCa });
    if (!root.exists) throw new DomainError(SwarmErrors.system(`no root CA for cluster ${clusterId}`));
    const loaded = { certPem: root.certPem, keyPem: openSecret(root.sealedKey, this.kek.current(), stream) };
    this.roots.set(clusterId, loaded);
    return loaded;
  }
}
