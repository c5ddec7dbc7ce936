import { CaErrors, DomainError, SwarmErrors, type SealedSecret, type SwarmSpecInput, type UpdateSwarmRequest } from '#contracts';

/**
 * The Engine's check of `Spec.CAConfig.ExternalCAs` (its spec conversion): the protocol must be
 * `cfssl` in any case: 400 `invalid protocol: "x"` on update, and at init 500 `error updating
 * cluster settings: invalid protocol: "x"` (before anything is created here). A well-formed CFSSL
 * signer is then refused too: this engine signs only with root keys it holds, and an external CA it
 * would record but never call would be a setting that has no effect.
 */
export function checkExternalCAs(externalCAs: readonly { Protocol?: string }[] | null | undefined, when: 'init' | 'update'): void {
  for (const ca of externalCAs ?? []) {
    const protocol = ca.Protocol ?? '';
    if (protocol.toUpperCase() === 'CFSSL') continue;
    const message = `invalid protocol: ${JSON.stringify(protocol)}`;
    throw new DomainError(when === 'init' ? SwarmErrors.system(`error updating cluster settings: ${message}`) : SwarmErrors.invalidParameter(message));
  }
  if ((externalCAs ?? []).length > 0) throw new DomainError(CaErrors.externalCaUnsupported(when));
}

type CaConfigBody = { SigningCACert?: string | null; SigningCAKey?: string | null; ExternalCAs?: unknown } | null | undefined;

/**
 * Takes `SigningCACert`/`SigningCAKey` out of the spec (the Engine never shows or stores them):
 * the key leaves the gateway sealed, never in plaintext over NATS. A key without a certificate,
 * and a certificate without a key (which would need an external CA), are refused as the Engine
 * refuses them.
 */
export function splitSigningCa<S extends { CAConfig?: CaConfigBody }>(
  spec: S,
  seal: (keyPem: string) => SealedSecret,
): { signingCa: UpdateSwarmRequest['signingCa']; spec: SwarmSpecInput } {
  const caConfig = spec.CAConfig ?? {};
  const certPem = caConfig.SigningCACert ?? '';
  const keyPem = caConfig.SigningCAKey ?? '';
  const { SigningCACert: _cert, SigningCAKey: _key, ExternalCAs: _external, ...rest } = caConfig;
  void [_cert, _key, _external];
  const recordable = { ...spec, ...(spec.CAConfig ? { CAConfig: rest } : {}) } as SwarmSpecInput;
  if (keyPem && !certPem) throw new DomainError(CaErrors.keyWithoutCert());
  if (certPem && !keyPem) throw new DomainError(CaErrors.noExternalCa());
  return { signingCa: certPem ? { certPem, sealedKey: seal(keyPem) } : undefined, spec: recordable };
}
