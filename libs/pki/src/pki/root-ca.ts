import { basicConstraints, keyUsage, KeyUsageBit, subjectKeyIdentifier } from './extensions.js';
import { generateP256KeyPair, keyIdentifier, randomSerial, spkiDer } from './keys.js';
import { distinguishedNameDer } from './names.js';
import { signCertificate } from './certificate.js';
import { addMilliseconds, daysToMs, roundToMinute } from './validity.js';

export interface RootCa {
  readonly certPem: string;
  /** PKCS#8 PEM of the ECDSA P-256 signing key. */
  readonly keyPem: string;
  /** Base64 DER of the subject Name: Docker's `TLSInfo.CertIssuerSubject`. */
  readonly certIssuerSubjectB64: string;
  /** Base64 DER SubjectPublicKeyInfo: Docker's `TLSInfo.CertIssuerPublicKey`. */
  readonly certIssuerPublicKeyB64: string;
}

export const ROOT_CA_COMMON_NAME = 'swarm-ca';
const ROOT_CA_BACKDATE_MS = 5 * 60_000;
const ROOT_CA_VALIDITY_DAYS = 7300;

/** A self-signed swarm root CA shaped like the one swarmkit creates through cfssl's initca. */
export function createRootCa(now: Date): RootCa {
  const { privateKey, privateKeyPem, publicKey } = generateP256KeyPair();
  const subjectDer = distinguishedNameDer([{ type: 'CN', value: ROOT_CA_COMMON_NAME }]);
  const spki = spkiDer(publicKey);
  const notBefore = addMilliseconds(roundToMinute(now), -ROOT_CA_BACKDATE_MS);
  const certPem = signCertificate(
    {
      serial: randomSerial(),
      issuerDer: subjectDer,
      subjectDer,
      notBefore,
      notAfter: addMilliseconds(notBefore, daysToMs(ROOT_CA_VALIDITY_DAYS)),
      subjectPublicKeyInfoDer: spki,
      extensions: [
        keyUsage([KeyUsageBit.keyCertSign, KeyUsageBit.cRLSign]),
        basicConstraints(true),
        subjectKeyIdentifier(keyIdentifier(spki)),
      ],
    },
    privateKey,
  );
  return {
    certPem,
    keyPem: privateKeyPem,
    certIssuerSubjectB64: subjectDer.toString('base64'),
    certIssuerPublicKeyB64: spki.toString('base64'),
  };
}
