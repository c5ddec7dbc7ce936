export { kekId, openSecret, sealSecret, secretFingerprint, type SealedSecret } from './seal.js';
export { loadOrCreateKek, loadOrCreateKekFile, openSealedKek, writeKekFile, type KekFileContent } from './kek-file.js';
export { generateUnlockKey, parseUnlockKey } from './unlock-key.js';
