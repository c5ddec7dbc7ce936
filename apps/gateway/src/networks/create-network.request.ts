import { DomainError, SwarmErrors, type CreateNetworkRequest, type RequestContext } from '#contracts';

/** The body of `POST /networks/create` (Engine API `NetworkCreateRequest`). */
export interface NetworkCreateBody {
  Name?: string;
  Driver?: string;
  Scope?: string;
  Internal?: boolean;
  Attachable?: boolean;
  Ingress?: boolean;
  EnableIPv6?: boolean;
  ConfigOnly?: boolean;
  ConfigFrom?: { Network?: string } | null;
  IPAM?: { Driver?: string; Config?: { Subnet?: string; IPRange?: string; Gateway?: string }[] | null; Options?: Record<string, string> | null } | null;
  Options?: Record<string, string> | null;
  Labels?: Record<string, string> | null;
}

/**
 * Checks what this engine can make (swarm-scoped overlay networks with the default IPAM driver)
 * and turns the body into the ipam-service request. Local networks do not exist here.
 */
export function buildCreateNetworkRequest(body: NetworkCreateBody, clusterId: string, context: RequestContext): CreateNetworkRequest {
  const name = body.Name ?? '';
  if (name === '') throw invalid('network name is empty');
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
    labels: body.Labels ?? {},
    options: body.Options ?? {},
    ...(config?.Subnet ? { subnet: config.Subnet } : {}),
    ...(config?.Gateway ? { gateway: config.Gateway } : {}),
    ...(config?.IPRange ? { ipRange: config.IPRange } : {}),
  };
}

function invalid(message: string): DomainError {
  return new DomainError(SwarmErrors.invalidParameter(message));
}
