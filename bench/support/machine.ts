import { execFile } from 'node:child_process';
import os from 'node:os';

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly natsServer: string;
  readonly dockerCli: string;
  readonly wrk: string | undefined;
  readonly loadAverage: readonly number[];
}

function firstLine(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(command, [...args], { timeout: 10_000 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') return resolve('not installed');
      resolve(`${stdout}${stderr}`.trim().split('\n')[0] ?? 'unknown');
    });
  });
}

export async function machineInfo(wrk: string | undefined): Promise<MachineInfo> {
  const cpus = os.cpus();
  const natsBin = process.env['NATS_SERVER_BIN'] ?? '/usr/sbin/nats-server';
  const [nats, docker] = await Promise.all([firstLine(natsBin, ['--version']), firstLine('docker', ['--version'])]);
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    natsServer: nats.replace(/^nats-server:\s*/, ''),
    dockerCli: docker.replace(/^Docker version\s*/, ''),
    wrk,
    loadAverage: os.loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

export function gitDescription(root: string): Promise<string> {
  return new Promise((resolve) => {
    execFile('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { timeout: 10_000 }, (error, head) => {
      if (error) return resolve('unknown');
      execFile('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no'], { timeout: 10_000 }, (statusError, status) => {
        resolve(`${head.trim()}${!statusError && status.trim() ? ' (uncommitted changes)' : ''}`);
      });
    });
  });
}
