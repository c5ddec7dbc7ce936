import type { RootCaMaterial } from '#contracts';
import { caDigestBase36 } from '#domain';
import { rootFacts, sealSecret, secretFingerprint } from '#pki';

type Kek = Parameters<typeof sealSecret>[1];

/**
 * What the CA stream records of a root (a new one at init, the desired one of a rotation): the key
 * sealed under the KEK for `stream` (or as the operator's signing CA already came sealed), its
 * fingerprint, the issuer fields read from the certificate and its digest.
 */
export function rootCaMaterial(certPem: string, keyPem: string, kek: Kek, stream: string, sealedKey?: RootCaMaterial['sealedKey']): RootCaMaterial {
  const facts = rootFacts(certPem);
  return {
    certPem,
    sealedKey: sealedKey ?? sealSecret(keyPem, kek, stream),
    keyFingerprint: secretFingerprint(keyPem, kek),
    certIssuerSubject: facts.certIssuerSubjectB64,
    certIssuerPublicKey: facts.certIssuerPublicKeyB64,
    caDigest: caDigestBase36(certPem),
  };
}
