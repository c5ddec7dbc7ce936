import { DomainError, SwarmErrors } from '#contracts';

/**
 * The Engine's check of `Spec.CAConfig.ExternalCAs` (its spec conversion): the protocol must be
 * `cfssl` in any case. This engine keeps no external CA, but a spec that names a bad one is
 * refused, as the Engine refuses it: 400 `invalid protocol: "x"` on update, and at init 500
 * `error updating cluster settings: invalid protocol: "x"` (before anything is created here).
 */
export function checkExternalCAs(externalCAs: readonly { Protocol?: string }[] | undefined, when: 'init' | 'update'): void {
  for (const ca of externalCAs ?? []) {
    const protocol = ca.Protocol ?? '';
    if (protocol.toUpperCase() === 'CFSSL') continue;
    const message = `invalid protocol: ${JSON.stringify(protocol)}`;
    throw new DomainError(when === 'init' ? SwarmErrors.system(`error updating cluster settings: ${message}`) : SwarmErrors.invalidParameter(message));
  }
}
