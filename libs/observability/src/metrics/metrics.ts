/**
 * The process's Prometheus metrics (text exposition format 0.0.4), one registry per process.
 * Label values come from bounded sets only (route patterns, subjects, stream categories), never
 * from URLs or IDs, so the number of series stays small whatever the traffic.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { HotCounter, HotHistogram } from './hot-metrics.js';

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

/** Seconds; from 0.25 ms (a read served from the read model) to 10 s (the RPC timeout). */
const LATENCY_BUCKETS = [0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const Metrics = {
  /** Labels `method`, `route`, `status`. */
  httpRequests: new HotCounter(
    'swarmplane_http_requests_total',
    'HTTP requests answered, by method, route pattern and status code.',
    metricsRegistry,
  ),
  /** Labels `method`, `route`. */
  httpDuration: new HotHistogram(
    'swarmplane_http_request_duration_seconds',
    'Time from the request to the end of the response, by method and route pattern.',
    LATENCY_BUCKETS,
    metricsRegistry,
  ),
  /** Label `category`. */
  appends: new HotCounter(
    'swarmplane_eventstore_appends_total',
    'Successful appends to the event store, by stream category (the stream name before its first "-").',
    metricsRegistry,
  ),
  /** Label `category`. */
  appendedEvents: new HotCounter('swarmplane_eventstore_appended_events_total', 'Events appended to the event store, by stream category.', metricsRegistry),
  /** No labels. */
  appendDuration: new HotHistogram(
    'swarmplane_eventstore_append_duration_seconds',
    'Latency of event store appends (successful or not).',
    LATENCY_BUCKETS,
    metricsRegistry,
  ),
  appendConflicts: new Counter({
    name: 'swarmplane_eventstore_append_conflicts_total',
    help: 'Appends refused because the stream was not at the expected revision, by stream category.',
    labelNames: ['category'] as const,
    registers: [metricsRegistry],
  }),
  commandRetries: new Counter({
    name: 'swarmplane_command_retries_total',
    help: 'Commands decided again after an append conflict, by stream category.',
    labelNames: ['category'] as const,
    registers: [metricsRegistry],
  }),
  projectionPosition: new Gauge({
    name: 'swarmplane_projection_position',
    help: 'Global log position the read model has applied.',
    labelNames: ['projection'] as const,
    registers: [metricsRegistry],
  }),
  projectionLag: new Gauge({
    name: 'swarmplane_projection_lag_events',
    help: 'Log positions between the head of the event log and the read model (0 = up to date).',
    labelNames: ['projection'] as const,
    registers: [metricsRegistry],
  }),
  logHead: new Gauge({
    name: 'swarmplane_eventstore_head_position',
    help: 'Global position of the last event in the log, as last probed.',
    registers: [metricsRegistry],
  }),
  /** Labels `subject`, `outcome`. */
  rpcRequests: new HotCounter(
    'swarmplane_rpc_requests_total',
    'NATS request/reply calls to the services, by subject and outcome (ok, error: a domain error reply, failed: timeout or transport).',
    metricsRegistry,
  ),
  /** Label `subject`. */
  rpcDuration: new HotHistogram('swarmplane_rpc_duration_seconds', 'Latency of NATS request/reply calls, by subject.', LATENCY_BUCKETS, metricsRegistry),
  skippedEvents: new Counter({
    name: 'swarmplane_eventstore_skipped_events_total',
    help: 'Stored events a reader skipped (each reader and position once): schema = the event does not match its schema or its type is unknown, apply = folding it threw.',
    labelNames: ['reader', 'cause'] as const,
    registers: [metricsRegistry],
  }),
  up: new Gauge({
    name: 'swarmplane_dependency_up',
    help: '1 when the last health probe of the dependency (bus, store) succeeded, else 0.',
    labelNames: ['dependency'] as const,
    registers: [metricsRegistry],
  }),
} as const;

/**
 * Keeps a label's values to a bounded set: the first `max` distinct values pass, later new ones
 * become `other`.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  of(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return 'other';
    this.seen.add(value);
    return value;
  }
}

const categories = new BoundedLabel(32);

/** `network-abc` -> `network`, `membership` -> `membership`: the aggregate type of a stream. */
export function streamCategory(stream: string): string {
  const dash = stream.indexOf('-');
  const category = dash < 0 ? stream : stream.slice(0, dash);
  return /^[A-Za-z0-9_]{1,40}$/.test(category) ? categories.of(category) : 'other';
}

/** The registry in the text exposition format, with its content type. */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  return { contentType: metricsRegistry.contentType, body: await metricsRegistry.metrics() };
}
