import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DomainError, Streams } from '#contracts';
import { STATUS_BY_KIND } from '#engine-http';
import { openSecret } from '#pki';
import { KEK, KekHolder } from '#service-host';
import { ReadModelService } from '../read-model/read-model.service.js';
import { listenError, swarmPortBindAddress } from './bind-address.js';
import { SwarmPortRoutes } from './swarm-port.routes.js';

/** What a caller reads when the port fails for a reason that is not theirs (the cause is in the log). */
const INTERNAL_ERROR = 'internal error on the swarm port; the manager logged the cause';

/**
 * The manager's swarm port: bound before an init is accepted (a port in use fails the init, as in
 * the Engine), served with the manager's certificate once the swarm is active, closed on leave.
 * Client certificates are requested and verified against the root CA, but optional: joins have none.
 */
@Injectable()
export class SwarmPortServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SwarmPort');
  private server: https.Server | undefined;
  private listenAddr: string | undefined;
  private binding: Promise<void> | undefined;
  private servedCert: string | undefined;

  constructor(
    @Inject(ReadModelService) private readonly readModel: ReadModelService,
    @Inject(SwarmPortRoutes) private readonly routes: SwarmPortRoutes,
    @Inject(KEK) private readonly kek: KekHolder,
  ) {}

  onApplicationBootstrap(): void {
    this.readModel.onEvent(() => void this.sync());
    // A locked manager serves no swarm port (its key is sealed), as a locked Engine runs no manager.
    this.kek.onUnlock(() => void this.sync());
    void this.sync();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  /** Binds `listenAddr` (idempotent for the same address); Docker's error when it cannot. */
  async reserve(listenAddr: string): Promise<void> {
    if (this.listenAddr === listenAddr && this.binding) return this.binding;
    await this.close();
    const server = https.createServer({ requestCert: true, rejectUnauthorized: false }, (req, res) => void this.handle(req, res));
    const { host, port } = swarmPortBindAddress(listenAddr);
    this.server = server;
    this.listenAddr = listenAddr;
    this.binding = new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(listenAddr, error)));
      server.listen(port, host, () => resolve());
    });
    try {
      await this.binding;
    } catch (error) {
      this.server = undefined;
      this.listenAddr = undefined;
      this.binding = undefined;
      throw error;
    }
  }

  private async sync(): Promise<void> {
    const model = this.readModel.model;
    const init = model.membership;
    if (!init) {
      if (this.servedCert) await this.close();
      return;
    }
    if (!model.active || this.kek.locked) return;
    try {
      await this.reserve(init.listenAddr);
    } catch (error) {
      this.logger.error(`swarm port: ${(error as Error).message}`);
      return;
    }
    const issued = model.nodeCertificates.get(init.nodeId);
    const ca = model.cas.get(init.clusterId);
    if (!issued?.sealedKey || !ca) return;
    // During a root rotation nodes hold certificates of either root: both verify.
    const trusted = ca.rotation ? [ca.certPem, ca.rotation.root.certPem] : [ca.certPem];
    const served = `${issued.certPem}${trusted.join('')}`;
    if (this.servedCert === served) return;
    const key = openSecret(issued.sealedKey, this.kek.current(), Streams.nodeCertificate(init.nodeId));
    // A renewed certificate or another trust root is served from the next handshake on, without a restart.
    this.server?.setSecureContext({ key, cert: issued.certPem, ca: trusted });
    this.servedCert = served;
  }

  /** Gives the port back after an init that failed (nothing written, or written and compensated). */
  async release(listenAddr: string): Promise<void> {
    // Not `membership`: a failed init may be compensated (SwarmInitAbandoned) after the read model
    // was last fed; the port serves nothing until the swarm is active, and sync() binds it again then.
    if (this.listenAddr === listenAddr && !this.readModel.model.active) await this.close();
  }

  private async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.listenAddr = undefined;
    this.binding = undefined;
    this.servedCert = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const reply = await this.routes.handle(req, req.socket as TLSSocket);
      if (typeof reply === 'function') return await reply(res);
      res.writeHead(reply.status, { 'Content-Type': reply.contentType });
      res.end(reply.body);
    } catch (error) {
      // Domain errors carry texts meant for the caller; anything else is our fault: logged, never shown.
      const known = error instanceof DomainError;
      if (!known) this.logger.error(`${req.method} ${req.url}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(known ? STATUS_BY_KIND[error.kind] : 500, { 'Content-Type': 'application/json' });
      res.end(`${JSON.stringify({ message: known ? error.message : INTERNAL_ERROR })}\n`);
    }
  }
}
