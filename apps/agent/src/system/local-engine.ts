import path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type { EngineDescription } from '#contracts';
import { engineDescription, engineIdOf } from '#engine-http';
import { AGENT_OPTIONS, type AgentOptions } from '../agent-options.js';

/** This machine as the agent reports it; `--hostname` lets several agents on one machine differ. */
@Injectable()
export class LocalEngine {
  readonly description: EngineDescription;
  /** Docker's engine ID format (12 groups of 4 base32 characters), stable per hostname and data dir. */
  readonly engineId: string;

  constructor(@Inject(AGENT_OPTIONS) options: AgentOptions) {
    const machine = engineDescription();
    this.description = options.hostname ? { ...machine, hostname: options.hostname } : machine;
    this.engineId = engineIdOf(`swarmplane-agent:${this.description.hostname}:${path.resolve(options.dataDir)}`);
  }
}
