import { Logger } from '@nestjs/common';
import { DomainError, SwarmErrors, type SealedSecret } from '#contracts';
import { randomBytes } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { dirname } from 'node:path';
import { isPkiError, loadOrCreateKekFile, openSealedKek, writeKekFile } from '#pki';

/** Where a process's key-encryption key comes from. */
export type KekSource = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'env'; readonly kek: Buffer };

/**
 * The process's key-encryption key (decisions 0002, 0017). With autolock the KEK file is sealed
 * under the manager unlock key: a process that starts then holds no key (`locked`) until it is given
 * the unlock key, and every use of the key answers the Engine's "Swarm is encrypted and needs to be
 * unlocked" (503). The key lives in memory only; the file is rewritten, never left in clear while
 * autolock is on.
 */
export class KekHolder {
  private readonly logger = new Logger('kek');
  private kek: Buffer | undefined;
  private readonly unlockListeners = new Set<() => void>();

  private constructor(private readonly source: KekSource) {
    if (source.kind === 'env') this.kek = source.kek;
    else this.reload();
  }

  static fromFile(path: string): KekHolder {
    return new KekHolder({ kind: 'file', path });
  }

  /** A key given as is (`SWARM_KEK`, tests): never locked, and autolock cannot seal it. */
  static fixed(kek: Buffer): KekHolder {
    return new KekHolder({ kind: 'env', kek });
  }

  get locked(): boolean {
    return this.kek === undefined;
  }

  /** The key; throws the Engine's locked error (503) while the file is sealed and not unlocked. */
  current(): Buffer {
    if (!this.kek) throw new DomainError(SwarmErrors.swarmLocked());
    return this.kek;
  }

  /** Why autolock cannot seal this process's key, or undefined when it can (a KEK file). */
  whyNotSealable(): string | undefined {
    if (this.source.kind === 'env') {
      return 'autolock seals the key-encryption key file under the unlock key, and this manager takes its key from SWARM_KEK; use SWARM_KEK_FILE';
    }
    try {
      // Sealing writes a new file beside the old one and renames it: the folder must be writable.
      accessSync(dirname(this.source.path), constants.W_OK);
      return undefined;
    } catch {
      return `autolock seals the key-encryption key file under the unlock key, and the folder of ${this.source.path} is not writable (a read-only secret?)`;
    }
  }

  /**
   * Opens the sealed KEK file with `unlockKey`. `not-locked` when the key is already held. Throws
   * the Engine's errors: `invalid key string` (400) for a malformed key, `swarm could not be
   * unlocked: invalid key provided` (401) for a wrong one.
   */
  unlock(unlockKey: string): 'unlocked' | 'not-locked' {
    if (this.kek) return 'not-locked';
    const sealed = this.sealedFile();
    if (!sealed) return 'not-locked';
    try {
      this.kek = openSealedKek(sealed, unlockKey);
    } catch (error) {
      if (isPkiError(error, 'UnlockKeyMalformed')) throw new DomainError(SwarmErrors.invalidKeyString());
      if (isPkiError(error, 'UnlockKeyWrong')) throw new DomainError(SwarmErrors.invalidUnlockKey());
      throw error;
    }
    this.logger.log('unlocked: the key-encryption key is open');
    for (const listener of this.unlockListeners) listener();
    return 'unlocked';
  }

  /** Checks `unlockKey` against the file without changing state (the gateway, before it tells the others). */
  checkUnlockKey(unlockKey: string): void {
    const sealed = this.sealedFile();
    if (!sealed) return;
    try {
      openSealedKek(sealed, unlockKey);
    } catch (error) {
      if (isPkiError(error, 'UnlockKeyMalformed')) throw new DomainError(SwarmErrors.invalidKeyString());
      if (isPkiError(error, 'UnlockKeyWrong')) throw new DomainError(SwarmErrors.invalidUnlockKey());
      throw error;
    }
  }

  /**
   * Rewrites the KEK file: sealed under `unlockKey` (autolock on, or a new key), in clear (the
   * key in hex, as without autolock) when undefined. The key in memory is unchanged: no downtime.
   */
  seal(unlockKey: string | undefined): void {
    if (this.source.kind !== 'file') return;
    writeKekFile(this.source.path, this.current(), unlockKey);
  }

  /**
   * A locked manager that left its swarm with `--force` (the Engine empties its swarm directory,
   * key included): a new KEK in clear, so that a new swarm can be made. The old key is lost; only
   * the left swarm's secrets were sealed under it. No-op for a key from SWARM_KEK.
   */
  replaceLockedKey(): void {
    if (this.source.kind !== 'file' || !this.locked) return;
    writeKekFile(this.source.path, randomBytes(32));
    this.reload();
  }

  /** Whether the key file is sealed right now (autolock); false for a key from SWARM_KEK. */
  sealedOnDisk(): boolean {
    return this.sealedFile() !== undefined;
  }

  /** Reads the file again (another process replaced a sealed key after a forced leave). */
  reloadIfLocked(): void {
    if (this.locked) this.reload();
  }

  /** Called once each time this holder is unlocked. */
  onUnlock(listener: () => void): () => void {
    this.unlockListeners.add(listener);
    return () => this.unlockListeners.delete(listener);
  }

  private reload(): void {
    if (this.source.kind !== 'file') return;
    const content = loadOrCreateKekFile(this.source.path);
    this.kek = content.sealed ? undefined : content.kek;
    if (content.sealed) this.logger.warn('locked: the key-encryption key file is sealed under the swarm unlock key (autolock); run docker swarm unlock');
  }

  private sealedFile(): SealedSecret | undefined {
    if (this.source.kind !== 'file') return undefined;
    const content = loadOrCreateKekFile(this.source.path);
    return content.sealed ? content.sealedKek : undefined;
  }
}
