import type { EngineDescription } from '#contracts';
import { engineDescription } from '#engine-http';

let hostnameOverride: string | undefined;

/** `--hostname` lets several agents on one machine report different names. */
export function setHostname(hostname: string | undefined): void {
  hostnameOverride = hostname;
}

export function localDescription(): EngineDescription {
  const machine = engineDescription();
  return hostnameOverride ? { ...machine, hostname: hostnameOverride } : machine;
}
