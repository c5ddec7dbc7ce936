import path from 'node:path';
import { HOSTNAME_PATTERN } from '#contracts';
import { engineListenPlan, type EngineListenPlan } from '#engine-http';

/**
 * `npm run agent -- --data <dir> [--socket <path> | --port <port> [--host 127.0.0.1]]
 * [--tlscacert <ca.pem> --tlscert <cert.pem> --tlskey <key.pem>] [--hostname <name>] [--join-timeout <seconds>]`.
 */
export interface AgentOptions {
  /**
   * Where the Engine API listens, as dockerd: the unix socket `<data>/docker.sock` by default
   * (or `--socket`); TCP with `--port` on `--host` (127.0.0.1 by default), which must be a loopback
   * address unless the three TLS files are given (client certificates are then required).
   */
  readonly listen: EngineListenPlan;
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

export const AGENT_USAGE =
  'usage: agent --data <dir> [--socket <path> | --port <port> [--host 127.0.0.1]] [--tlscacert <ca.pem> --tlscert <cert.pem> --tlskey <key.pem>] [--hostname <name>] [--join-timeout <seconds>]';

const FLAGS = ['--port', '--data', '--host', '--socket', '--tlscacert', '--tlscert', '--tlskey', '--hostname', '--join-timeout'] as const;
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
  const dataDir = values.get('--data');
  if (dataDir === undefined) throw new Error(AGENT_USAGE);
  const listen = listenPlanOf(values, dataDir);
  const timeoutText = values.get('--join-timeout');
  const joinTimeoutS = timeoutText === undefined ? DEFAULT_JOIN_TIMEOUT_MS / 1000 : Number(timeoutText);
  if (!Number.isFinite(joinTimeoutS) || joinTimeoutS < 0) throw new Error(`invalid --join-timeout ${timeoutText}\n${AGENT_USAGE}`);
  const hostname = values.get('--hostname');
  if (hostname !== undefined && !isHostname(hostname)) throw new Error(`invalid --hostname ${hostname}: a host name of dot-separated labels (letters, digits, '-', '_'), at most 253 characters\n${AGENT_USAGE}`);
  return { listen, dataDir, hostname, joinTimeoutMs: Math.round(joinTimeoutS * 1000) };
}

function listenPlanOf(values: Map<Flag, string>, dataDir: string): EngineListenPlan {
  const portText = values.get('--port');
  const socket = values.get('--socket');
  if (portText !== undefined && socket !== undefined) throw new Error(`--port and --socket exclude each other\n${AGENT_USAGE}`);
  if (portText === undefined && values.has('--host')) throw new Error(`--host needs --port\n${AGENT_USAGE}`);
  const port = Number(portText);
  if (portText !== undefined && (!Number.isInteger(port) || port <= 0 || port > 65535)) throw new Error(`invalid --port ${portText}\n${AGENT_USAGE}`);
  const host = values.get('--host') ?? '127.0.0.1';
  const addr = portText !== undefined ? `tcp://${host.includes(':') ? `[${host}]` : host}:${port}` : socket !== undefined ? `unix://${socket}` : undefined;
  try {
    return engineListenPlan({
      addr,
      defaultSocket: path.resolve(dataDir, 'docker.sock'),
      tls: { ca: values.get('--tlscacert'), cert: values.get('--tlscert'), key: values.get('--tlskey') },
      names: { addr: portText !== undefined ? '--host/--port' : '--socket', ca: '--tlscacert', cert: '--tlscert', key: '--tlskey' },
    });
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${AGENT_USAGE}`);
  }
}

function isFlag(name: string): name is Flag {
  return (FLAGS as readonly string[]).includes(name);
}

/** The name the manager will accept in the join's description (libs/contracts EngineDescriptionSchema). */
function isHostname(name: string): boolean {
  return name.length <= 253 && new RegExp(HOSTNAME_PATTERN).test(name);
}
