/** `npm run agent -- --port <port> --data <dir> [--host 127.0.0.1] [--hostname name]`. */
export interface AgentOptions {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** The hostname this engine reports (default: the machine's). */
  readonly hostname: string | undefined;
}

export const AGENT_OPTIONS = Symbol('AGENT_OPTIONS');

export function parseAgentArgs(argv: readonly string[]): AgentOptions {
  const value = (flag: string): string | undefined => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const port = Number(value('--port') ?? '2376');
  const dataDir = value('--data');
  if (!dataDir) throw new Error('usage: agent --port <port> --data <dir> [--host 127.0.0.1] [--hostname name]');
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`invalid --port ${value('--port')}`);
  return { host: value('--host') ?? '127.0.0.1', port, dataDir, hostname: value('--hostname') };
}
