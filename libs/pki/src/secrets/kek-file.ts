import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PkiError } from '../pki-error.js';

const KEK_HEX = /^[0-9a-fA-F]{64}$/;
const GROUP_OTHER_BITS = 0o077;

/**
 * The key-encryption key kept as 64 hex characters (one trailing newline tolerated) in a file
 * readable by its owner only. A missing file is created (parents too) with a fresh random key.
 * Hazard: losing the file makes every sealed secret unreadable.
 */
export function loadOrCreateKek(path: string): Buffer {
  const created = createIfAbsent(path);
  return created ?? readKek(path);
}

function createIfAbsent(path: string): Buffer | undefined {
  const kek = randomBytes(32);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    // 'wx' fails when the file exists, so two processes racing cannot both create a key.
    writeFileSync(path, kek.toString('hex'), { flag: 'wx', mode: 0o600 });
    return kek;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  }
}

function readKek(path: string): Buffer {
  const permissions = statSync(path).mode & 0o777;
  if (process.platform !== 'win32' && (permissions & GROUP_OTHER_BITS) !== 0) {
    const octal = permissions.toString(8).padStart(4, '0');
    throw new PkiError('KekFileInvalid', `KEK file ${path} has mode ${octal}; run chmod 600 on it`);
  }
  const text = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  if (!KEK_HEX.test(text)) {
    throw new PkiError('KekFileInvalid', `KEK file ${path} must hold exactly 64 hex characters (a 32-byte key)`);
  }
  return Buffer.from(text, 'hex');
}
