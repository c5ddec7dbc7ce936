/**
 * JetStream publishes and their acknowledgements through the core client's public calls only:
 * `nc.publish` with a reply subject and headers, and one wildcard subscription on an inbox of this
 * publisher's own, where each ack is matched to its publish by the reply subject's last token. The
 * ack is JetStream's documented PubAck (`{"stream","seq","duplicate"}` or `{"error":{...}}`).
 *
 * Why not `js.publish`: it makes a NATS request per publish, and the client's request builds an
 * Error with its stack trace when it settles (`RequestOne.cancel` rejects its already-resolved
 * promise with a fresh `RequestError`), plus a timer per request. In the profiles of a network
 * create that was about 10 µs of CPU per publish, in every process that appends or publishes
 * integration events. Here a publish costs a map entry; one timer sweeps the expired ones.
 *
 * Failures keep the client's types, so that callers and `isTransient` read them as before: no ack
 * within `timeoutMs` is a `TimeoutError`; a 503 status (no stream listens on the subject, or it has
 * no leader yet) is a `RequestError` caused by a `NoRespondersError`; an error in the ack is a
 * `JetStreamApiError` (code, status and text as the server sent them); a closed connection rejects
 * what is still waiting with a `ClosedConnectionError`.
 */
import { JetStreamApiError, type PubAck } from '@nats-io/jetstream';
import {
  ClosedConnectionError,
  createInbox,
  headers as newHeaders,
  NoRespondersError,
  RequestError,
  TimeoutError,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type Subscription,
} from '@nats-io/nats-core';

/** What a publish may expect of the stream (JetStream's `Nats-Expected-*` headers). */
export interface PublishExpectation {
  readonly lastSubjectSequence?: number;
  readonly lastSequence?: number;
  readonly lastMsgID?: string;
}

export interface AckedPublishOptions {
  /** `Nats-Msg-Id`: the server drops a second message with the same id within its duplicate window. */
  readonly msgID?: string;
  readonly headers?: MsgHdrs;
  readonly expect?: PublishExpectation;
}

interface Waiting {
  readonly subject: string;
  readonly deadline: number;
  readonly resolve: (ack: PubAck) => void;
  readonly reject: (error: unknown) => void;
}

const decoder = new TextDecoder();

export class AckedPublisher {
  private readonly inbox = createInbox();
  private readonly waiting = new Map<string, Waiting>();
  private readonly subscription: Subscription;
  private next = 0;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly timeoutMs: number,
  ) {
    this.subscription = nc.subscribe(`${this.inbox}.*`, { callback: (_error, msg) => this.settle(msg) });
    void nc.closed().then(() => this.rejectAll(new ClosedConnectionError()));
  }

  /** Publishes `data` on `subject` and resolves with the stream's acknowledgement. */
  publish(subject: string, data: Uint8Array, options: AckedPublishOptions = {}): Promise<PubAck> {
    if (this.nc.isClosed()) return Promise.reject(new ClosedConnectionError());
    const h = options.headers ?? newHeaders();
    if (options.msgID !== undefined) h.set('Nats-Msg-Id', options.msgID);
    const expect = options.expect;
    if (expect?.lastSubjectSequence !== undefined) h.set('Nats-Expected-Last-Subject-Sequence', String(expect.lastSubjectSequence));
    if (expect?.lastSequence !== undefined) h.set('Nats-Expected-Last-Sequence', String(expect.lastSequence));
    if (expect?.lastMsgID !== undefined) h.set('Nats-Expected-Last-Msg-Id', expect.lastMsgID);
    const token = (this.next++).toString(36);
    return new Promise<PubAck>((resolve, reject) => {
      this.waiting.set(token, { subject, deadline: Date.now() + this.timeoutMs, resolve, reject });
      this.sweepLater();
      try {
        this.nc.publish(subject, data, { reply: `${this.inbox}.${token}`, headers: h });
      } catch (error) {
        this.waiting.delete(token);
        reject(error);
      }
    });
  }

  /** Stops listening for acks; what still waits is rejected. */
  close(): void {
    this.subscription.unsubscribe();
    this.rejectAll(new ClosedConnectionError());
  }

  private settle(msg: Msg): void {
    const token = msg.subject.slice(this.inbox.length + 1);
    const waiting = this.waiting.get(token);
    if (!waiting) return; // timed out already
    this.waiting.delete(token);
    if (msg.headers?.code === 503) {
      waiting.reject(new RequestError('no responders', { cause: new NoRespondersError(waiting.subject) }));
      return;
    }
    let ack: { stream?: string; seq?: number; duplicate?: boolean; domain?: string; error?: { code: number; err_code: number; description: string } };
    try {
      ack = JSON.parse(decoder.decode(msg.data)) as typeof ack;
    } catch (error) {
      waiting.reject(new RequestError(`unreadable JetStream ack: ${String(error)}`));
      return;
    }
    if (ack.error) waiting.reject(new JetStreamApiError(ack.error));
    else waiting.resolve({ stream: ack.stream ?? '', seq: ack.seq ?? 0, duplicate: ack.duplicate === true, ...(ack.domain ? { domain: ack.domain } : {}) });
  }

  /** One timer for every publish in flight: it rejects those past their deadline. */
  private sweepLater(): void {
    if (this.sweeper) return;
    this.sweeper = setTimeout(() => {
      this.sweeper = undefined;
      const now = Date.now();
      for (const [token, waiting] of this.waiting) {
        if (waiting.deadline > now) continue;
        this.waiting.delete(token);
        waiting.reject(new TimeoutError());
      }
      if (this.waiting.size > 0) this.sweepLater();
    }, Math.min(this.timeoutMs, 250));
    this.sweeper.unref();
  }

  private rejectAll(error: unknown): void {
    clearTimeout(this.sweeper);
    this.sweeper = undefined;
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
  }
}
