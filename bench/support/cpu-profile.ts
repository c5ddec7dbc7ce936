/**
 * CPU profiles of the stack's processes for a chosen window (see cpu-profiler-preload.ts), and a
 * summary of each: busy time, self time by category and by function, inclusive time of our own
 * functions (synchronous part: an `await` ends what V8 attributes to the caller).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { table } from './report.js';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: number[];
}
interface CpuProfile {
  readonly nodes: ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: number[];
  readonly timeDeltas: number[];
}

/** Environment for startStack(): every node process of the stack loads the profiler hook. */
export function profilerEnv(dir: string): Record<string, string> {
  const preload = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cpu-profiler-preload.js');
  const existing = process.env['NODE_OPTIONS'];
  return { NODE_OPTIONS: `${existing ? `${existing} ` : ''}--import=${pathToFileURL(preload).href}`, BENCH_CPU_PROFILE_DIR: dir };
}

/** Starts or stops the profilers (SIGWINCH, by PID: processes the bench started). */
export function toggleProfilers(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGWINCH');
    } catch {
      // gone
    }
  }
}

/** Waits (bounded) for `<app>-<pid>-<window>.cpuprofile` of each process; returns the files found. */
export async function collectProfiles(dir: string, processes: readonly { app: string; pid: number }[], window: number, timeoutMs = 30_000): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const { app, pid } of processes) {
      const file = path.join(dir, `${app}-${pid}-${window}.cpuprofile`);
      if (!files.has(app) && existsSync(file)) files.set(app, file);
    }
    if (files.size === processes.length) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return files;
}

export interface ProfileSummary {
  /** Length of the profiled window, ms. */
  readonly wallMs: number;
  /** Time not idle (JS, GC, native work outside JS), ms. */
  readonly busyMs: number;
  readonly gcMs: number;
  /** `(program)`: native work outside any JS frame (e.g. TLS and socket I/O in C++, the event loop). */
  readonly programMs: number;
  readonly categories: { readonly name: string; readonly ms: number }[];
  readonly selfTop: { readonly name: string; readonly where: string; readonly ms: number }[];
  readonly inclusiveTop: { readonly name: string; readonly where: string; readonly ms: number }[];
}

