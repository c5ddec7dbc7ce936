import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SealedSecret } from '#contracts';
import { PkiError, isPkiError } from '../pki-error.js';
import { openSecret, sealSecret } from './seal.js';
import { parseUnlockKey, unlockWrappingKey } from './unlock-key.js';

const KEK_HEX = /^[0-9a-fA-F]{64}$/;
const GROUP_OTHER_BITS = 0o077;

/**
 * The key-encryption key kept as 64 hex characters (one trailing newline tolerated) in a file
 * readable by its owner only. A missing file is created (parents too) with a fresh random key.
 * Hazard: losing the file makes every sealed secret unreadable.
 */
export function loadOrCreateKek(path: string): Buffer {
  const content = loadOrCreateKekFile(path);
  if (content.sealed) throw new PkiError('KekLocked', `KEK file ${path} is sealed under the swarm's unlock key (autolock): unlock the swarm first`);
  return content.kek;
}

/** A KEK file's content: the key itself, or (autolock) the key sealed under the manager unlock key. */
export type KekFileContent = { readonly sealed: false; readonly kek: Buffer } | { readonly sealed: true; readonly sealedKek: SealedSecret };

/** The AAD of a sealed KEK: a sealed value from elsewhere cannot stand in for the file's. */
const KEK_FILE_AAD = 'swarmplane/kek-file';

/** As loadOrCreateKek, but a sealed file is returned sealed instead of refused. */
export function loadOrCreateKekFile(path: string): KekFileContent {
  const created = createIfAbsent(path);
  return created ? { sealed: false, kek: created } : readKekFile(path);
}

/**
 * The KEK of a sealed file, opened with the unlock key (`SWMKEY-1-...`). Throws `UnlockKeyMalformed`
 * for a key that does not parse, `UnlockKeyWrong` for one that does not open the seal.
 */
export function openSealedKek(sealedKek: SealedSecret, unlockKey: string): Buffer {
  const wrapping = unlockWrappingKey(parseUnlockKey(unlockKey));
  try {
    const hex = openSecret(sealedKek, wrapping, KEK_FILE_AAD);
    if (!KEK_HEX.test(hex)) throw new PkiError('KekFileInvalid', 'the sealed KEK is not 64 hex characters');
    return Buffer.from(hex, 'hex');
  } catch (error) {
    if (isPkiError(error, 'SecretUnsealFailed')) throw new PkiError('UnlockKeyWrong', 'swarm could not be unlocked: invalid key provided');
    throw error;
  }
}

/**
 * Replaces the KEK file: sealed under `unlockKey` when given (autolock on), else the key in hex.
 * Written to a temporary file (0600) and renamed over the old one, so a reader sees either version whole.
 */
export function writeKekFile(path: string, kek: Buffer, unlockKey?: string): void {
  const text = unlockKey === undefined
    ? kek.toString('hex')
    : `${JSON.stringify({ sealedKek: sealSecret(kek.toString('hex'), unlockWrappingKey(parseUnlockKey(unlockKey)), KEK_FILE_AAD) })}\n`;
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, text, { flag: 'wx', mode: 0o600 });
  renameSync(temporary, path);
}

function readKekFile(path: string): KekFileContent {
  const text = readOwnerOnly(path);
  if (text.startsWith('{')) return { sealed: true, sealedKek: parseSealedKek(path, text) };
  if (!KEK_HEX.test(text)) {
    throw new PkiError('KekFileInvalid', `KEK file ${path} must hold exactly 64 hex characters (a 32-byte key)`);
  }
  return { sealed: false, kek: Buffer.from(text, 'hex') };
}

function parseSealedKek(path: string, text: string): SealedSecret {
  try {
    const parsed = JSON.parse(text) as { sealedKek?: Partial<SealedSecret> };
    const s = parsed.sealedKek;
    if (s && s.alg === 'A256GCM' && [s.kid, s.iv, s.ct, s.tag].every((v) => typeof v === 'string')) return s as SealedSecret;
  } catch {
    // refused below
  }
  throw new PkiError('KekFileInvalid', `KEK file ${path} holds neither a key nor a sealed key`);
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

function readOwnerOnly(path: string): string {
  const permissions = statSync(path).mode & 0o777;
  if (process.platform !== 'win32' && (permissions & GROUP_OTHER_BITS) !== 0) {
    const octal = permissions.toString(8).padStart(4, '0');
    throw new PkiError('KekFileInvalid', `KEK file ${path} has mode ${octal}; run chmod 600 on it`);
  }
  return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
}
