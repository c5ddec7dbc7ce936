import { Logger } from '@nestjs/common';
import {
  DomainError, IDEMPOTENT_SUBJECTS, SwarmErrors, isErrorPayload, type EventContracts, type EventSubject, type ReplyOf, type RequestOf,
  type RequestSubject,
} from '#contracts';
import type { ClientProxy } from '@nestjs/microservices';
import { TimeoutError, firstValueFrom, timeout } from 'rxjs';
import { BoundedLabel, Metrics } from '#observability';
import { RpcErrorReply } from './mux-client-nats.js';

export const RPC_CLIENT = Symbol('RPC_CLIENT');

const subjects = new BoundedLabel(64);

/** Attempts of an idempotent request that gets no reply (see IDEMPOTENT_SUBJECTS). */
const IDEMPOTENT_ATTEMPTS = 3;

/** A client that can make one request without NestJS's Observables (MuxClientNats). */
interface DirectRequester {
  requestReply(subject: string, data: unknown, timeoutMs: number): Promise<unknown>;
}

interface Broadcaster {
  publishToAll(subject: string, data: unknown): Promise<void>;
  subscribeAll(subject: string, handler: (data: unknown) => void): Promise<() => void>;
}

function isBroadcaster(client: object): client is Broadcaster {
  return typeof (client as Partial<Broadcaster>).subscribeAll === 'function';
}

function isDirect(client: object): client is DirectRequester {
  return typeof (client as Partial<DirectRequester>).requestReply === 'function';
}

/** The NATS connection under NestJS's client, as far as the health probe uses it. */
interface RoundTrip {
  rtt(): Promise<number>;
}

/**
 * Request/reply over NATS through NestJS's client; error replies come back as DomainErrors.
 *
 * No reply within the timeout (a NATS node or a service replica failing over), or none to come
 * (the service has no running replica left, see abandonInFlight): an idempotent
 * request is sent again (up to 3 attempts); any other fails with Docker's 503 (ServiceUnavailable),
 * which the user may retry after checking, since the change may have been made.
 */
export class RpcClient {
  private readonly direct: DirectRequester | undefined;
  /** Requests waiting for a reply: subject, when sent, and how to give up on it (abandonInFlight). */
  private readonly inFlight = new Set<{ subject: string; sentAt: number; abandon: (reason: Error) => void }>();

  constructor(private readonly client: Pick<ClientProxy, 'send' | 'emit' | 'connect' | 'close'>, private readonly timeoutMs = 10_000) {
    this.direct = isDirect(client) ? client : undefined;
  }

  /** Sends `subject`'s request and resolves with its reply, both typed by `RequestContracts`. */
  request<S extends RequestSubject>(subject: S, payload: RequestOf<S>): Promise<ReplyOf<S>> {
    return this.send<ReplyOf<S>>(subject, payload);
  }

  /**
   * A request outside the contracts: for tests that send what a typed caller cannot (a malformed
   * payload a service must refuse, a test subject). The reply is what came back, unchecked.
   */
  requestUnchecked(subject: string, payload: unknown): Promise<unknown> {
    return this.send<unknown>(subject, payload);
  }

