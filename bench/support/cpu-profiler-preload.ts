/**
 * Loaded into a stack process with `NODE_OPTIONS=--import=<this file>` and
 * `BENCH_CPU_PROFILE_DIR=<dir>` (see cpu-profile.ts). SIGWINCH starts V8's sampling profiler, the
 * next SIGWINCH stops it and writes `<app>-<pid>-<n>.cpuprofile` (n counts windows), written under
 * a temporary name and renamed, so a file that exists is complete. `--cpu-prof` would profile the
 * whole life of the process and is not written when the process dies of SIGTERM (as Nest's
 * shutdown hook makes it), so the window is chosen from outside instead. Not SIGUSR2: Nest's
 * `enableShutdownHooks()` treats SIGUSR2 as a shutdown signal; SIGWINCH is ignored by default, so
 * a process without this hook is not harmed by it.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';

const dir = process.env['BENCH_CPU_PROFILE_DIR'];
const intervalUs = Number(process.env['BENCH_CPU_PROFILE_INTERVAL_US'] ?? 250);

if (dir) {
  const app = /apps\/([^/]+)\//.exec(process.argv[1] ?? '')?.[1] ?? path.basename(process.argv[1] ?? 'node', '.js');
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
  let running = false;
  let busy = false;
  let windows = 0;
  const toggle = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      if (!running) {
        await post('Profiler.enable');
        await post('Profiler.setSamplingInterval', { interval: intervalUs });
        await post('Profiler.start');
        running = true;
      } else {
        const { profile } = (await post('Profiler.stop')) as { profile: unknown };
        running = false;
        const file = path.join(dir, `${app}-${process.pid}-${windows++}.cpuprofile`);
        writeFileSync(`${file}.tmp`, JSON.stringify(profile));
        renameSync(`${file}.tmp`, file);
      }
    } catch (error) {
      process.stderr.write(`cpu profiler: ${(error as Error).message}\n`);
    } finally {
      busy = false;
    }
  };
  process.on('SIGWINCH', () => void toggle());
}
