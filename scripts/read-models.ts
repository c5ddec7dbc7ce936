import { SwarmEventTypes } from '#contracts';
import { isEventOf, isOfTypes, skippedEvents, type EventStore, type RecordedEvent } from '#eventstore';
import { evolveNetworkSpaces, networkSpaceEventTypes, skipInNetworkSpaces, type NetworkSpaces } from '#network-space';
import { clusterNodesHandles, evolveClusterNodes, newClusterNodes, skipInClusterNodes, type ClusterNodes } from '../apps/node-service/src/projections/cluster-nodes.projection.js';
import { currentTokensHandles, evolveCurrentTokens, initialCurrentTokens, type CurrentTokens } from '../apps/token-service/src/projections/current-tokens.projection.js';
import { SwarmReadModel, type SecretOpener } from '../apps/gateway/src/read-model/swarm-read-model.js';

/** Every read model of the stack, as each process builds it (same evolve functions). */
export interface ReadModels {
  readonly gateway: SwarmReadModel;
  networkSpaces: NetworkSpaces;
  clusterNodes: ClusterNodes;
  tokens: CurrentTokens;
}

export interface RebuildProgress {
  readonly position: number;
  readonly head: number;
  readonly events: number;
  readonly elapsedMs: number;
}

// The handles each process declares, so that a type added to a projection is rebuilt here too.
const GATEWAY = new Set<string>(SwarmReadModel.handles);

/** Folds the whole log, from position 0 to the head at the call, into fresh read models. */
export async function rebuildReadModels(
  store: EventStore,
  openSecret: SecretOpener,
  onProgress: (progress: RebuildProgress) => void = () => undefined,
): Promise<{ models: ReadModels; events: number; elapsedMs: number; head: number; skipped: number }> {
  const models: ReadModels = {
    gateway: new SwarmReadModel(openSecret),
    networkSpaces: new Map(),
    clusterNodes: newClusterNodes(),
    tokens: initialCurrentTokens,
  };
  const head = await store.headPosition();
  const started = performance.now();
  let events = 0;
  let skipped = 0;
  const apply = (event: RecordedEvent): void => {
    events++;
    if (!foldReadable(models, event)) skipped++;
    if (events % 10_000 === 0) onProgress({ position: event.position, head, events, elapsedMs: performance.now() - started });
  };
  if (head > 0) {
    for await (const batch of store.readAllBatches({ toPosition: head })) for (const event of batch) apply(event);
  }
  const elapsedMs = performance.now() - started;
  onProgress({ position: head, head, events, elapsedMs });
  return { models, events, elapsedMs, head, skipped };
}

/**
 * Folds one event into every model, as the processes do: an event that does not match its schema,
 * or that a fold throws on, is skipped and recorded (as `rebuild`), and moves the revisions the
 * models keep. Returns whether it was folded.
 */
function foldReadable(models: ReadModels, event: RecordedEvent): boolean {
  let issue: string | undefined;
  try {
    if (!isEventOf(SwarmEventTypes, event, (why) => (issue = why))) throw new SkippedError(issue ?? `${event.type} is not a swarm event`);
    if (GATEWAY.has(event.type)) models.gateway.apply(event);
    if (isOfTypes(networkSpaceEventTypes, event)) models.networkSpaces = evolveNetworkSpaces(models.networkSpaces, event);
    if (isOfTypes(clusterNodesHandles, event)) models.clusterNodes = evolveClusterNodes(models.clusterNodes, event);
    if (isOfTypes(currentTokensHandles, event)) models.tokens = evolveCurrentTokens(models.tokens, event);
    return true;
  } catch (error) {
    skippedEvents.record('rebuild', event, issue === undefined ? 'apply' : 'schema', error instanceof Error ? error.message : String(error));
    models.gateway.passOver(event);
    models.networkSpaces = skipInNetworkSpaces(models.networkSpaces, event);
    models.clusterNodes = skipInClusterNodes(models.clusterNodes, event);
    return false;
  }
}

class SkippedError extends Error {}
