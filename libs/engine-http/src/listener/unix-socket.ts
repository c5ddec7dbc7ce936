import { chmodSync, chownSync, lstatSync, mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { EngineListenError } from './listen-plan.js';

/** dockerd's socket mode: the owner and the `docker` group may connect, nobody else. */
export const SOCKET_MODE = 0o660;
export const SOCKET_GROUP = 'docker';

/**
 * Makes `socketPath` free to listen on: a socket file left by a process that died is removed; a
 * socket another live process answers on is not touched (that process is refused, not robbed); a
 * file that is not a socket is never removed.
 */
export async function claimSocketPath(socketPath: string): Promise<void> {
  mkdirSync(path.dirname(socketPath), { recursive: true, mode: 0o700 });
  let isSocket: boolean;
  try {
    isSocket = lstatSync(socketPath).isSocket();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (!isSocket) throw new EngineListenError(`${socketPath} exists and is not a socket: refusing to replace it`);
  if (await answers(socketPath)) throw new EngineListenError(`${socketPath} is served by another running process: stop it first or choose another socket`);
  unlinkSync(socketPath);
}

/**
 * Mode 0660, owner the running user, group `docker` when that group exists (else the user's own
 * group), as dockerd does. Returns the warnings to log (dockerd's text when there is no such group).
 */
export function secureSocket(socketPath: string): string[] {
  chmodSync(socketPath, SOCKET_MODE);
  const gid = groupId(SOCKET_GROUP);
  if (gid === undefined) return [`could not change group ${socketPath} to ${SOCKET_GROUP}: group ${SOCKET_GROUP} not found`];
  try {
    chownSync(socketPath, process.getuid?.() ?? -1, gid);
    return [];
  } catch (error) {
    return [`could not change group ${socketPath} to ${SOCKET_GROUP}: ${(error as Error).message}`];
  }
}

/** The gid of a group named in /etc/group (Node has no getgrnam). */
export function groupId(name: string, groupFile = '/etc/group'): number | undefined {
  let text: string;
  try {
    text = readFileSync(groupFile, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const [group, , gid] = line.split(':');
    if (group === name && gid !== undefined && /^\d+$/.test(gid)) return Number(gid);
  }
  return undefined;
}

function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ path: socketPath });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
