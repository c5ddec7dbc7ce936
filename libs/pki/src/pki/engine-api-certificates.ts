import { isIP } from 'node:net';
import { authorityKeyIdentifier, basicConstraints, extendedKeyUsage, keyUsage, KeyUsageBit, subjectAltNames, subjectKeyIdentifier } from './extensions.js';
import { generateP256KeyPair, keyIdentifier, randomSerial, spkiDer } from './keys.js';
import { distinguishedNameDer } from './names.js';
import { Oid } from './oids.js';
import { signCertificate } from './certificate.js';
import { addMilliseconds, daysToMs } from './validity.js';

/**
 * The material of dockerd's `--tlsverify` model (Docker's "Protect the Docker daemon socket"
 * recipe, made without openssl): a local CA, a server certificate for the Engine API and a client
 * certificate for the CLI (`DOCKER_CERT_PATH` holds ca.pem, cert.pem, key.pem). Keys are ECDSA P-256
 * (PKCS#8), which Go's TLS and the docker CLI accept.
 */
export interface EngineApiCertificates {
  readonly caCertPem: string;
  readonly caKeyPem: string;
  /**
   * serverAuth, and clientAuth so that the gateway can call its own TLS listener (a manager agent's
   * calls are replayed there); SANs: the hosts given (IP addresses and DNS names).
   */
  readonly serverCertPem: string;
  readonly serverKeyPem: string;
  /** clientAuth, `CN=client`. */
  readonly clientCertPem: string;
  readonly clientKeyPem: string;
}

export interface EngineApiCertificateInput {
  /** Names and addresses the server certificate is valid for (e.g. 127.0.0.1, ::1, localhost, the host). */
  readonly hosts: readonly string[];
  readonly now: Date;
  /** Validity of all three certificates (Docker's recipe: 365 days). */
  readonly validityDays?: number;
}

const CA_COMMON_NAME = 'swarmplane Engine API CA';
const BACKDATE_MS = 5 * 60_000;

export function createEngineApiCertificates(input: EngineApiCertificateInput): EngineApiCertificates {
  const notBefore = addMilliseconds(input.now, -BACKDATE_MS);
  const notAfter = addMilliseconds(input.now, daysToMs(input.validityDays ?? 365));
  const ca = generateP256KeyPair();
  const caSpki = spkiDer(ca.publicKey);
  const caSubject = distinguishedNameDer([{ type: 'CN', value: CA_COMMON_NAME }]);
  const caCertPem = signCertificate(
    {
      serial: randomSerial(),
      issuerDer: caSubject,
      subjectDer: caSubject,
      notBefore,
      notAfter,
      subjectPublicKeyInfoDer: caSpki,
      extensions: [keyUsage([KeyUsageBit.keyCertSign, KeyUsageBit.cRLSign]), basicConstraints(true), subjectKeyIdentifier(keyIdentifier(caSpki))],
    },
    ca.privateKey,
  );
  const leaf = (commonName: string, purposes: readonly string[], extra: ReturnType<typeof subjectAltNames>[]): { certPem: string; keyPem: string } => {
    const key = generateP256KeyPair();
    const spki = spkiDer(key.publicKey);
    const certPem = signCertificate(
      {
        serial: randomSerial(),
        issuerDer: caSubject,
        subjectDer: distinguishedNameDer([{ type: 'CN', value: commonName }]),
        notBefore,
        notAfter,
        subjectPublicKeyInfoDer: spki,
        extensions: [
          keyUsage([KeyUsageBit.digitalSignature, KeyUsageBit.keyEncipherment]),
          extendedKeyUsage(purposes),
          basicConstraints(false),
          subjectKeyIdentifier(keyIdentifier(spki)),
          authorityKeyIdentifier(keyIdentifier(caSpki)),
          ...extra,
        ],
      },
      ca.privateKey,
    );
    return { certPem, keyPem: key.privateKeyPem };
  };
  const server = leaf(input.hosts[0] ?? 'localhost', [Oid.serverAuth, Oid.clientAuth], [subjectAltNames(splitHosts(input.hosts))]);
  const client = leaf('client', [Oid.clientAuth], []);
  return {
    caCertPem,
    caKeyPem: ca.privateKeyPem,
    serverCertPem: server.certPem,
    serverKeyPem: server.keyPem,
    clientCertPem: client.certPem,
    clientKeyPem: client.keyPem,
  };
}

function splitHosts(hosts: readonly string[]): { dns: string[]; ips: Buffer[] } {
  const unique = [...new Set(hosts.map((h) => h.trim()).filter((h) => h !== ''))];
  return {
    dns: unique.filter((h) => isIP(h) === 0),
    ips: unique.filter((h) => isIP(h) !== 0).map(ipBytes),
  };
}

/** The 4 or 16 bytes of an IPv4 or IPv6 address in text form. */
export function ipBytes(address: string): Buffer {
  if (isIP(address) === 4) return Buffer.from(address.split('.').map(Number));
  const [head = '', tail] = address.split('::');
  const groups = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  const bytes = Buffer.alloc(16);
  all.forEach((group, i) => bytes.writeUInt16BE(group, i * 2));
  return bytes;
}
