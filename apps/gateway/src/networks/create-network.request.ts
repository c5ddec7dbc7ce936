import { type CreateNetworkRequest, DomainError, type RequestContext, SwarmErrors } from '#contracts';
import { NetworkCreateBody } from '#engine-http';
import type { Static } from '@sinclair/typebox';

/** The body of `POST /networks/create` (Engine API `NetworkCreateRequest`), decoded and checked by its schema. */
export type NetworkCreateBody = Static<typeof NetworkCreateBody.schema>;

/**
 * swarmkit's `isValidDNSName` (`^[a-zA-Z0-9](?:[-_]*[A-Za-z0-9]+)*$`), rewritten without the
 * nested quantifier: the same names, but linear in V8's backtracking engine (Go's is RE2).
 */
const DNS_NAME_COMPONENT = /^[a-zA-Z0-9](?:[-_a-zA-Z0-9]*[a-zA-Z0-9])?$/;
/** A DNS label is at most 63 characters. */
const MAX_NAME_LENGTH = 63;

/**
 * Checks what this engine can make (swarm-scoped overlay networks with the default IPAM driver)
 * and turns the body into the ipam-service request. Local networks do not exist here.
 */
export function buildCreateNetworkRequest(body: NetworkCreateBody, clusterId: string, context: RequestContext): CreateNetworkRequest {
  const name = body.Name ?? '';
  if (name === '') throw invalid('network name is empty');
  // swarmkit's validateAnnotations, which the Engine reaches for every swarm network.
  if (!DNS_NAME_COMPONENT.test(name)) throw invalid('rpc error: code = InvalidArgument desc = name must be valid as a DNS name component');
  if (name.length > MAX_NAME_LENGTH) throw invalid('rpc error: code = InvalidArgument desc = name must be 63 characters or fewer');
  const driver = body.Driver || 'overlay';
  if (driver !== 'overlay') {
    throw invalid(`this engine only manages swarm overlay networks: driver "${driver}" is not supported`);
  }
  if (body.Scope && body.Scope !== 'swarm') throw invalid(`this engine only manages swarm-scoped networks: scope "${body.Scope}" is not supported`);
  if (body.ConfigOnly || body.ConfigFrom?.Network) throw invalid('config-only networks are not supported by this engine');
  const ipamDriver = body.IPAM?.Driver || 'default';
  if (ipamDriver !== 'default') throw invalid(`IPAM driver "${ipamDriver}" is not supported by this engine`);
  const configs = (body.IPAM?.Config ?? []).filter((c) => !c.Subnet?.includes(':'));
  if (configs.length > 1) throw invalid('this engine supports one IPv4 subnet per network');
  const [config] = configs;
  return {
    context,
    clusterId,
    name,
    ingress: body.Ingress ?? false,
    internal: body.Internal ?? false,
    attachable: body.Attachable ?? false,
    labels: (body.Labels ?? {}) as Record<string, string>,
    options: (body.Options ?? {}) as Record<string, string>,
    ...(config?.Subnet ? { subnet: config.Subnet } : {}),
    ...(config?.Gateway ? { gateway: config.Gateway } : {}),
    ...(config?.IPRange ? { ipRange: config.IPRange } : {}),
  };
}

function invalid(message: string): DomainError {
  return new DomainError(SwarmErrors.invalidParameter(message));
}
