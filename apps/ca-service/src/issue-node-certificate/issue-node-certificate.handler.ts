import { generateKeyPairSync, X509Certificate } from 'node:crypto';
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
import { WrongExpectedRevisionError, type EventStore } from '#eventstore';
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

  @MessagePattern(Subjects.caIssueNodeCertificate)
  async issue(@Payload() request: IssueNodeCertificateRequest): Promise<IssueNodeCertificateReply> {
    const stream = Streams.nodeCertificate(request.nodeId);
    const current = await this.store.readStream(stream);
    const last = current.events.at(-1);
    const requested = this.requestedKey(request);
    if (last && !requested) {
      return { certPem: (last.data as EventData<'NodeCertificateIssued'>).certPem, position: last.position };
    }
    const ca = await this.loadCa(request.clusterId);
    let publicKeyPem = requested;
    let sealedKey: EventData<'NodeCertificateIssued'>['sealedKey'];
    if (!publicKeyPem) {
      const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
      sealedKey = sealSecret(pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), this.kek, stream);
    }
    const { certPem } = issueNodeCertificate({
      caCertPem: ca.certPem,
      caKeyPem: ca.keyPem,
      subjectPublicKey: publicKeyPem,
      nodeId: request.nodeId,
      role: request.role,
      clusterId: request.clusterId,
      now: new Date(),
      expiryMs: Math.floor(request.expiryNs / 1e6),
    });
    const x509 = new X509Certificate(certPem);
    const data: EventData<'NodeCertificateIssued'> = {
      nodeId: request.nodeId,
      clusterId: request.clusterId,
      role: request.role,
      certPem,
      serial: x509.serialNumber,
      notAfter: new Date(x509.validTo).toISOString(),
      ...(sealedKey ? { sealedKey } : {}),
    };
    const event = toNewEvent({ type: 'NodeCertificateIssued', data }, serviceContext('ca-service', request.context));
    try {
      const result = await this.store.append(stream, [event], current.revision);
      return { certPem, position: result.position };
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError && !requested) return this.issue(request);
      throw error;
    }
  }

  /** The public key to certify: given, or taken from a CSR whose signature verifies. */
  private requestedKey(request: IssueNodeCertificateRequest): string | undefined {
    if (request.publicKeyPem) return request.publicKeyPem;
    if (!request.csrPem) return undefined;
    try {
      return parseCsr(request.csrPem).publicKeyPem;
    } catch {
      throw new DomainError(SwarmErrors.invalidParameter('rpc error: code = InvalidArgument desc = invalid certificate signing request'));
    }
  }

  private async loadCa(clusterId: string): Promise<{ certPem: string; keyPem: string }> {
    const stream = Streams.ca(clusterId);
    const { events } = await this.store.readStream(stream);
    const root = events.find((e) => e.type === 'RootCaCreated');
    if (!root) throw new DomainError(SwarmErrors.system(`no root CA for cluster ${clusterId}`));
    const data = root.data as EventData<'RootCaCreated'>;
    return { certPem: data.certPem, keyPem: openSecret(data.sealedKey, this.kek, stream) };
  }
}
