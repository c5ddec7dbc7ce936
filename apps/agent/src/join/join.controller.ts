import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { DomainError, SwarmErrors, type NodeAvailability } from '#contracts';
import { parseJoinToken } from '#domain';
import { parseJsonBody } from '#engine-http';
import { generateNodeKeyAndCsr } from '#platform';
import { HeartbeatService } from '../heartbeat/heartbeat.service.js';
import { IdentityStore } from '../identity/identity-store.js';
import { SwarmPortClient } from '../swarm-port-client/swarm-port-client.js';
import { localDescription } from '../system/local-engine.js';
import { checkCaFingerprint, remoteAddress } from './ca-fingerprint.js';

interface JoinBody {
  ListenAddr?: string;
  AdvertiseAddr?: string;
  RemoteAddrs?: string[] | null;
  JoinToken?: string;
  Availability?: string;
}

/**
 * `POST /swarm/join`: parse the token, fetch the root CA and check it against the token's digest
 * (before sending anything else), make a key and CSR, join over TLS verified against that CA,
 * keep the identity in the data dir.
 */
@Controller('swarm')
export class JoinController {
  constructor(
    @Inject(IdentityStore) private readonly identities: IdentityStore,
    @Inject(SwarmPortClient) private readonly port: SwarmPortClient,
    @Inject(HeartbeatService) private readonly heartbeat: HeartbeatService,
  ) {}

  @Post('join')
  @HttpCode(200)
  async join(@Body() raw: unknown): Promise<string> {
    if (this.identities.identity) throw new DomainError(SwarmErrors.alreadyInSwarm());
    const body = parseJsonBody<JoinBody>(raw);
    const remote = remoteAddress(body.RemoteAddrs);
    const token = body.JoinToken ?? '';
    const parsed = token === '' ? undefined : parseJoinToken(token);
    const caPem = await this.port.rootCa(remote);
    if (!parsed) throw new DomainError(SwarmErrors.joinTokenRejected());
    checkCaFingerprint(caPem, parsed.caDigestHex);
    const { keyPem, csrPem } = generateNodeKeyAndCsr();
    const reply = await this.port.join(
      remote,
      {
        token,
        csrPem,
        availability: availability(body.Availability),
        ...(body.AdvertiseAddr ? { advertiseAddr: body.AdvertiseAddr } : {}),
        description: localDescription(),
      },
      caPem,
    );
    const advertisedHost = body.AdvertiseAddr ? body.AdvertiseAddr.replace(/:\d+$/, '') : undefined;
    this.identities.save({
      nodeId: reply.nodeId,
      clusterId: reply.clusterId,
      role: reply.role,
      nodeAddr: advertisedHost && /^[\d.]+$/.test(advertisedHost) ? advertisedHost : reply.nodeAddr,
      remoteAddr: remote,
      managers: reply.managers,
      heartbeatPeriodMs: reply.heartbeatPeriodMs,
      keyPem,
      certPem: reply.certPem,
      caPem,
    });
    this.heartbeat.start();
    return '';
  }
}

function availability(text: string | undefined): NodeAvailability {
  const value = (text ?? '').toLowerCase();
  if (value === '' || value === 'active') return 'active';
  if (value === 'pause' || value === 'drain') return value;
  throw new DomainError(SwarmErrors.invalidParameter(`invalid Availability: "${text}"`));
}