  private async send<TReply>(subject: string, payload: unknown): Promise<TReply> {
    const label = subjects.of(subject);
    const started = performance.now();
    let outcome = 'ok';
    const attempts = IDEMPOTENT_SUBJECTS.has(subject) ? IDEMPOTENT_ATTEMPTS : 1;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          const reply = this.direct
            ? (this.direct.requestReply(subject, payload, this.timeoutMs) as Promise<TReply>)
            : firstValueFrom(this.client.send<TReply>(subject, payload).pipe(timeout(this.timeoutMs)));
          return await this.abandonable(subject, reply);
        } catch (caught) {
          const error = caught instanceof RpcErrorReply ? caught.payload : caught;
          if (isErrorPayload(error)) {
            outcome = 'error';
            throw new DomainError(error);
          }
          if (!isNoReply(error)) {
            outcome = 'failed';
            // Not a domain error from the service (a transport or decoding failure): its text stays in the log.
            const correlationId = correlationIdOfPayload(payload);
            rpcLogger.error({ msg: 'request failed', subject, correlationId, err: error });
            throw new DomainError(SwarmErrors.internal(correlationId));
          }
          if (attempt >= attempts) {
            outcome = 'unavailable';
            throw new DomainError(SwarmErrors.serviceUnavailable(subject));
          }
        }
      }
    } finally {
      Metrics.rpcDuration.child({ subject: label }).observe((performance.now() - started) / 1000);
      Metrics.rpcRequests.child({ subject: label, outcome }).inc();
    }
  }

  /** Every process subscribed to `subject` (plain subscriptions, see subscribeAll) gets `payload`. */
  async publishToAll(subject: string, payload: unknown): Promise<void> {
    if (!isBroadcaster(this.client)) throw new Error('this RPC client cannot broadcast');
    await this.client.publishToAll(subject, payload);
  }

  /** Each message on `subject`, in this process, whatever queue groups its services are in. */
  async subscribeAll(subject: string, handler: (data: unknown) => void): Promise<() => void> {
    if (!isBroadcaster(this.client)) throw new Error('this RPC client cannot subscribe');
    return this.client.subscribeAll(subject, handler);
  }

  /** Fire and forget: an event on `subject` for every subscriber (no reply). */
  emit<S extends EventSubject>(subject: S, payload: EventContracts[S]): void {
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

  /**
   * Fails the requests on `subjects` sent before `sentBefore` (performance.now()) that still wait
   * for a reply, as if they had timed out: the service that had them has no running replica left
   * (its liveness probe found no responder), so no reply will come. Returns how many.
   */
  abandonInFlight(subjects: ReadonlySet<string>, sentBefore: number, why: string): number {
    let count = 0;
    for (const request of this.inFlight) {
      if (!subjects.has(request.subject) || request.sentAt > sentBefore) continue;
      request.abandon(new Error(`no responders: ${why}`));
      count++;
    }
    return count;
  }

  /**
   * Resolves when a subscriber of `subject` answers within `timeoutMs`; no retry, no metrics (a
   * health probe, not a request). "No responders" means nobody subscribes: the service is down
   * (NoRunningReplicaError).
   */
  async probe(subject: string, timeoutMs: number): Promise<unknown> {
    try {
      if (this.direct) return await this.direct.requestReply(subject, {}, timeoutMs);
      return await firstValueFrom(this.client.send(subject, {}).pipe(timeout(timeoutMs)));
    } catch (caught) {
      const text = caught instanceof Error ? caught.message : String(caught);
      if (/no responders/i.test(text)) throw new NoRunningReplicaError();
      if (caught instanceof TimeoutError) throw new Error(`no answer within ${timeoutMs} ms`);
      throw caught instanceof Error ? caught : new Error(text);
    }
  }

  private abandonable<T>(subject: string, reply: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const request = { subject, sentAt: performance.now(), abandon: reject };
      this.inFlight.add(request);
      reply.then(resolve, reject).finally(() => this.inFlight.delete(request));
    });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** A liveness probe found no responder: no replica of the service is running. */
export class NoRunningReplicaError extends Error {
  constructor() {
    super('no replica answers (not running)');
  }
}

/**
 * No answer came: our timeout, or the transport lost the connection while waiting (NestJS's NATS
 * client reports that as the string "Error: Connection lost. Trying to reconnect...").
 */
export function isNoReply(error: unknown): boolean {
  if (error instanceof TimeoutError) return true;
  const text = typeof error === 'string' ? error : error instanceof Error ? `${error.name} ${error.message}` : '';
  return /timeout|no responders|disconnect|connection (closed|lost)|closed connection|reconnect|empty response/i.test(text);
}

const rpcLogger = new Logger('RpcClient');

function correlationIdOfPayload(payload: unknown): string | undefined {
  const id = (payload as { context?: { correlationId?: unknown } } | null)?.context?.correlationId;
  return typeof id === 'string' ? id : undefined;
}
