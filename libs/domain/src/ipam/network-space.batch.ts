import type { NetworkSpaceEvent } from '#contracts';
import { decideNetworkSpace, type CreateNetworkInput } from './network-space.decide.js';
import { evolveNetworkSpace, type NetworkSpace } from './network-space.js';

type NetworkCreated = Extract<NetworkSpaceEvent, { type: 'NetworkCreated' }>;

/** One create of a batch: the event that decides it, or why it was refused. */
export type CreateDecision =
  | { readonly event: NetworkCreated; readonly refusal?: undefined }
  | { readonly event?: undefined; readonly refusal: unknown };

/**
 * Group commit (decision 0016): decides creates in turn, each on the space as the ones accepted
 * before it leave it (names, lowest free subnets and VXLAN IDs distinct within the batch), and
 * leaves `space` exactly as it found it, so that the events, once stored, are applied to it by
 * whoever folds it. The same answers as deciding and appending them one at a time.
 *
 * A create that is "nothing to do" (its network ID is taken: a retry) is reported as a refusal
 * here: the caller decides it alone, where only the head of the log can say "already applied".
 */
export function decideNetworkCreatesInTurn(inputs: readonly CreateNetworkInput[], space: NetworkSpace): CreateDecision[] {
  const decisions: CreateDecision[] = [];
  const applied: NetworkCreated[] = [];
  const cursor = space.vxlanIds.cursor;
  try {
    for (const network of inputs) {
      let events;
      try {
        events = decideNetworkSpace({ type: 'CreateNetwork', network }, space);
      } catch (refusal) {
        decisions.push({ refusal });
        continue;
      }
      const [event] = events;
      if (event?.type !== 'NetworkCreated') {
        decisions.push({ refusal: new AlreadyAppliedInBatch(network.networkId) });
        continue;
      }
      evolveNetworkSpace(space, event);
      applied.push(event);
      decisions.push({ event });
    }
  } finally {
    // Undone in reverse: each removal frees exactly what its create took.
    for (const created of applied.reverse()) {
      const { networkId, clusterId, name } = created.data;
      evolveNetworkSpace(space, { type: 'NetworkRemoved', data: { networkId, clusterId, name } });
    }
    space.vxlanIds.cursor = cursor;
  }
  return decisions;
}

/** The network ID is in the space already: not for a batch to say (see decideNetworkCreatesInTurn). */
export class AlreadyAppliedInBatch extends Error {
  constructor(readonly networkId: string) {
    super(`network ${networkId} exists: decide alone`);
    this.name = 'AlreadyAppliedInBatch';
  }
}
