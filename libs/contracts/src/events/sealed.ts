/** A secret sealed with AES-256-GCM under the key-encryption key `kid` (see libs/pki). */
export interface SealedSecret {
  readonly alg: 'A256GCM';
  readonly kid: string;
  readonly iv: string;
  readonly ct: string;
  readonly tag: string;
}
