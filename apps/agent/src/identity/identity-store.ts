import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type { NodeRole, RemoteManager } from '#contracts';
import { AGENT_OPTIONS, type AgentOptions } from '../agent-options.js';

/** What a joined node keeps: who it is, where its managers are, and its key material. */
export interface NodeIdentity {
  readonly nodeId: string;
  readonly clusterId: string;
  readonly role: NodeRole;
  readonly nodeAddr: string;
  /** host:port of the manager it joined through. */
  readonly remoteAddr: string;
  readonly managers: readonly RemoteManager[];
  readonly heartbeatPeriodMs: number;
  readonly keyPem: string;
  readonly certPem: string;
  readonly caPem: string;
}

const STATE = 'node.json';
const FILES = { keyPem: 'swarm-node.key', certPem: 'swarm-node.crt', caPem: 'swarm-root-ca.crt' } as const;

/** The identity in the data dir: files 0600 in a 0700 directory; survives a restart of the agent. */
@Injectable()
export class IdentityStore {
  private current: NodeIdentity | undefined;

  constructor(@Inject(AGENT_OPTIONS) private readonly options: AgentOptions) {
    this.current = this.load();
  }

  get identity(): NodeIdentity | undefined {
    return this.current;
  }

  save(identity: NodeIdentity): void {
    const dir = this.options.dataDir;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    const { keyPem, certPem, caPem, ...state } = identity;
    const write = (file: string, text: string): void => writeFileSync(path.join(dir, file), text, { mode: 0o600 });
    write(FILES.keyPem, keyPem);
    write(FILES.certPem, certPem);
    write(FILES.caPem, caPem);
    write(STATE, `${JSON.stringify(state, null, 2)}\n`);
    this.current = identity;
  }

  clear(): void {
    for (const file of [STATE, ...Object.values(FILES)]) rmSync(path.join(this.options.dataDir, file), { force: true });
    this.current = undefined;
  }

  private load(): NodeIdentity | undefined {
    const dir = this.options.dataDir;
    if (!existsSync(path.join(dir, STATE))) return undefined;
    const state = JSON.parse(readFileSync(path.join(dir, STATE), 'utf8')) as Omit<NodeIdentity, keyof typeof FILES>;
    const read = (file: string): string => readFileSync(path.join(dir, file), 'utf8');
    return { ...state, keyPem: read(FILES.keyPem), certPem: read(FILES.certPem), caPem: read(FILES.caPem) };
  }
}
