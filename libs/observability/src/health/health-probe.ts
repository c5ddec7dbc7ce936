/**
 * A process's health from its dependencies (the bus, the store, the services), probed at most once per `ttlMs`:
 * `/_ping` is called often (the docker CLI pings before most commands, benchmarks far more), so
 * callers within the TTL share the last result and concurrent callers share one probe.
 */

export interface HealthCheck {
  /** Shown in the failure message and as the `dependency` label of `swarmplane_dependency_up`. */
  readonly name: string;
  /** Resolves when the dependency answers; rejects (or outlives the timeout) when it does not. */
  readonly probe: () => Promise<unknown>;
}

export interface HealthStatus {
  readonly healthy: boolean;
  /** `<name>: <reason>` for each failed check. */
  readonly failures: readonly string[];
  /** The names of the failed checks. */
  readonly down: readonly string[];
  /** When the probe finished (ms since the epoch). */
  readonly checkedAt: number;
}

export interface HealthProbeOptions {
  /** How long a result is reused; default 1000 ms. */
  readonly ttlMs?: number;
  /** A check that has not answered by then fails; default 1000 ms. */
  readonly timeoutMs?: number;
  /** Called with each check's outcome (e.g. to set a gauge). */
  readonly onResult?: (name: string, up: boolean) => void;
  readonly now?: () => number;
}

export class HealthProbe {
  private last: HealthStatus | undefined;
  private running: Promise<HealthStatus> | undefined;
  private readonly ttlMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly checks: readonly HealthCheck[], private readonly options: HealthProbeOptions = {}) {
    this.ttlMs = options.ttlMs ?? 1000;
    this.timeoutMs = options.timeoutMs ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /** The last result while it is fresh, else undefined. */
  fresh(): HealthStatus | undefined {
    const last = this.last;
    return last !== undefined && this.now() - last.checkedAt < this.ttlMs ? last : undefined;
  }

  /** The fresh result, or the result of a probe (shared with concurrent callers). */
  status(): Promise<HealthStatus> {
    const fresh = this.fresh();
    return fresh ? Promise.resolve(fresh) : this.refresh();
  }

  /**
   * A new probe, fresh result or not (shared with a probe already under way): for a background
   * timer that keeps the result fresh, so that callers of `status()` never wait for one.
   */
  refresh(): Promise<HealthStatus> {
    this.running ??= this.probe().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async probe(): Promise<HealthStatus> {
    const outcomes = await Promise.all(this.checks.map(async (check) => ({ name: check.name, failure: await this.run(check) })));
    const failed = outcomes.filter((o): o is { name: string; failure: string } => o.failure !== undefined);
    this.last = { healthy: failed.length === 0, failures: failed.map((o) => o.failure), down: failed.map((o) => o.name), checkedAt: this.now() };
    return this.last;
  }

  private async run(check: HealthCheck): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      await Promise.race([check.probe(), timeout]);
      this.options.onResult?.(check.name, true);
      return undefined;
    } catch (error) {
      this.options.onResult?.(check.name, false);
      return `${check.name}: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      clearTimeout(timer);
    }
  }
}
