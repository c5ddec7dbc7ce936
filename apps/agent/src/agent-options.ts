import { HOSTNAME_PATTERN } from '#contracts';
/** `npm run agent -- --port <port> --data <dir> [--host 127.0.0.1] [--hostname <name>] [--join-timeout <seconds>]`. */
export interface AgentOptions {
  /** Where the Engine API listens (default 127.0.0.1). */
  readonly host: string;
  readonly port: number;
  /** Holds the node's identity: key, certificate, root CA, state (created 0700). */
  readonly dataDir: string;
  /** The hostname this engine reports and joins with (default: the machine's). */
  readonly hostname: string | undefined;
  /** How long a join keeps dialling a manager that does not answer (Docker: about 10 s). */
  readonly joinTimeoutMs: number;
}

/** The Engine gives up a join on an unreachable manager after about 10 s (measured: 10.03 s). */
export const DEFAULT_JOIN_TIMEOUT_MS = 10_000;

export const AGENT_OPTIONS = Symbol('AGENT_OPTIONS');

export const AGENT_USAGE = 'usage: agent --port <port> --data <dir> [--host 127.0.0.1] [--hostname <name>] [--join-timeout <seconds>]';

const FLAGS = ['--port', '--data', '--host', '--hostname', '--join-timeout'] as const;
type Flag = (typeof FLAGS)[number];

/** Reads `--flag value` and `--flag=value`; anything else is an error naming the usage. */
export function parseAgentArgs(argv: readonly string[]): AgentOptions {
  const values = new Map<Flag, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!isFlag(name)) throw new Error(`unknown argument ${arg}\n${AGENT_USAGE}`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new Error(`${name} needs a value\n${AGENT_USAGE}`);
    values.set(name, value);
  }
  const portText = values.get('--port');
  const dataDir = values.get('--data');
  if (portText === undefined || dataDir === undefined) throw new Error(AGENT_USAGE);
  const port = Number(portText);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`invalid --port ${portText}\n${AGENT_USAGE}`);
  const timeoutText = values.get('--join-timeout');
  const joinTimeoutS = timeoutText === undefined ? DEFAULT_JOIN_TIMEOUT_MS / 1000 : Number(timeoutText);
  if (!Number.isFinite(joinTimeoutS) || joinTimeoutS < 0) throw new Error(`invalid --join-timeout ${timeoutText}\n${AGENT_USAGE}`);
  const hostname = values.get('--hostname');
  if (hostname !== undefined && !isHostname(hostname)) throw new Error(`invalid --hostname ${hostname}: a host name of dot-separated labels (letters, digits, '-', '_'), at most 253 characters\n${AGENT_USAGE}`);
  return { host: values.get('--host') ?? '127.0.0.1', port, dataDir, hostname, joinTimeoutMs: Math.round(joinTimeoutS * 1000) };
}

function isFlag(name: string): name is Flag {
  return (FLAGS as readonly string[]).includes(name);
}

/** The name the manager will accept in the join's description (libs/contracts EngineDescriptionSchema). */
function isHostname(name: string): boolean {
  return name.length <= 253 && new RegExp(HOSTNAME_PATTERN).test(name);
}
