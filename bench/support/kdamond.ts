/**
 * CPU of the `kdamond` kernel threads (DAMON). On the machines of this workplace one runs every
 * ~550 ms (proactive reclaim set up by the VM) and, while the stack keeps both cores busy, its
 * 10-25 ms bursts show up as simultaneous event-loop stalls of 30-60 ms in every process of the
 * stack (seen with `perf record -a` and lag monitors; see the README's performance section). The
 * bench reports its CPU during each level so that a slow tail can be set beside it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { processCpuSeconds } from './proc.js';

/** PIDs of the kernel threads named kdamond.* (none on most machines). */
export function kdamondPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').startsWith('kdamond')) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Their CPU seconds so far; undefined when the machine has none. */
export function kdamondCpuSeconds(pids: readonly number[]): number | undefined {
  if (pids.length === 0) return undefined;
  let sum = 0;
  for (const pid of pids) sum += processCpuSeconds(pid) ?? 0;
  return sum;
}
