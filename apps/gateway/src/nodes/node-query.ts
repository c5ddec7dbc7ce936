import { DomainError, SwarmErrors } from '#contracts';
import { matchesLabels, parseFilters } from '#engine-http';
import type { NodeView, Versioned } from '../read-model/swarm-read-model.js';

const NODE_FILTERS = ['id', 'label', 'membership', 'name', 'node.label', 'role'] as const;

/**
 * `GET /nodes` filters: `id` and `name` by prefix, `role` (manager|worker), `membership`
 * (accepted|pending), `node.label` (key or key=value). Engine labels (`label`) are none here.
 */
export function nodeListFilter(raw: string | undefined): (node: Versioned<NodeView>) => boolean {
  const filters = parseFilters(raw, NODE_FILTERS);
  for (const role of filters.get('role') ?? []) {
    if (role !== 'manager' && role !== 'worker') throw new DomainError(SwarmErrors.invalidParameter(`Invalid role filter: '${role}'`));
  }
  for (const membership of filters.get('membership') ?? []) {
    if (membership !== 'accepted' && membership !== 'pending') {
      throw new DomainError(SwarmErrors.invalidParameter(`Invalid membership filter: '${membership}'`));
    }
  }
  const any = (key: string, test: (value: string) => boolean): boolean => {
    const values = filters.get(key);
    return !values || values.length === 0 || values.some(test);
  };
  return (node) => {
    const d = node.data;
    return (
      any('id', (v) => d.nodeId.startsWith(v)) &&
      any('name', (v) => d.engine.hostname.startsWith(v)) &&
      any('role', (v) => v === d.role) &&
      any('membership', (v) => v === 'accepted') &&
      matchesLabels(d.labels, filters.get('node.label')) &&
      (filters.get('label') ?? []).length === 0
    );
  };
}
