import { checkHealth, healthProbeFor } from './health-probe.js';

/**
 * The image's health check (`node dist/scripts/healthcheck.js`, see Dockerfile and
 * docker-compose.yml): exit 0 when the app chosen by `APP` is healthy, 1 with the reason on stderr.
 */
try {
  const problem = await checkHealth(healthProbeFor(process.env));
  if (problem !== undefined) {
    process.stderr.write(`unhealthy: ${problem}\n`);
    process.exitCode = 1;
  }
} catch (error) {
  process.stderr.write(`unhealthy: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
