import { DomainError, SwarmErrors, isErrorPayload } from '#contracts';
import type { ClientProxy } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';
import { BoundedLabel, Metrics } from './metrics/metrics.js';

export const RPC_CLIENT = Symbol('RPC_CLIENT');

const subjects = new BoundedLabel(64);

/** The NATS connection under NestJS's client, as far as the health probe uses it. */
interface RoundTrip {
  rtt(): Promise<number>;
}

/** Request/reply over NATS through NestJS's client; error replies come back as DomainErrors. */
export class RpcClient {
  constructor(private readonly client: ClientProxy, private readonly timeoutMs = 10_000) {}

  async request<TReply>(subject: string, payload: unknown): Promise<TReply> {
    const label = subjects.of(subject);
    const stopTimer = Metrics.rpcDuration.startTimer({ subject: label });
    let outcome = 'ok';
    try {
      return await firstValueFrom(this.client.send<TReply>(subject, payload).pipe(timeout(this.timeoutMs)));
    } catch (error) {
      if (isErrorPayload(error)) {
        outcome = 'error';
        throw new DomainError(error);
      }
      outcome = 'failed';
      const message = error instanceof Error ? error.message : JSON.stringify(error);
      throw new DomainError(SwarmErrors.system(`${subject}: ${message}`));
    } finally {
      stopTimer();
      Metrics.rpcRequests.inc({ subject: label, outcome });
    }
  }

  /** Fire and forget: an event on `subject` for every subscriber (no reply). */
  emit(subject: string, payload: unknown): void {
    this.client.emit(subject, payload).subscribe({ error: () => undefined });
  }

  /**
   * Resolves after a round trip to the NATS server; rejects while the client is disconnected
   * (NestJS's client fails `connect()` until it has reconnected).
   */
  async ping(): Promise<void> {
    const connection = (await this.client.connect().catch(() => {
      throw new Error('not connected');
    })) as Partial<RoundTrip> | undefined;
    if (typeof connection?.rtt !== 'function') throw new Error('no NATS connection');
    await connection.rtt();
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
