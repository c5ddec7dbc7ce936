export { BoundedLabel, Metrics, metricsRegistry, renderMetrics, streamCategory } from './metrics.js';
export { startMetricsServer } from './metrics-server.js';
