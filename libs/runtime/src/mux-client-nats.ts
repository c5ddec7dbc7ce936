import { ClientNats } from '@nestjs/microservices';
import type { ReadPacket, WritePacket } from '@nestjs/microservices';

/** How long one request waits at the NATS level; the RpcClient's own timeout is shorter. */
const REQUEST_TIMEOUT_MS = 30_000;

interface NatsClient {
  request(subject: string, data: string | Uint8Array, opts: { timeout: number; headers?: unknown }): Promise<unknown>;
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
 * NestJS's NATS client with requests on the connection's shared reply subscription (nats-core's
 * `request`) instead of a subscription of its own per request: NestJS subscribes to a fresh
 * inbox, publishes and unsubscribes for every call, three protocol operations and a change of the
 * server's subscription list each time. The wire format (NestJS's packet and reply) is unchanged,
 * so NestJS's servers answer as before; only the first reply counts, which is all a
 * request/response handler sends.
 */
export class MuxClientNats extends ClientNats {
  /**
   * One request/reply without NestJS's Observable plumbing (a Subject, operators and a second timer
   * per call on the hot path): the same packet on the wire (`{pattern, data, id}`), the same reply
   * read back. Resolves with the response; rejects with RpcErrorReply for an error reply, or with
   * the transport's error (timeout, no responders, empty reply).
   */
  async requestReply(subject: string, data: unknown, timeoutMs: number): Promise<unknown> {
    let client = this.natsClient as unknown as NatsClient | null;
    if (!client) {
      await this.connect();
      client = this.natsClient as unknown as NatsClient | null;
      if (!client) throw new Error('NATS client not connected');
    }
    const id = `r${(nextPacketId++).toString(36)}`;
    const msg = (await client.request(subject, JSON.stringify({ pattern: subject, data, id }), { timeout: timeoutMs })) as ReplyMsg;
    if (msg.data.length === 0) throw new Error(`empty response from ${subject}`);
    const reply = msg.json<NestReply>();
    if (reply.err !== undefined && reply.err !== null) throw new RpcErrorReply(reply.err);
    return reply.response;
  }

  protected override publish(partialPacket: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    const packet = this.assignPacketId(partialPacket);
    let disposed = false;
    try {
      const client = this.natsClient as unknown as NatsClient | null;
      if (!client) throw new Error('NATS client not connected');
      const channel = this.normalizePattern(partialPacket.pattern);
      const serialized = this.serializer.serialize(packet) as { data: string | Uint8Array; headers?: unknown };
      const handle = this.createSubscriptionHandler(packet, (reply) => {
        if (!disposed) callback(reply);
      });
      const headers: unknown = this.mergeHeaders(serialized.headers);
      client
        .request(channel, serialized.data, { timeout: REQUEST_TIMEOUT_MS, ...(headers ? { headers } : {}) })
        .then(
          (msg) => handle(null, msg as never).catch((err: unknown) => callback({ err })),
          (err: unknown) => {
            if (!disposed) callback({ err });
          },
        );
    } catch (err) {
      callback({ err });
    }
    return () => {
      disposed = true;
    };
  }
}
