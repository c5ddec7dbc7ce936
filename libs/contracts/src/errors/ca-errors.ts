import type { ErrorPayload } from './error-kind.js';

const grpcInvalid = (desc: string): ErrorPayload => ({ code: 'InvalidSigningCa', kind: 'InvalidParameter', message: `rpc error: code = InvalidArgument desc = ${desc}` });

/** Go's RFC 3339 in UTC to the second, as x509 errors print times. */
const goTime = (instant: Date): string => instant.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The Engine's answers to a root rotation it refuses (`docker swarm ca --rotate --ca-cert --ca-key`,
 * or `Spec.CAConfig.SigningCACert`/`SigningCAKey`/`ExternalCAs` through the API), as recorded.
 */
export const CaErrors = {
  keyWithoutCert: (): ErrorPayload => grpcInvalid('if a signing CA key is provided, the signing CA cert must also be provided'),
  /** A desired root without its key needs an external CA to sign with; this engine has none (and takes none). */
  noExternalCa: (): ErrorPayload => grpcInvalid('there must be at least one valid, reachable external CA corresponding to the desired CA certificate'),
  multipleCertificates: (): ErrorPayload => grpcInvalid('the desired CA certificate cannot contain multiple certificates'),
  notACertificate: (): ErrorPayload => grpcInvalid('error while validating Root CA Certificate: x509: malformed certificate'),
  expired: (now: Date, notBefore: Date, notAfter: Date): ErrorPayload =>
    grpcInvalid(
      `error while validating Root CA Certificate: x509: certificate has expired or is not yet valid: current time ${goTime(now)} is ${
        now < notBefore ? `before ${goTime(notBefore)}` : `after ${goTime(notAfter)}`
      }`,
    ),
  notSelfSigned: (): ErrorPayload => grpcInvalid('error while validating Root CA Certificate: x509: certificate signed by unknown authority'),
  weakSignature: (algorithm: string): ErrorPayload => grpcInvalid(`unsupported signature algorithm: ${algorithm}`),
  expiresTooSoon: (): ErrorPayload => grpcInvalid('CA certificate expires too soon'),
  encryptedKey: (): ErrorPayload => grpcInvalid('malformed private key: {"code":2100,"message":"Private key is encrypted."}'),
  malformedKey: (): ErrorPayload => grpcInvalid('malformed private key: {"code":2003,"message":"Failed to parse private key"}'),
  keyMismatch: (): ErrorPayload => grpcInvalid('certificate key mismatch'),
  notCa: (): ErrorPayload => ({
    code: 'CrossSignFailed',
    kind: 'System',
    message: 'rpc error: code = Internal desc = unable to generate a cross-signed certificate for root rotation',
  }),
  /**
   * An external CA (`--external-ca`, `Spec.CAConfig.ExternalCAs`): this engine signs with keys it
   * holds only, so a CFSSL signer is refused rather than recorded and ignored.
   */
  externalCaUnsupported: (when: 'init' | 'update'): ErrorPayload => {
    const text = 'external CAs are not supported by this engine: it signs node certificates only with a root CA key it holds (use --ca-cert with --ca-key)';
    return when === 'init'
      ? { code: 'ExternalCaUnsupported', kind: 'System', message: `error updating cluster settings: ${text}` }
      : { code: 'ExternalCaUnsupported', kind: 'InvalidParameter', message: text };
  },
} as const;
