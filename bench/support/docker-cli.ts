import { execFile } from 'node:child_process';
import { elapsedMs } from './stats.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time from spawn to exit, process start included. */
  readonly ms: number;
}

/** Runs the real docker CLI against `dockerHost` with a private config dir; 60 s at most. */
export function runDocker(dockerHost: string, configDir: string, args: readonly string[]): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: dockerHost, DOCKER_CONFIG: configDir };
  for (const name of ['DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_API_VERSION']) delete env[name];
  const start = process.hrtime.bigint();
  return new Promise((resolve) => {
    execFile(
      'docker',
      [...args],
      {
        env,
        timeout: 60_000,
        killSignal: 'SIGKILL',
      },
      (error, stdout, stderr) => {
        const ms = elapsedMs(start);
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr, ms });
      },
    );
  });
}
