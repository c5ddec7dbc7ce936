/** The schemas of the events of `service-events.ts`, each checked against its interface at build time. */
import { Type } from '@sinclair/typebox';
import type { SealedSecret } from './sealed.js';
import {
  AddressSchema, BoundedString, AddrPoolSchema, FingerprintSchema, IdSchema, NameSchema, PemSchema, Rfc3339Schema, RoleSchema,
  SealedSecretSchema, StringMapSchema, SubnetSizeSchema, type SameShape,
} from './schema-parts.js';
import type {
  AddressPoolsConfigured, JoinTokenAgeExceeded, JoinTokenRotated, JoinTokensIssued, NetworkCreated, NetworkRemoved, NodeCertificateIssued,
  JoinTokensReissued, RootCaCreated, RootRotationCompleted, RootRotationStarted,
} from './service-events.js';

const DigestSchema = BoundedString(1, 128, { pattern: '^[0-9a-z]+$' });
const Base64Schema = BoundedString(0, 8192, { pattern: '^[A-Za-z0-9+/]*={0,2}$' });

/** The fields of `RootCaMaterial`, shared by the events that record a root. */
const rootCaMaterial = {
  certPem: PemSchema,
  sealedKey: SealedSecretSchema,
  keyFingerprint: FingerprintSchema,
  certIssuerSubject: Base64Schema,
  certIssuerPublicKey: Base64Schema,
  caDigest: DigestSchema,
};

export const RootCaCreatedData = Type.Object({ clusterId: IdSchema, ...rootCaMaterial });
export const RootRotationStartedData = Type.Object({
  clusterId: IdSchema,
  rotationId: IdSchema,
  origin: Type.Union([Type.Literal('force-rotate'), Type.Literal('signing-ca')]),
  ...rootCaMaterial,
  crossSignedCertPem: PemSchema,
});
export const RootRotationCompletedData = Type.Object({
  clusterId: IdSchema,
  rotationId: IdSchema,
  caDigest: DigestSchema,
  previousCaDigest: DigestSchema,
});
export const NodeCertificateIssuedData = Type.Object({
  nodeId: IdSchema,
  clusterId: IdSchema,
  role: RoleSchema,
  certPem: PemSchema,
  serial: BoundedString(1, 128),
  notAfter: Rfc3339Schema,
  notBefore: Type.Optional(Rfc3339Schema),
  issuerCaDigest: Type.Optional(DigestSchema),
  sealedKey: Type.Optional(SealedSecretSchema),
});
export const JoinTokensIssuedData = Type.Object({
  clusterId: IdSchema,
  caDigest: DigestSchema,
  worker: SealedSecretSchema,
  manager: SealedSecretSchema,
  workerFingerprint: FingerprintSchema,
  managerFingerprint: FingerprintSchema,
});
export const JoinTokensReissuedData = Type.Object({
  clusterId: IdSchema,
  rotationId: IdSchema,
  caDigest: DigestSchema,
  worker: SealedSecretSchema,
  manager: SealedSecretSchema,
  workerFingerprint: FingerprintSchema,
  managerFingerprint: FingerprintSchema,
});
export const JoinTokenRotatedData = Type.Object({
  clusterId: IdSchema,
  role: RoleSchema,
  secret: SealedSecretSchema,
  fingerprint: FingerprintSchema,
});
export const JoinTokenAgeExceededData = Type.Object({
  clusterId: IdSchema,
  role: RoleSchema,
  fingerprint: FingerprintSchema,
  issuedAt: Rfc3339Schema,
  maxAgeSeconds: Type.Integer({ minimum: 0 }),
  autoRotate: Type.Boolean(),
});
const sameAgeExceeded: SameShape<JoinTokenAgeExceeded['data'], typeof JoinTokenAgeExceededData> = true;
export const JOIN_TOKEN_AGE_SCHEMA_MATCHES = sameAgeExceeded;
export const AddressPoolsConfiguredData = Type.Object({ clusterId: IdSchema, pools: AddrPoolSchema, subnetSize: SubnetSizeSchema });
export const NetworkCreatedData = Type.Object({
  networkId: IdSchema,
  clusterId: IdSchema,
  name: NameSchema,
  driver: Type.Literal('overlay'),
  ingress: Type.Boolean(),
  internal: Type.Boolean(),
  attachable: Type.Boolean(),
  labels: StringMapSchema,
  options: StringMapSchema,
  subnet: AddressSchema,
  gateway: AddressSchema,
  ipRange: Type.Optional(AddressSchema),
  explicitSubnet: Type.Boolean(),
  /** VXLAN network identifiers are 24 bits. */
  vxlanId: Type.Integer({ minimum: 0, maximum: 16_777_215 }),
  createdAt: Rfc3339Schema,
});
export const NetworkRemovedData = Type.Object({ networkId: IdSchema, clusterId: IdSchema, name: NameSchema });

const sameSealed: SameShape<SealedSecret, typeof SealedSecretSchema> = true;
const sameRootCa: SameShape<RootCaCreated['data'], typeof RootCaCreatedData> = true;
const sameNodeCert: SameShape<NodeCertificateIssued['data'], typeof NodeCertificateIssuedData> = true;
const sameTokens: SameShape<JoinTokensIssued['data'], typeof JoinTokensIssuedData> = true;
const sameRotated: SameShape<JoinTokenRotated['data'], typeof JoinTokenRotatedData> = true;
const samePools: SameShape<AddressPoolsConfigured['data'], typeof AddressPoolsConfiguredData> = true;
const sameNetwork: SameShape<NetworkCreated['data'], typeof NetworkCreatedData> = true;
const sameNetworkRemoved: SameShape<NetworkRemoved['data'], typeof NetworkRemovedData> = true;
const sameRotationStarted: SameShape<RootRotationStarted['data'], typeof RootRotationStartedData> = true;
const sameRotationCompleted: SameShape<RootRotationCompleted['data'], typeof RootRotationCompletedData> = true;
const sameReissued: SameShape<JoinTokensReissued['data'], typeof JoinTokensReissuedData> = true;
export const SERVICE_EVENT_SCHEMAS_MATCH_TYPES = [
  sameRotationStarted, sameRotationCompleted, sameReissued, sameSealed, sameRootCa, sameNodeCert, sameTokens, sameRotated, samePools, sameNetwork, sameNetworkRemoved,
] as const;
