export { kekId, openSecret, sealSecret, secretFingerprint, type SealedSecret } from './seal.js';
export { loadOrCreateKek } from './kek-file.js';
