import { matchesLabels, parseFilters, type Filters } from '#engine-http';
import { DomainError, SwarmErrors, type EventData } from '#contracts';
import type { Versioned } from '../read-model/swarm-read-model.js';

type Network = Versioned<EventData<'NetworkCreated'>>;

const LIST_FILTERS = ['dangling', 'driver', 'id', 'label', 'name', 'scope', 'type'] as const;
const PRUNE_FILTERS = ['label', 'label!', 'until'] as const;

/**
 * `GET /networks` filters as the Engine applies them to swarm networks: `name` exact, `id` prefix,
 * `driver`, `scope` (swarm), `label` (key or key=value), `type` (all swarm networks are custom),
 * `dangling` (no swarm network has containers here, so all are dangling except ingress).
 */
export function networkListFilter(raw: string | undefined): (network: Network) => boolean {
  const filters = parseFilters(raw, LIST_FILTERS);
  for (const type of filters.get('type') ?? []) {
    if (type !== 'custom' && type !== 'builtin') throw new DomainError(SwarmErrors.invalidParameter(`invalid filter: 'type'='${type}'`));
  }
  for (const dangling of filters.get('dangling') ?? []) {
    if (!['true', '1', 'false', '0'].includes(dangling)) {
      throw new DomainError(SwarmErrors.invalidParameter(`invalid value for filter 'dangling', must be "true" (or "1"), or "false" (or "0")`));
    }
  }
  return (network) => {
    const d = network.data;
    return (
      anyOf(filters, 'name', (v) => v === d.name) &&
      anyOf(filters, 'id', (v) => d.networkId.startsWith(v)) &&
      anyOf(filters, 'driver', (v) => v === d.driver) &&
      anyOf(filters, 'scope', (v) => v === 'swarm') &&
      anyOf(filters, 'type', (v) => v === 'custom') &&
      anyOf(filters, 'dangling', (v) => (v === 'true' || v === '1') !== d.ingress) &&
      matchesLabels(d.labels, filters.get('label'))
    );
  };
}

/** `POST /networks/prune` filters: `label`, `label!`, `until` (a time or a duration before now). */
export function networkPruneFilter(raw: string | undefined, now: Date): (network: Network) => boolean {
  const filters = parseFilters(raw, PRUNE_FILTERS);
  const until = (filters.get('until') ?? []).map((v) => parseUntil(v, now));
  return (network) => {
    const d = network.data;
    const created = Date.parse(d.createdAt);
    const excluded = (filters.get('label!') ?? []).some((entry) => matchesLabels(d.labels, [entry]));
    return !d.ingress && matchesLabels(d.labels, filters.get('label')) && !excluded && until.every((u) => created < u);
  };
}

function anyOf(filters: Filters, key: string, test: (value: string) => boolean): boolean {
  const values = filters.get(key);
  return !values || values.length === 0 || values.some(test);
}

const DURATION = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)$/;
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function parseUntil(value: string, now: Date): number {
  const duration = DURATION.exec(value);
  if (duration) return now.getTime() - Number(duration[1]) * UNIT_MS[duration[2]!]!;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new DomainError(SwarmErrors.invalidParameter(`failed to parse value as time or duration: "${value}"`));
  return time;
}
