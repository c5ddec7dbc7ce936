import { engineDescription, SwarmInitBody } from '#engine-http';
import { DEFAULT_DATA_PATH_PORT, DomainError, type InitSwarmRequest, type NodeAvailability, type RequestContext, SwarmErrors } from '#contracts';
import type { Static } from '@sinclair/typebox';
import os from 'node:os';
import { checkExternalCAs } from './external-cas.js';
import {
  initialSpec,
  resolveAdvertiseAddr,
  resolveDataPathAddr,
  resolveListenAddr,
  validateAddressPools,
  unsupportedField,
  validateDataPathPort,
  type InterfaceTable,
} from '#domain';

/** The body of `POST /swarm/init` (Engine API `SwarmInitRequest`), decoded and checked by its schema. */
export type InitBody = Static<typeof SwarmInitBody.schema>;

/**
 * Validates and resolves an init request in the Engine's order (listen address, advertise
 * address, data path port, pools, spec), so each bad input gets the Engine's first error.
 */
export function buildInitRequest(
  body: InitBody,
  context: RequestContext,
  interfaces: InterfaceTable = os.networkInterfaces() as InterfaceTable,
  /** Why this manager's KEK cannot be sealed under an unlock key (SWARM_KEK), when it cannot. */
  whyNoAutolock?: string,
): InitSwarmRequest {
  const listenAddr = body.ListenAddr ?? '';
  if (listenAddr === '') throw invalid('invalid ListenAddr "": invalid empty address');
  const spec = body.Spec ?? {};
  if (spec.Name && spec.Name !== 'default') throw invalid('swarm spec must be named "default"');
  const listen = resolveListenAddr(listenAddr, interfaces);
  const advertise = resolveAdvertiseAddr(body.AdvertiseAddr ?? '', listen.port, interfaces, process.env.SWARM_DEFAULT_ADVERTISE_ADDR);
  // Checked as the Engine checks them, then refused: this engine has no data plane (no VXLAN traffic).
  if (resolveDataPathAddr(body.DataPathAddr ?? '', interfaces) !== undefined) {
    throw unsupportedField('DataPathAddr', '--data-path-addr', 'it has no data plane (it carries no VXLAN traffic)');
  }
  const dataPathPort = validateDataPathPort(body.DataPathPort ?? 0);
  if (dataPathPort !== DEFAULT_DATA_PATH_PORT) {
    throw unsupportedField('DataPathPort', '--data-path-port', 'it has no data plane (it carries no VXLAN traffic)');
  }
  // The Engine rebuilds a one-manager cluster from a node's old state; this engine keeps none to rebuild from.
  if (body.ForceNewCluster) throw unsupportedField('ForceNewCluster', '--force-new-cluster', 'a node here keeps no Raft state to rebuild a cluster from');
  const given = body.DefaultAddrPool ?? null;
  const pools = validateAddressPools(given ?? [], body.SubnetSize ?? 0);
  checkExternalCAs(spec.CAConfig?.ExternalCAs, 'init');
  // A root given at init would be a rotation before there is a root: not taken, and never ignored.
  if (spec.CAConfig?.SigningCACert || spec.CAConfig?.SigningCAKey) {
    throw new DomainError(SwarmErrors.system('error updating cluster settings: a signing CA at init is not supported by this engine: init, then docker swarm ca --rotate --ca-cert --ca-key'));
  }
  const autolock = body.AutoLockManagers ?? spec.EncryptionConfig?.AutoLockManagers ?? false;
  // Refused rather than faked: without a key file to seal, a restarted manager would not be locked.
  if (autolock && whyNoAutolock) throw invalid(`autolock is not available: ${whyNoAutolock}`);
  return {
    context,
    listenAddr: `${listen.host}:${listen.port}`,
    advertiseHost: advertise.host,
    advertisePort: advertise.port,
    dataPathPort,
    defaultAddrPool: given === null ? null : pools.pools,
    subnetSize: given !== null && given.length === 0 ? body.SubnetSize || 24 : pools.subnetSize,
    spec: initialSpec({ ...spec, EncryptionConfig: { AutoLockManagers: autolock } }),
    availability: availability(body.Availability ?? ''),
    engine: engineDescription(),
  };
}

function availability(text: string): NodeAvailability {
  const value = text.toLowerCase();
  if (value === '') return 'active';
  if (value === 'active' || value === 'pause' || value === 'drain') return value;
  throw invalid(`invalid Availability: "${text}"`);
}

function invalid(message: string): DomainError {
  return new DomainError(SwarmErrors.invalidParameter(message));
}
