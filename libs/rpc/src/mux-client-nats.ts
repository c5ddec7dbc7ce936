import { ClientNats } from '@nestjs/microservices';

interface NatsClient {
  request(subject: string, data: string | Uint8Array, opts: { timeout: number }): Promise<unknown>;
  publish(subject: string, data: string | Uint8Array): void;
  subscribe(subject: string, opts: { callback: (error: Error | null, msg: ReplyMsg) => void }): { unsubscribe(): void };
}

interface ReplyMsg {
  readonly data: Uint8Array;
  json<T>(): T;
}

/** What a NestJS server answers a request with (one message: the response or the error, disposed). */
interface NestReply {
  readonly id?: string;
  readonly response?: unknown;
  readonly err?: unknown;
}

/** Thrown with an error reply's payload, as NestJS's client would reject with it. */
export class RpcErrorReply extends Error {
  constructor(readonly payload: unknown) {
    super('error reply');
  }
}

let nextPacketId = 0;

/**
 * NestJS's NATS client (connection, reconnects, events through `emit`) with `requestReply` for
 * RpcClient: requests on the connection's shared reply subscription (nats-core's `request`)
 * instead of NestJS's fresh inbox per call (subscribe, publish, unsubscribe: three protocol
 * operations and a change of the server's subscription list each time). The wire format
 * (NestJS's packet and reply) is unchanged, so NestJS's servers answer as before; only the first
 * reply counts, which is all a request/response handler sends.
 */
export class MuxClientNats extends ClientNats {
  /**
   * One request/reply without NestJS's Observable plumbing (a Subject, operators and a second timer
   * per call on the hot path): the same packet on the wire (`{pattern, data, id}`), the same reply
   * read back. Resolves with the response; rejects with RpcErrorReply for an error reply, or with
   * the transport's error (timeout, no responders, empty reply).
   */
  async requestReply(subject: string, data: unknown, timeoutMs: number): Promise<unknown> {
    const client = await this.connected();
    const id = `r${(nextPacketId++).toString(36)}`;
    const msg = (await client.request(subject, JSON.stringify({ pattern: subject, data, id }), { timeout: timeoutMs })) as ReplyMsg;
    if (msg.data.length === 0) throw new Error(`empty response from ${subject}`);
    const reply = msg.json<NestReply>();
    if (reply.err !== undefined && reply.err !== null) throw new RpcErrorReply(reply.err);
    return reply.response;
  }

  /** Publishes JSON on `subject` to every subscriber (no queue group, no reply). */
  async publishToAll(subject: string, data: unknown): Promise<void> {
    (await this.connected()).publish(subject, JSON.stringify(data));
  }

  /**
   * A plain subscription (no queue group): every process that subscribes gets each message, unlike
   * NestJS's handlers, which share a queue group. Returns the unsubscribe.
   */
  async subscribeAll(subject: string, handler: (data: unknown) => void): Promise<() => void> {
    const subscription = (await this.connected()).subscribe(subject, {
      callback: (error, msg) => {
        if (error) return;
        try {
          handler(msg.json<unknown>());
        } catch {
          // a message that is not JSON is not ours: dropped
        }
      },
    });
    return () => subscription.unsubscribe();
  }

  private async connected(): Promise<NatsClient> {
    let client = this.natsClient as unknown as NatsClient | null;
    if (!client) {
      await this.connect();
      client = this.natsClient as unknown as NatsClient | null;
      if (!client) throw new Error('NATS client not connected');
    }
    return client;
  }
}
