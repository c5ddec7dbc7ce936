import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { afterEach, describe, it } from 'node:test';
import { outputMatches, Supervised, type Backoff } from './supervisor.js';

/** Short delays so that a crash loop runs in a fraction of a second. */
const FAST: Backoff = { initialMs: 20, maxMs: 80, resetAfterMs: 400 };

/** A node process running `script`, ready when it prints `ready`. */
function supervise(script: string, backoff = FAST): { replica: Supervised; lines: string[] } {
  const lines: string[] = [];
  const replica = new Supervised({
    name: 'demo#0',
    spawn: () => spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] }),
    ready: (child) => outputMatches(child, /ready/),
    log: (line) => lines.push(line),
    backoff,
  });
  running.push(replica);
  return { replica, lines };
}

const running: Supervised[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((replica) => replica.stop('SIGKILL')));
});

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(condition(), what);
}

describe('Supervised', () => {
  it('starts a killed process again and says which, why and when', async () => {
    const { replica, lines } = supervise("console.log('ready'); setInterval(() => {}, 1000)");
    await replica.ready;
    const first = replica.child.pid;
    const killed = await replica.kill('SIGKILL');
    assert.equal(killed, first);
    const back = await replica.whenReady();
    assert.notEqual(back.pid, first);
    assert.equal(replica.restarts, 1);
    assert.match(lines[0] ?? '', new RegExp(`^demo#0 \\(pid ${first}\\) was ended by SIGKILL after \\d+\\.\\d s, not asked to: restart 1 in 20 ms$`));
    assert.match(lines[1] ?? '', new RegExp(`^demo#0 is ready again as pid ${back.pid} \\(restart 1\\)$`));
  });

  it('backs off a crash loop, doubling up to the cap, and shows the last output of a process that was never ready', async () => {
    // A reset only after a minute: a node process can take longer than FAST's 400 ms to start and
    // exit on a loaded machine, which would count as a run long enough to reset the delay.
    const { replica, lines } = supervise("console.error('config: NATS_URL is not a URL'); process.exit(2)", { ...FAST, resetAfterMs: 60_000 });
    await assert.rejects(replica.ready, /demo#0 exited with code 2 before it was ready:\nconfig: NATS_URL is not a URL/);
    await until(() => lines.length >= 4, 'four crashes');
    const delays = lines.slice(0, 4).map((line) => Number(/in (\d+) ms/.exec(line)?.[1]));
    assert.deepEqual(delays, [20, 40, 80, 80]);
    assert.deepEqual(
      lines.slice(0, 4).map((line) => Number(/restart (\d+)/.exec(line)?.[1])),
      [1, 2, 3, 4],
      'the count of restarts shows the loop',
    );
    assert.match(lines[0] ?? '', /exited with code 2 after .* it was not ready yet, its last output: \["config: NATS_URL is not a URL"\]$/);
  });

  it('starts from the shortest delay again once a run lasted long enough', async () => {
    const { replica, lines } = supervise("console.log('ready'); setTimeout(() => process.exit(1), 0)", { ...FAST, resetAfterMs: 300 });
    const delays = (of: string[]): (string | undefined)[] => of.filter((line) => line.includes(' exited ')).slice(0, 2).map((line) => /in (\d+) ms/.exec(line)?.[1]);
    await until(() => delays(lines).length >= 2, 'two quick crashes');
    assert.deepEqual(delays(lines), ['20', '40']);
    await replica.stop();
    const slow = supervise("console.log('ready'); setTimeout(() => process.exit(1), 350)", { ...FAST, resetAfterMs: 300 });
    await until(() => delays(slow.lines).length >= 2, 'two crashes after long runs');
    assert.deepEqual(delays(slow.lines), ['20', '20']);
  });

  it('restarts nothing that was stopped on purpose', async () => {
    const { replica, lines } = supervise("console.log('ready'); setInterval(() => {}, 1000)");
    await replica.ready;
    const child = replica.child;
    await replica.stop();
    assert.equal(child.signalCode, 'SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(replica.child, child, 'no new process');
    assert.deepEqual(lines, []);
  });

  it('restarts nothing that exits once a shutdown began, even on a signal from elsewhere', async () => {
    const { replica, lines } = supervise("console.log('ready'); setInterval(() => {}, 1000)");
    await replica.ready;
    const child = replica.child;
    replica.stopRestarting();
    process.kill(child.pid!, 'SIGINT');
    await new Promise((resolve) => child.once('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(replica.child, child);
    assert.deepEqual(lines, []);
  });
});
