import { NetworkSpaceEventTypes, type NetworkSpaceEvent } from '#contracts';
import { evolveNetworkSpace, newNetworkSpace, type NetworkSpace } from '#domain';
import type { Recorded, RecordedEvent } from '#eventstore';

/** A cluster's network space as folded from its stream, with the stream's revision it reflects. */
export interface FoldedSpace {
  readonly space: NetworkSpace;
  revision: number | 'no_stream';
}

/** Every cluster's network space, built from the log at start and kept live (in place, flat cost). */
export type NetworkSpaces = Map<string, FoldedSpace>;

export const networkSpaceEventTypes = NetworkSpaceEventTypes;

export function evolveNetworkSpaces(spaces: NetworkSpaces, event: Recorded<NetworkSpaceEvent>): NetworkSpaces {
  const clusterId = event.data.clusterId;
  let folded = spaces.get(clusterId);
  if (!folded) {
    folded = { space: newNetworkSpace(), revision: 'no_stream' };
    spaces.set(clusterId, folded);
  }
  evolveNetworkSpace(folded.space, event);
  folded.revision = event.revision;
  return spaces;
}

/**
 * A skipped event of an ipam stream (it did not match its schema) still moves that stream's
 * revision, else every later command on the cluster would conflict with it for good.
 */
export function skipInNetworkSpaces(spaces: NetworkSpaces, event: RecordedEvent): NetworkSpaces {
  const folded = spaces.get(event.stream.slice(event.stream.indexOf('-') + 1));
  if (folded) folded.revision = event.revision;
  return spaces;
}
