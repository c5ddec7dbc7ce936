export { HealthProbe } from './health-probe.js';
export type { HealthCheck, HealthProbeOptions, HealthStatus } from './health-probe.js';
