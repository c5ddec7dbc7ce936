export { BoundedLabel, Metrics, metricsRegistry, renderMetrics, streamCategory } from './metrics.js';
export { InstrumentedEventStore, countCommandRetries, countSkippedEvents } from './instrumented-event-store.js';
export { startMetricsServer } from './metrics-server.js';
