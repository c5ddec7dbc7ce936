import { engineDescription, SwarmInitBody } from '#engine-http';
import { DomainError, type InitSwarmRequest, type NodeAvailability, type RequestContext, SwarmErrors } from '#contracts';
import type { Static } from '@sinclair/typebox';
import os from 'node:os';
import { checkExternalCAs } from './external-cas.js';
import {
  initialSpec,
  resolveAdvertiseAddr,
  resolveDataPathAddr,
  resolveListenAddr,
  validateAddressPools,
  validateDataPathPort,
  type InterfaceTable,
} from '#domain';

/** The body of `POST /swarm/init` (Engine API `SwarmInitRequest`), decoded and checked by its schema. */
export type InitBody = Static<typeof SwarmInitBody.schema>;

/**
 * Validates and resolves an init request in the Engine's order (listen address, advertise
 * address, data path port, pools, spec), so each bad input gets the Engine's first error.
 */
export function buildInitRequest(body: InitBody, context: RequestContext, interfaces: InterfaceTable = os.networkInterfaces() as InterfaceTable): InitSwarmRequest {
  const listenAddr = body.ListenAddr ?? '';
  if (listenAddr === '') throw invalid('invalid ListenAddr "": invalid empty address');
  const spec = body.Spec ?? {};
  if (spec.Name && spec.Name !== 'default') throw invalid('swarm spec must be named "default"');
  const listen = resolveListenAddr(listenAddr, interfaces);
  const advertise = resolveAdvertiseAddr(body.AdvertiseAddr ?? '', listen.port, interfaces, process.env.SWARM_DEFAULT_ADVERTISE_ADDR);
  // Checked only: this engine has no data plane, so the address is not kept.
  resolveDataPathAddr(body.DataPathAddr ?? '', interfaces);
  const dataPathPort = validateDataPathPort(body.DataPathPort ?? 0);
  const given = body.DefaultAddrPool ?? null;
  const pools = validateAddressPools(given ?? [], body.SubnetSize ?? 0);
  checkExternalCAs(spec.CAConfig?.ExternalCAs, 'init');
  // A root given at init would be a rotation before there is a root: not taken, and never ignored.
  if (spec.CAConfig?.SigningCACert || spec.CAConfig?.SigningCAKey) {
    throw new DomainError(SwarmErrors.system('error updating cluster settings: a signing CA at init is not supported by this engine: init, then docker swarm ca --rotate --ca-cert --ca-key'));
  }
  const autolock = body.AutoLockManagers ?? spec.EncryptionConfig?.AutoLockManagers ?? false;
  // Refused rather than faked: an unlock key is a secret this engine does not manage yet.
  if (autolock) throw invalid('autolock is not supported by this engine yet: the manager unlock key is not implemented');
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
