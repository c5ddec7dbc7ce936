import os from 'node:os';
import { Controller, Get, Head, Header, Inject, Res } from '@nestjs/common';
import { API_VERSION, ENGINE_VERSION, GIT_COMMIT, MIN_API_VERSION } from '#engine-http';
import type { FastifyReply } from 'fastify';
import { IdentityStore } from '../identity/identity-store.js';
import { ManagerForwarder } from '../manager-api/manager-forwarder.js';
import { localDescription } from './local-engine.js';

/** `/_ping`, `/version`, `/info` of a machine that joined (or may join) a swarm. */
@Controller()
export class SystemController {
  constructor(
    @Inject(IdentityStore) private readonly identities: IdentityStore,
    @Inject(ManagerForwarder) private readonly manager: ManagerForwarder,
  ) {}

  @Get('_ping')
  ping(@Res() reply: FastifyReply): void {
    this.pingHeaders(reply).header('Content-Type', 'text/plain; charset=utf-8').send('OK');
  }

  @Head('_ping')
  pingHead(@Res() reply: FastifyReply): void {
    this.pingHeaders(reply).header('Content-Type', 'text/plain; charset=utf-8').header('Content-Length', '0').send();
  }

  @Get('version')
  @Header('Content-Type', 'application/json')
  version(): Record<string, unknown> {
    const arch = os.arch() === 'x64' ? 'amd64' : os.arch();
    return {
      Platform: { Name: 'swarmplane agent' },
      Components: [{ Name: 'Engine', Version: ENGINE_VERSION, Details: { ApiVersion: API_VERSION, MinAPIVersion: MIN_API_VERSION, GitCommit: GIT_COMMIT, Os: 'linux', Arch: arch } }],
      Version: ENGINE_VERSION,
      ApiVersion: API_VERSION,
      MinAPIVersion: MIN_API_VERSION,
      GitCommit: GIT_COMMIT,
      GoVersion: `node${process.versions.node}`,
      Os: 'linux',
      Arch: arch,
      KernelVersion: os.release(),
    };
  }

  @Get('info')
  @Header('Content-Type', 'application/json')
  async info(): Promise<Record<string, unknown>> {
    const engine = localDescription();
    return {
      ID: '',
      Containers: 0,
      ContainersRunning: 0,
      ContainersPaused: 0,
      ContainersStopped: 0,
      Images: 0,
      Driver: '',
      Plugins: { Volume: [], Network: ['overlay'], Authorization: null, Log: [] },
      KernelVersion: os.release(),
      OperatingSystem: os.version(),
      OSType: 'linux',
      Architecture: engine.architecture,
      NCPU: engine.nanoCpus / 1e9,
      MemTotal: engine.memoryBytes,
      Name: engine.hostname,
      ServerVersion: ENGINE_VERSION,
      Swarm: await this.swarmInfo(),
      SecurityOptions: [],
      Warnings: null,
    };
  }

  private async swarmInfo(): Promise<Record<string, unknown>> {
    const identity = this.identities.identity;
    if (!identity) return { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null };
    const base = { NodeID: identity.nodeId, NodeAddr: identity.nodeAddr, LocalNodeState: 'active', ControlAvailable: identity.role === 'manager', Error: '', RemoteManagers: identity.managers };
    if (identity.role !== 'manager') return base;
    const cluster = await this.manager.clusterInfo().catch(() => undefined);
    return cluster ? { ...base, Nodes: cluster.Nodes, Managers: cluster.Managers, Cluster: cluster.Cluster } : base;
  }

  private pingHeaders(reply: FastifyReply): FastifyReply {
    const identity = this.identities.identity;
    return reply
      .header('Cache-Control', 'no-cache, no-store, must-revalidate')
      .header('Pragma', 'no-cache')
      .header('Swarm', identity ? `active/${identity.role}` : 'inactive');
  }
}
