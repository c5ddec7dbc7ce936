import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, SwarmErrors, type NodeRole, type RemoteManager } from '#contracts';
import { AGENT_OPTIONS, type AgentOptions } from '../agent-options.js';
import type { NodeCredentials } from '../swarm-port-client/swarm-port-client.js';
import { ensurePrivateDir, writePrivateFileAtomic } from './atomic-file.js';
import { certificateFacts } from './certificate-facts.js';
import { parseNodeState, sameManagers, type NodeState } from './node-state.js';

/** A joined node: who it is, where its managers are, its key material. */
export interface NodeIdentity extends NodeCredentials {
  readonly nodeId: string;
  readonly clusterId: string;
  /** The role of its current certificate (OU): what the control plane lets it do. */
  readonly role: NodeRole;
  readonly nodeAddr: string;
  readonly managers: readonly RemoteManager[];
  readonly heartbeatPeriodMs: number;
}

/** `docker info`'s LocalNodeState as far as this agent knows it. */
export type LocalNodeState = 'inactive' | 'pending' | 'active';

const STATE_FILE = 'swarm-state.json';
const CA_FILE = 'swarm-root-ca.crt';
const KEY_CERT = /^swarm-node-(\d+)\.(key|crt)$/;
const keyFile = (generation: number): string => `swarm-node-${generation}.key`;
const certFile = (generation: number): string => `swarm-node-${generation}.crt`;

/**
 * The identity in the data dir (0700; files 0600). The state file is written last and names the
 * key/certificate generation, so a crash mid-write leaves the previous consistent identity.
 */
@Injectable()
export class IdentityStore {
  private readonly dir: string;
  private current: NodeIdentity | undefined;
  private generation = 0;
  private joining = false;

  constructor(@Inject(AGENT_OPTIONS) options: AgentOptions) {
    this.dir = options.dataDir;
    ensurePrivateDir(this.dir);
    this.load();
  }

  get identity(): NodeIdentity | undefined {
    return this.current;
  }

  get localNodeState(): LocalNodeState {
    return this.current ? 'active' : this.joining ? 'pending' : 'inactive';
  }

  /** One join at a time, and none once joined (the Engine's "already part of a swarm"). */
  beginJoin(): void {
    if (this.current || this.joining) throw new DomainError(SwarmErrors.alreadyInSwarm());
    this.joining = true;
  }

  endJoin(): void {
    this.joining = false;
  }

  saveJoined(identity: NodeIdentity): void {
    ensurePrivateDir(this.dir);
    writePrivateFileAtomic(path.join(this.dir, CA_FILE), identity.caPem);
    this.writeGeneration(identity, this.generation + 1);
  }

  /** A renewed certificate (and its new key), unless the node left or rejoined meanwhile. */
  replaceCertificate(nodeId: string, keyPem: string, certPem: string): NodeIdentity | undefined {
    const current = this.current;
    if (current?.nodeId !== nodeId) return undefined;
    this.writeGeneration({ ...current, keyPem, certPem }, this.generation + 1);
    this.removeKeyFilesExcept(this.generation);
    return this.current;
  }

  /**
   * The roots the last heartbeat named: the swarm's trust root (written to the data dir when a
   * root rotation ended) and the one a rotation under way wants (kept in memory). Returns whether
   * the trust root changed.
   */
  recordRoots(nodeId: string, caPem: string, pendingRootPem: string | undefined): boolean {
    const current = this.current;
    if (current?.nodeId !== nodeId) return false;
    const changed = current.caPem !== caPem;
    if (changed) writePrivateFileAtomic(path.join(this.dir, CA_FILE), caPem);
    if (changed || current.pendingRootPem !== pendingRootPem) this.current = { ...current, caPem, pendingRootPem };
    return changed;
  }

  /** What the last heartbeat said about the managers; written only when it changed. */
  recordHeartbeat(nodeId: string, managers: readonly RemoteManager[], heartbeatPeriodMs: number): void {
    const current = this.current;
    if (current?.nodeId !== nodeId) return;
    if (sameManagers(current.managers, managers) && current.heartbeatPeriodMs === heartbeatPeriodMs) return;
    this.writeGeneration({ ...current, managers, heartbeatPeriodMs }, this.generation);
  }

  /** Forgets the identity: the state file first, so that a crash midway leaves no half identity. */
  clear(): void {
    rmSync(path.join(this.dir, STATE_FILE), { force: true });
    rmSync(path.join(this.dir, CA_FILE), { force: true });
    this.removeKeyFilesExcept(Number.MAX_SAFE_INTEGER);
    this.current = undefined;
    this.generation = 0;
  }

  private writeGeneration(identity: NodeIdentity, generation: number): void {
    if (generation !== this.generation) {
      writePrivateFileAtomic(path.join(this.dir, keyFile(generation)), identity.keyPem);
      writePrivateFileAtomic(path.join(this.dir, certFile(generation)), identity.certPem);
    }
    const role = certificateFacts(identity.certPem).role ?? identity.role;
    const state: NodeState = {
      version: 1,
      nodeId: identity.nodeId,
      clusterId: identity.clusterId,
      role,
      nodeAddr: identity.nodeAddr,
      remoteAddr: identity.remoteAddr,
      managers: identity.managers,
      heartbeatPeriodMs: identity.heartbeatPeriodMs,
      certGeneration: generation,
    };
    writePrivateFileAtomic(path.join(this.dir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
    this.current = { ...identity, role };
    this.generation = generation;
  }

  private load(): void {
    const stateFile = path.join(this.dir, STATE_FILE);
    if (!existsSync(stateFile)) {
      rmSync(path.join(this.dir, CA_FILE), { force: true });
      this.removeKeyFilesExcept(Number.MAX_SAFE_INTEGER);
      return;
    }
    try {
      const { certGeneration, version, ...state } = parseNodeState(JSON.parse(readFileSync(stateFile, 'utf8')));
      void version;
      const read = (file: string): string => readFileSync(path.join(this.dir, file), 'utf8');
      const certPem = read(certFile(certGeneration));
      const role = certificateFacts(certPem).role ?? state.role;
      this.current = { ...state, role, caPem: read(CA_FILE), keyPem: read(keyFile(certGeneration)), certPem };
      this.generation = certGeneration;
    } catch (error) {
      throw new Error(`the node identity in ${this.dir} cannot be read (${(error as Error).message}); move the data dir away to start as a new node`);
    }
    this.removeKeyFilesExcept(this.generation);
  }

  /** Key/certificate files of other generations (older ones, or newer orphans of a crash before the state was written) and temporaries. */
  private removeKeyFilesExcept(keep: number): void {
    for (const file of readdirSync(this.dir)) {
      const match = KEY_CERT.exec(file);
      const stale = match ? Number(match[1]) !== keep : file.endsWith('.tmp');
      if (stale) rmSync(path.join(this.dir, file), { force: true });
    }
  }
}
