import { readFileSync } from 'node:fs';

/** CPU seconds (user + system) a process has used so far, from /proc; undefined when unknown. */
export function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return (utime + stime) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** Measures the CPU a process and this process use while `work` runs, as % of one core. */
export async function withCpu<T>(serverPid: number | undefined, work: () => Promise<T>): Promise<{ result: T; serverCpu?: number; clientCpu: number }> {
  const serverBefore = processCpuSeconds(serverPid);
  const clientBefore = process.cpuUsage();
  const start = process.hrtime.bigint();
  const result = await work();
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const client = process.cpuUsage(clientBefore);
  const serverAfter = processCpuSeconds(serverPid);
  const clientCpu = Math.round(((client.user + client.system) / 1e6 / wall) * 100);
  return serverBefore !== undefined && serverAfter !== undefined
    ? { result, serverCpu: Math.round(((serverAfter - serverBefore) / wall) * 100), clientCpu }
    : { result, clientCpu };
}

export interface ProcessMemory {
  /** VmRSS: resident now, MiB. */
  readonly rssMiB: number;
  /** VmHWM: the highest resident size so far, MiB. */
  readonly peakMiB: number;
}

/** Resident memory of a process from /proc/<pid>/status (VmRSS, VmHWM); undefined when unknown. */
export function processMemory(pid: number | undefined): ProcessMemory | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssMiB: Math.round((kib('VmRSS') / 1024) * 10) / 10, peakMiB: Math.round((kib('VmHWM') / 1024) * 10) / 10 };
  } catch {
    return undefined;
  }
}

/** CPU seconds the whole machine has spent busy (all cores, not idle nor iowait), from /proc/stat. */
export function machineBusySeconds(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return (user + nice + system + irq + softirq + steal) / 100;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) of this process's children that have ended and been waited for. */
export function endedChildrenCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100; // cutime, cstime
  } catch {
    return undefined;
  }
}

/** CPU seconds the hypervisor gave other guests while this machine wanted them (steal), from /proc/stat. */
export function machineStealSeconds(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    return (fields[7] ?? 0) / 100;
  } catch {
    return undefined;
  }
}
