import { generateKeyPairSync } from 'node:crypto';
import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  DomainError,
  NodeCertificateEventTypes,
  Streams,
  Subjects,
  SwarmErrors,
  type EventData,
  type IssueNodeCertificateReply,
  type IssueNodeCertificateRequest,
} from '#contracts';
import { decideNodeCertificate, evolveNodeCertificates, initialNodeCertificates, signingRoot } from '#domain';
import { handleCommand, type EventStore } from '#eventstore';
import { RootCasService } from '../projections/root-cas.service.js';
import { issueNodeCertificate, parseCsr, sealSecret } from '#pki';
import { HandlesRequest } from '#rpc';
import { EVENT_STORE, KEK, KekHolder, serviceContext, toNewEvent } from '#service-host';

/**
 * Signs a node certificate (CN node ID, OU role, O cluster ID) with the cluster's root CA. Without
 * a public key in the request the CA makes the key pair and keeps the private key sealed.
 */
@Controller()
export class IssueNodeCertificateHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KEK) private readonly kek: KekHolder,
    @Inject(RootCasService) private readonly roots: RootCasService,
  ) {}


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
      decide: (state) => decideNodeCertificate({ type: 'IssueNodeCertificate', certificate, ...(request.renewsSerial ? { renewsSerial: request.renewsSerial } : {}) }, state).map((event) => toNewEvent(event, context)),
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
      // During a rotation the leaf comes with the new root cross-signed by the current one.
      certPem: issued.certPem + ca.chainPem,
      serial: issued.serialNumber,
      notAfter: issued.notAfter.toISOString(),
      notBefore: issued.notBefore.toISOString(),
      issuerCaDigest: ca.caDigest,
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

  /** The root that signs now (the desired one during a rotation) with its key and the chain to hand out with a leaf. */
  private async loadCa(clusterId: string): Promise<{ certPem: string; keyPem: string; chainPem: string; caDigest: string }> {
    const root = signingRoot(await this.roots.rootOf(clusterId));
    if (!root) throw new DomainError(SwarmErrors.system(`no root CA for cluster ${clusterId}`));
    return { certPem: root.certPem, keyPem: this.roots.keyOf(clusterId, root), chainPem: root.chainPem, caDigest: root.caDigest };
  }
}
