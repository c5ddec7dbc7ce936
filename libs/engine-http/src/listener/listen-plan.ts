import { isIP } from 'node:net';
import path from 'node:path';

/**
 * Where an Engine API (the gateway's or an agent's) listens, dockerd's model: a unix socket by
 * default; TCP on a loopback address when asked (with dockerd's warning); TCP on any other address
 * only with TLS that requires and verifies client certificates (`--tlsverify`).
 */
export type EngineListenPlan =
  | { readonly kind: 'unix'; readonly path: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number; readonly tls: EngineTlsFiles | undefined };

/** PEM files of `--tlsverify`: the CA client certificates must chain to, the server's cert and key. */
export interface EngineTlsFiles {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

export interface EngineListenInput {
  /** `unix:///path`, `tcp://host:port`, `host:port` or `[v6]:port`; undefined: `defaultSocket`. */
  readonly addr: string | undefined;
  readonly defaultSocket: string;
  readonly tls: Partial<EngineTlsFiles>;
  /** How the settings are named in errors, e.g. `{ addr: 'GATEWAY_ADDR', ca: 'GATEWAY_TLS_CA', ... }`. */
  readonly names: { readonly addr: string; /** A setting naming a folder of the three files, if there is one. */ readonly dir?: string } & Record<keyof EngineTlsFiles, string>;
}

/** A configuration the Engine API refuses to start with; the message says what to change. */
export class EngineListenError extends Error {}

/** Unix sockets name at most 107 bytes on Linux (sun_path). */
const MAX_SOCKET_PATH = 107;

export function engineListenPlan(input: EngineListenInput): EngineListenPlan {
  const { names } = input;
  const tls = tlsFiles(input.tls, names);
  const addr = input.addr?.trim() || `unix://${input.defaultSocket}`;
  if (addr.startsWith('unix://')) {
    if (tls) throw new EngineListenError(`${names.addr}=${addr}: TLS (${names.ca}, ${names.cert}, ${names.key}) applies to a TCP address, not to a unix socket`);
    const socketPath = path.resolve(addr.slice('unix://'.length));
    if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) throw new EngineListenError(`${names.addr}: the socket path ${socketPath} is longer than ${MAX_SOCKET_PATH} bytes, the most a unix socket can have`);
    return { kind: 'unix', path: socketPath };
  }
  const { host, port } = parseHostPort(addr.replace(/^tcp:\/\//, ''), names.addr);
  if (!tls && !isLoopback(host)) {
    throw new EngineListenError(
      `${names.addr}=${addr}: refusing to serve the Engine API without TLS on ${host}, which is not a loopback address: ` +
        `anyone who reaches it would control the swarm. Give ${names.dir ? `${names.dir} (a folder with ca.pem, cert.pem, key.pem) or ` : ''}${names.ca}, ${names.cert} and ${names.key} ` +
        `(client certificates are then required, as dockerd's --tlsverify; \`npm run certs\` makes them), ` +
        `or listen on a unix socket (the default) or on 127.0.0.1.`,
    );
  }
  return { kind: 'tcp', host, port, tls };
}

/** What dockerd logs for a TCP listener without `--tlsverify` (moby cmd/dockerd loadListeners), with its `host` field. */
export function plainTcpWarnings(plan: EngineListenPlan): string[] {
  if (plan.kind !== 'tcp' || plan.tls) return [];
  const host = `host="${engineUrl(plan)}"`;
  return [
    `Binding to IP address without --tlsverify is insecure and gives root access on this machine to everyone who has access to your network.  ${host}`,
    `Binding to an IP address, even on localhost, can also give access to scripts run in a browser. Be safe out there!  ${host}`,
  ];
}

/** The DOCKER_HOST value that reaches this listener: `unix:///abs/path` or `tcp://host:port`. */
export function engineUrl(plan: EngineListenPlan): string {
  if (plan.kind === 'unix') return `unix://${plan.path}`;
  return `tcp://${plan.host.includes(':') ? `[${plan.host}]` : plan.host}:${plan.port}`;
}

/** Loopback: 127.0.0.0/8, ::1, and the name `localhost` (dockerd takes it as loopback without a lookup). */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return /^(0{0,4}:){2,7}0{0,3}1$/.test(host) || host === '::1';
  return false;
}

function parseHostPort(text: string, name: string): { host: string; port: number } {
  const match = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(text) ?? /^([^:/\s]*):(\d+)$/.exec(text);
  const port = Number(match?.[2]);
  if (!match || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new EngineListenError(`${name}=${text}: expected unix:///path, host:port or tcp://host:port`);
  }
  return { host: match[1] === '' ? '0.0.0.0' : (match[1] ?? ''), port };
}

function tlsFiles(given: Partial<EngineTlsFiles>, names: EngineListenInput['names']): EngineTlsFiles | undefined {
  const keys = ['ca', 'cert', 'key'] as const;
  const set = keys.filter((k) => given[k]);
  if (set.length === 0) return undefined;
  if (set.length < keys.length) {
    const missing = keys.filter((k) => !given[k]).map((k) => names[k]);
    throw new EngineListenError(`TLS for the Engine API needs all of ${names.ca}, ${names.cert} and ${names.key}; missing: ${missing.join(', ')}`);
  }
  return { ca: path.resolve(given.ca ?? ''), cert: path.resolve(given.cert ?? ''), key: path.resolve(given.key ?? '') };
}
