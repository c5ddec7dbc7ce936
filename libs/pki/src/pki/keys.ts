import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { PkiError } from '../pki-error.js';
import { DerTag, childrenOf, contentOf, expectTag, oidOf, readSingleElement } from './der-read.js';
import { Oid } from './oids.js';
import { pemToDer } from './pem.js';

export interface PemKeyPair {
  /** PKCS#8. */
  readonly privateKeyPem: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** A fresh ECDSA P-256 key pair, the only key type swarm's CA issues. */
export function generateP256KeyPair(): PemKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { privateKeyPem, privateKey, publicKey };
}

export function toPublicKey(key: string | KeyObject): KeyObject {
  if (typeof key !== 'string') return key.type === 'private' ? createPublicKey(key) : key;
  try {
    return createPublicKey(key);
  } catch (error) {
    throw new PkiError('InvalidKey', 'not a PEM public key', { cause: error });
  }
}

export function toPrivateKey(key: string | KeyObject): KeyObject {
  if (typeof key !== 'string') return key;
  try {
    return createPrivateKey(key);
  } catch (error) {
    throw new PkiError('InvalidKey', 'not a PEM private key', { cause: error });
  }
}

/**
 * Hazard: on Node 20.20 / OpenSSL 3.0 a JWK export of a freshly generated EC key occasionally never
 * returns (about once in 15,000-20,000 keys, measured by the join bench); the SPKI DER export has
 * not been seen to hang, so it is the only one used, although it is slower.
 */
export function spkiDer(publicKey: KeyObject): Buffer {
  return publicKey.export({ type: 'spki', format: 'der' });
}

/**
 * The DER SubjectPublicKeyInfo of a PEM public key or a KeyObject. A PEM is validated by OpenSSL
 * and then used byte for byte, which spares a re-export on the issuing hot path.
 */
export function subjectPublicKeyInfoOf(key: string | KeyObject): Buffer {
  const publicKey = toPublicKey(key);
  const isSpkiPem = typeof key === 'string' && key.includes('-----BEGIN PUBLIC KEY-----');
  return isSpkiPem ? pemToDer('PUBLIC KEY', key) : spkiDer(publicKey);
}

/**
 * A public KeyObject from a DER SubjectPublicKeyInfo. A P-256 key is imported from its point as a
 * JWK, which OpenSSL 3 does in half the time of decoding the DER (60 vs 120 µs on the join path);
 * the point must lie on the curve either way. Other keys go through the DER decoder.
 */
export function publicKeyFromSpki(spki: Buffer): KeyObject {
  const point = uncompressedP256Point(spki);
  if (!point) return createPublicKey({ key: spki, format: 'der', type: 'spki' });
  const x = point.subarray(1, 33).toString('base64url');
  const y = point.subarray(33).toString('base64url');
  return createPublicKey({ key: { kty: 'EC', crv: 'P-256', x, y }, format: 'jwk' });
}

function uncompressedP256Point(spki: Buffer): Buffer | undefined {
  const [algorithm, bits] = childrenOf(spki, readSingleElement(spki));
  if (algorithm?.tag !== DerTag.sequence || bits?.tag !== DerTag.bitString) return undefined;
  const [keyType, curve] = childrenOf(spki, algorithm);
  if (keyType?.tag !== DerTag.oid || curve?.tag !== DerTag.oid) return undefined;
  if (oidOf(contentOf(spki, keyType)) !== Oid.ecPublicKey || oidOf(contentOf(spki, curve)) !== Oid.prime256v1) return undefined;
  const content = contentOf(spki, bits);
  const point = content.subarray(1);
  return content[0] === 0 && point.length === 65 && point[0] === 0x04 ? point : undefined;
}

/** RFC 5280 §4.2.1.2 method 1, as Go and cfssl compute it: SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(spki: Uint8Array): Buffer {
  const outer = readSingleElement(spki);
  const bits = expectTag(childrenOf(spki, outer)[1], DerTag.bitString, 'subjectPublicKey');
  return createHash('sha1').update(contentOf(spki, bits).subarray(1)).digest();
}

const SERIAL_BYTES = 20;
/** Random bytes for serials, drawn ~4 KiB at a time (one call into OpenSSL per 204 serials). */
const SERIAL_POOL_BYTES = SERIAL_BYTES * 204;
let serialPool = Buffer.alloc(0);
let serialPoolUsed = 0;

/** 20 random bytes with the top bit cleared: a positive serial of at most 20 octets (RFC 5280). */
export function randomSerial(): Buffer {
  if (serialPoolUsed + SERIAL_BYTES > serialPool.length) {
    serialPool = randomBytes(SERIAL_POOL_BYTES);
    serialPoolUsed = 0;
  }
  // Pool bytes are used once; the caller gets a copy it may change (the top bit below).
  const serial = Buffer.from(serialPool.subarray(serialPoolUsed, serialPoolUsed + SERIAL_BYTES));
  serialPoolUsed += SERIAL_BYTES;
  serial[0] = (serial[0] ?? 0) & 0x7f;
  return serial;
}

export interface SignatureScheme {
  readonly algorithmOid: string;
  readonly hash: 'sha256' | 'sha384' | 'sha512';
  /** RSA's AlgorithmIdentifier carries an explicit NULL parameter; ECDSA's has none. */
  readonly nullParameters?: true;
}

/** The scheme Go pairs with the signer's key: ECDSA by curve, or SHA-256 with RSA (an external RSA root). */
export function signatureSchemeFor(signingKey: KeyObject): SignatureScheme {
  if (signingKey.asymmetricKeyType === 'rsa') return { algorithmOid: Oid.sha256WithRsa, hash: 'sha256', nullParameters: true };
  const curve = signingKey.asymmetricKeyType === 'ec' ? signingKey.asymmetricKeyDetails?.namedCurve : undefined;
  switch (curve) {
    case 'prime256v1':
      return { algorithmOid: Oid.ecdsaWithSha256, hash: 'sha256' };
    case 'secp384r1':
      return { algorithmOid: Oid.ecdsaWithSha384, hash: 'sha384' };
    case 'secp521r1':
      return { algorithmOid: Oid.ecdsaWithSha512, hash: 'sha512' };
    default:
      throw new PkiError('InvalidKey', 'the signing key must be an RSA key or an ECDSA P-256, P-384 or P-521 key');
  }
}
