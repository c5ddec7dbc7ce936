import { SwarmErrors, type ErrorPayload } from '#contracts';
import { AgentErrors } from '../agent-errors.js';

/** What this engine is to the swarm when it is not a manager. */
export type NonManager = 'not-joined' | 'worker';

/** The answer of an engine that is not a manager, decided from the method and path alone. */
export type LocalAnswer =
  | { readonly kind: 'error'; readonly error: ErrorPayload }
  | { readonly kind: 'json'; readonly body: unknown }
  | { readonly kind: 'page-not-found' };

const ID = '[^/]+';
/** The Engine's manager-only routes (MOBY `api/server/router/swarm`): a worker or an engine outside a swarm answers them 503. */
const MANAGER_ONLY: readonly (readonly [string, RegExp])[] = [
  ['GET', /^\/swarm$/],
  ['POST', /^\/swarm\/update$/],
  ['GET', /^\/swarm\/unlockkey$/],
  ['POST', /^\/swarm\/unlock$/],
  ['GET', /^\/(nodes|services|tasks|secrets|configs)$/],
  ['GET', new RegExp(`^/(nodes|services|tasks|secrets|configs)/${ID}$`)],
  ['DELETE', new RegExp(`^/(nodes|services|secrets|configs)/${ID}$`)],
  ['POST', new RegExp(`^/(nodes|services|secrets|configs)/${ID}/update$`)],
  ['POST', /^\/(services|secrets|configs)\/create$/],
  ['GET', new RegExp(`^/(services|tasks)/${ID}/logs$`)],
];

/**
 * Manager-only calls get the Engine's 503 (`network create`, 403 on a worker); the local network
 * list is empty (this engine has no local networks); `swarm init` is refused (an agent only joins).
 * Anything else is an unknown route.
 */
export function localAnswer(method: string, path: string, membership: NonManager): LocalAnswer {
  const refuse = (): LocalAnswer => error(membership === 'worker' ? AgentErrors.workerNotManager() : SwarmErrors.notManager());
  if (method === 'POST' && path === '/swarm/init') return error(membership === 'worker' ? SwarmErrors.alreadyInSwarm() : AgentErrors.agentCannotInit());
  if (MANAGER_ONLY.some(([m, pattern]) => m === method && pattern.test(path))) return refuse();
  if (path === '/audit' || path.startsWith('/audit/')) return method === 'GET' ? refuse() : { kind: 'page-not-found' };
  if (method === 'GET' && path === '/networks') return { kind: 'json', body: [] };
  if (method === 'POST' && path === '/networks/create') return error(membership === 'worker' ? AgentErrors.workerNetworkCreate() : SwarmErrors.notManager());
  if (method === 'POST' && path === '/networks/prune') return { kind: 'json', body: { NetworksDeleted: null } };
  const network = new RegExp(`^/networks/(${ID})$`).exec(path);
  if (network && (method === 'GET' || method === 'DELETE')) return error(SwarmErrors.notFound(`network ${safeDecode(network[1]!)} not found`));
  return { kind: 'page-not-found' };
}

function error(payload: ErrorPayload): LocalAnswer {
  return { kind: 'error', error: payload };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
