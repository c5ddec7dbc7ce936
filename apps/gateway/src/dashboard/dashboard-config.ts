import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';

/** Where the dashboard listens; `undefined` when `DASHBOARD_ADDR` is `off`. */
export interface DashboardAddress {
  readonly host: string;
  readonly port: number;
}

const LOOPBACK_HOSTS = new Set(['localhost', '::1', '[::1]']);

function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || (isIP(host) === 4 && host.startsWith('127.'));
}

/**
 * `DASHBOARD_ADDR` (default 127.0.0.1:2380; `off` disables it). The page shows the whole swarm, so
 * it is served on loopback only: another address would need TLS, which the dashboard does not
 * have, and is refused rather than served in clear.
 */
export function parseDashboardAddr(raw: string | undefined): DashboardAddress | undefined {
  const value = (raw ?? '127.0.0.1:2380').trim();
  if (value === 'off') return undefined;
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (!match || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`DASHBOARD_ADDR ${JSON.stringify(value)}: expected host:port, e.g. 127.0.0.1:2380, or off`);
  }
  const host = match[1]!;
  if (!isLoopback(host)) {
    throw new Error(
      `DASHBOARD_ADDR ${JSON.stringify(value)}: the dashboard listens on a loopback address only (127.0.0.1, ::1, localhost); ` +
        'serving it on another address needs TLS, which it does not have (use an SSH tunnel to reach it from elsewhere)',
    );
  }
  return { host: host.replace(/^\[|\]$/g, ''), port };
}

/**
 * The access token in `file` (32 random bytes, hex, mode 0600), made on first use. `npm start`
 * makes it before the gateway starts so that it can print the URL; 'wx' settles a race between
 * two processes making it at once.
 */
export function loadOrCreateDashboardToken(file: string): string {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const token = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(token)) throw new Error(`${file}: expected 64 hexadecimal characters (the dashboard's access token)`);
  return token;
}

/** The token file: `DASHBOARD_TOKEN_FILE`, else `dashboard-token` beside the key-encryption key file. */
export function dashboardTokenFile(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DASHBOARD_TOKEN_FILE) return env.DASHBOARD_TOKEN_FILE;
  return path.join(path.dirname(env.SWARM_KEK_FILE ?? path.join('data', 'kek')), 'dashboard-token');
}

/** Compares in constant time (both sides hashed first, so their lengths never leak either). */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(expected), digest(given));
}
