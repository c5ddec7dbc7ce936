import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';

/**
 * The data dir, created 0700 if missing. An existing one that others may enter is refused rather
 * than changed: it may be a shared directory the user named by mistake (`--data /tmp`).
 */
export function ensurePrivateDir(dir: string): void {
  let mode: number;
  try {
    const stat = statSync(dir);
    if (!stat.isDirectory()) throw new Error(`${dir} is not a directory`);
    mode = stat.mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    return;
  }
  if ((mode & 0o077) !== 0) {
    throw new Error(`the data dir ${dir} is open to other users (mode ${mode.toString(8).padStart(4, '0')}): name a new directory, or chmod 700 it`);
  }
}

/**
 * Replaces `file` with `text` in one step (a temporary file written, flushed and renamed over it),
 * mode 0600: a crash leaves the old content or the new one, never half of either.
 */
export function writePrivateFileAtomic(file: string, text: string): void {
  const temporary = `${file}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}