export function summarizeProfile(file: string, top = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) byId.set(node.id, node);
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  // Self time per node: each sample is charged the time until the next one.
  const selfUs = new Map<number, number>();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] as number;
    const delta = timeDeltas[i + 1] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, delta));
  }

  const categories = new Map<string, number>();
  const selfByFunction = new Map<string, { name: string; where: string; us: number }>();
  let idle = 0;
  let gc = 0;
  let program = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    if (frame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    if (frame.functionName === '(garbage collector)') gc += us;
    if (frame.functionName === '(program)') program += us;
    // Native frames (no url) are charged to the nearest caller with one: crypto's native `init`
    // to node crypto, socket `writeBuffer` to node net, and so on.
    let owner: CallFrame = frame;
    if (!frame.url && !frame.functionName.startsWith('(') && !/^(parse|stringify)$/.test(frame.functionName)) {
      for (let node = parent.get(id); node !== undefined; node = parent.get(node)) {
        const up = byId.get(node)?.callFrame;
        if (up?.url) {
          owner = up;
          break;
        }
      }
    }
    const category = categorize(owner);
    categories.set(category, (categories.get(category) ?? 0) + us);
    const key = `${frame.functionName}@${frame.url}:${frame.lineNumber}`;
    const entry = selfByFunction.get(key) ?? { name: frame.functionName || '(anonymous)', where: where(frame), us: 0 };
    entry.us += us;
    selfByFunction.set(key, entry);
  }

  // Inclusive time of each of our functions: a node's subtree, not counted twice under recursion.
  const inclusive = new Map<string, { name: string; where: string; us: number }>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const frame = byId.get(node)?.callFrame;
      if (!frame || !isOurs(frame) || !frame.functionName) continue;
      const key = `${frame.functionName}@${frame.url}:${frame.lineNumber}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = inclusive.get(key) ?? { name: frame.functionName, where: where(frame), us: 0 };
      entry.us += us;
      inclusive.set(key, entry);
    }
  }

  const ms = (us: number): number => Math.round(us / 100) / 10;
  const wallUs = profile.endTime - profile.startTime;
  return {
    wallMs: ms(wallUs),
    busyMs: ms(wallUs - idle),
    gcMs: ms(gc),
    programMs: ms(program),
    categories: [...categories].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: ms(us) })),
    selfTop: [...selfByFunction.values()].sort((a, b) => b.us - a.us).slice(0, top).map((e) => ({ name: e.name, where: e.where, ms: ms(e.us) })),
    inclusiveTop: [...inclusive.values()].sort((a, b) => b.us - a.us).slice(0, top).map((e) => ({ name: e.name, where: e.where, ms: ms(e.us) })),
  };
}

function isOurs(frame: CallFrame): boolean {
  return /\/dist\/(apps|libs)\//.test(frame.url);
}

function where(frame: CallFrame): string {
  if (!frame.url) return '(native)';
  const ours = /\/dist\/((?:apps|libs)\/.*)$/.exec(frame.url);
  if (ours) return `${ours[1]}:${frame.lineNumber + 1}`;
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(frame.url);
  if (module) return `${module[1]}/${path.basename(module[2] ?? '')}:${frame.lineNumber + 1}`;
  return `${frame.url.replace(/^file:\/\//, '')}:${frame.lineNumber + 1}`;
}

/** A coarse bucket for a frame's self time. */
export function categorize(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)') return '(program): native outside JS';
  if (!url) return /^(parse|stringify)$/.test(functionName) ? 'JSON parse/stringify' : 'V8 builtins / native (no JS caller)';
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  if (module) {
    if (module.startsWith('@nats-io/')) return 'NATS client (@nats-io)';
    if (module.startsWith('@nestjs/')) return 'NestJS';
    if (module === 'rxjs') return 'rxjs';
    if (/fastify|find-my-way|avvio|light-my-request|fast-json|secure-json/.test(module)) return 'fastify';
    if (/pino|sonic-boom/.test(module)) return 'logging (pino)';
    if (module === 'node-forge') return 'node-forge (ASN.1)';
    return `npm: ${module}`;
  }
  const ours = /\/dist\/((?:apps|libs)\/[^/]+)\//.exec(url)?.[1];
  if (ours) return `ours: ${ours}`;
  if (/^node:(internal\/)?crypto|internal\/crypto/.test(url)) return 'node crypto (sign/verify/keys/cipher)';
  if (/tls|_tls/.test(url)) return 'node TLS';
  if (/^node:(internal\/)?(net|stream|streams|http|_http|dns|timers|buffer|events|util)|internal\/(streams|http|timers|buffer|event)/.test(url) || /^node:(net|http|https|stream|events|buffer)$/.test(url)) {
    return 'node net/http/streams/timers';
  }
  if (url.startsWith('node:')) return 'node other internals';
  return 'other';
}

/** One process's profile: busy time per operation, self time by category, top functions. */
export function printProfile(ctx: { print(text: string): void }, app: string, p: ProfileSummary, ops: number, what: string, top = 10): void {
  const per = (ms: number): number => Math.round((ms / Math.max(1, ops)) * 1000) / 1000;
  ctx.print(`\n  ${app}: busy ${p.busyMs} ms of ${p.wallMs} ms = ${per(p.busyMs)} ms/${what} (GC ${p.gcMs} ms, native outside JS ${p.programMs} ms)`);
  ctx.print(table(['self time by category', 'ms', `ms/${what}`], p.categories.slice(0, top).map((c) => [c.name, c.ms, per(c.ms)]), '    '));
  ctx.print(table(['top self functions', 'where', 'ms'], p.selfTop.slice(0, top).map((s) => [s.name, s.where, s.ms]), '    '));
  ctx.print(table(['our functions, inclusive (sync part)', 'where', 'ms'], p.inclusiveTop.slice(0, top).map((s) => [s.name, s.where, s.ms]), '    '));
}
