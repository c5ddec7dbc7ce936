/** The audit API's OpenAPI 3.0 description, served at /audit/openapi.json and rendered at /audit. */
export const AUDIT_OPENAPI: Record<string, unknown> = {
  openapi: '3.0.3',
  info: {
    title: 'swarmplane audit API',
    version: '1',
    description:
      'The full history of the swarm control plane (every event, with actor, correlation id, causation id, time and position), the state at any past time or position, and the history of join token rotations and CA changes. Secrets never appear: sealed values read "[sealed]" and tokens are shown by fingerprint (HMAC-SHA256 under a key derived from the key-encryption key).',
  },
  paths: {
    '/audit/events': {
      get: {
        summary: 'The raw history, in log order',
        parameters: [
          { name: 'stream', in: 'query', schema: { type: 'string' }, description: 'e.g. membership, cluster-<id>, node-<id>, ipam-<id>, jointokens-<id>, ca-<id>' },
          { name: 'type', in: 'query', schema: { type: 'string' }, description: 'event type, e.g. NetworkCreated' },
          { name: 'actor', in: 'query', schema: { type: 'string' }, description: 'e.g. api:unix (the unix socket), api:127.0.0.1, service:node-service, node:<id>' },
          { name: 'correlationId', in: 'query', schema: { type: 'string' } },
          { name: 'since', in: 'query', schema: { type: 'string' }, description: 'RFC 3339 or unix seconds' },
          { name: 'until', in: 'query', schema: { type: 'string' }, description: 'RFC 3339 or unix seconds' },
          { name: 'fromPosition', in: 'query', schema: { type: 'integer' } },
          { name: 'toPosition', in: 'query', schema: { type: 'integer' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', default: 1000, maximum: 10000 } },
        ],
        responses: { '200': { description: 'events', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/RecordedEvent' } } } } } },
      },
    },
    '/audit/state': {
      get: {
        summary: 'The swarm, its nodes, networks and token fingerprints as they were',
        parameters: [
          { name: 'at', in: 'query', schema: { type: 'string' }, description: 'RFC 3339 or unix seconds; default now' },
          { name: 'position', in: 'query', schema: { type: 'integer' }, description: 'the log position to stop at (inclusive)' },
        ],
        responses: { '200': { description: 'state', content: { 'application/json': { schema: { $ref: '#/components/schemas/State' } } } } },
      },
    },
    '/audit/rotations': {
      get: {
        summary: 'Root CA creations, join token issues, rotations and ages passed, unlock keys issued and removed, by fingerprint',
        responses: { '200': { description: 'history', content: { 'application/json': { schema: { type: 'array', items: { type: 'object' } } } } } },
      },
    },
    '/audit/skipped-events': {
      get: {
        summary: 'Events no reader can apply: invalid ones in the log, and what the readers of this gateway skipped',
        parameters: [
          { name: 'since', in: 'query', schema: { type: 'string' }, description: 'RFC 3339 or unix seconds' },
          { name: 'until', in: 'query', schema: { type: 'string' }, description: 'RFC 3339 or unix seconds' },
          { name: 'fromPosition', in: 'query', schema: { type: 'integer' } },
          { name: 'toPosition', in: 'query', schema: { type: 'integer' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', default: 1000, maximum: 10000 }, description: 'of invalid events' },
        ],
        responses: { '200': { description: 'skipped events', content: { 'application/json': { schema: { $ref: '#/components/schemas/SkippedEvents' } } } } },
      },
    },
  },
  components: {
    schemas: {
      RecordedEvent: {
        type: 'object',
        required: ['id', 'type', 'schemaVersion', 'stream', 'revision', 'position', 'time', 'metadata', 'data'],
        properties: {
          id: { type: 'string' },
          type: { type: 'string' },
          schemaVersion: { type: 'integer' },
          stream: { type: 'string' },
          revision: { type: 'integer' },
          position: { type: 'integer' },
          time: { type: 'string', description: 'RFC 3339, 9 fractional digits' },
          metadata: {
            type: 'object',
            properties: { correlationId: { type: 'string' }, causationId: { type: 'string' }, actor: { type: 'string' } },
          },
          data: { type: 'object' },
        },
      },
      SkippedEvents: {
        type: 'object',
        required: ['invalid', 'skipped'],
        properties: {
          invalid: {
            type: 'array',
            description: 'Events of the log that do not match the schema of their type and version (or whose type is unknown, or that are not events: type $undecodable). Every reader skips them.',
            items: {
              type: 'object',
              required: ['position', 'stream', 'id', 'type', 'schemaVersion', 'time', 'reason'],
              properties: {
                position: { type: 'integer' },
                stream: { type: 'string' },
                id: { type: 'string' },
                type: { type: 'string' },
                schemaVersion: { type: 'integer' },
                time: { type: 'string' },
                actor: { type: 'string' },
                reason: { type: 'string', description: 'the first schema issue, e.g. data.engine must be object' },
              },
            },
          },
          skipped: {
            type: 'array',
            description: 'What the readers of this gateway process skipped since it started (each reader and position once; the last 1000).',
            items: {
              type: 'object',
              required: ['reader', 'position', 'stream', 'id', 'type', 'schemaVersion', 'cause', 'reason', 'skippedAt'],
              properties: {
                reader: { type: 'string', description: 'e.g. gateway read model, docker events, audit state' },
                position: { type: 'integer' },
                stream: { type: 'string' },
                id: { type: 'string' },
                type: { type: 'string' },
                schemaVersion: { type: 'integer' },
                cause: { type: 'string', enum: ['schema', 'apply'] },
                reason: { type: 'string' },
                skippedAt: { type: 'string' },
              },
            },
          },
        },
      },
      State: {
        type: 'object',
        properties: {
          position: { type: 'integer' },
          time: { type: 'string', nullable: true },
          swarm: { type: 'object', nullable: true, description: 'as GET /swarm, without JoinTokens, with JoinTokenFingerprints' },
          nodes: { type: 'array', items: { type: 'object' }, description: 'as GET /nodes' },
          networks: { type: 'array', items: { type: 'object' }, description: 'as GET /networks' },
        },
      },
    },
  },
};

function renderPage(doc: Record<string, unknown>): string {
  const info = doc.info as { title: string; description: string };
  const paths = doc.paths as Record<string, { get: { summary: string; parameters?: { name: string; description?: string }[] } }>;
  const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const rows = Object.entries(paths)
    .map(([path, { get }]) => {
      const params = (get.parameters ?? []).map((p) => `<li><code>${p.name}</code> ${escape(p.description ?? '')}</li>`).join('');
      return `<h2><code>GET ${path}</code></h2><p>${escape(get.summary)}</p><ul>${params}</ul>`;
    })
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escape(info.title)}</title></head><body><h1>${escape(info.title)}</h1><p>${escape(info.description)}</p><p>Machine-readable: <a href="/audit/openapi.json">/audit/openapi.json</a></p>${rows}</body></html>\n`;
}

export const AUDIT_PAGE = renderPage(AUDIT_OPENAPI);
