import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface KeyAndCsr {
  readonly keyPem: string;
  readonly csrPem: string;
}

export interface KeygenResult {
  readonly pairs: KeyAndCsr[];
  /** Time the children spent generating (their own clocks), ms. */
  readonly generateMs: number;
  /** Children that stopped making progress and were killed (see keygen-child.ts). */
  readonly stalls: number;
}

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'keygen-child.js');

/**
 * N key + CSR pairs from `generateNodeKeyAndCsr()`, made in child processes: a child that writes
 * nothing for `stallMs` is killed (by PID) and another one makes the rest. Bounded: at most
 * `maxChildren` children.
 */
export async function generateKeysAndCsrs(count: number, stallMs = 5_000, maxChildren = 20): Promise<KeygenResult> {
  const pairs: KeyAndCsr[] = [];
  let generateMs = 0;
  let stalls = 0;
  for (let children = 0; pairs.length < count; children++) {
    if (children >= maxChildren) throw new Error(`keygen: ${maxChildren} children and only ${pairs.length} of ${count} pairs`);
    const wanted = count - pairs.length;
    const outcome = await new Promise<{ stalled: boolean; ms: number }>((resolve, reject) => {
      const proc = spawn(process.execPath, [child, String(wanted)], { stdio: ['ignore', 'pipe', 'inherit'] });
      let rest = '';
      let ms = 0;
      let timer = setTimeout(() => stall(), stallMs);
      const stall = (): void => {
        proc.kill('SIGKILL');
        resolve({ stalled: true, ms });
      };
      proc.stdout.setEncoding('utf8');
      proc.stdout.on('data', (chunk: string) => {
        clearTimeout(timer);
        timer = setTimeout(() => stall(), stallMs);
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) {
          const parsed = JSON.parse(line) as KeyAndCsr & { done?: number; ms?: number };
          if (parsed.done !== undefined) ms = parsed.ms ?? 0;
          else pairs.push({ keyPem: parsed.keyPem, csrPem: parsed.csrPem });
        }
      });
      proc.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      proc.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (signal === 'SIGKILL') return;
        if (code !== 0) reject(new Error(`keygen child exited with ${code}`));
        else resolve({ stalled: false, ms });
      });
    });
    generateMs += outcome.ms;
    if (outcome.stalled) stalls++;
  }
  return { pairs: pairs.slice(0, count), generateMs, stalls };
}
