import { DomainError, SwarmErrors, isErrorPayload } from '#contracts';
import type { ClientProxy } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';

export const RPC_CLIENT = Symbol('RPC_CLIENT');

/** Request/reply over NATS through NestJS's client; error replies come back as DomainErrors. */
export class RpcClient {
  constructor(private readonly client: ClientProxy, private readonly timeoutMs = 10_000) {}

  async request<TReply>(subject: string, payload: unknown): Promise<TReply> {
    try {
      return await firstValueFrom(this.client.send<TReply>(subject, payload).pipe(timeout(this.timeoutMs)));
    } catch (error) {
      if (isErrorPayload(error)) throw new DomainError(error);
      const message = error instanceof Error ? error.message : JSON.stringify(error);
      throw new DomainError(SwarmErrors.system(`${subject}: ${message}`));
    }
  }

  /** Fire and forget: an event on `subject` for every subscriber (no reply). */
  emit(subject: string, payload: unknown): void {
    this.client.emit(subject, payload).subscribe({ error: () => undefined });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
