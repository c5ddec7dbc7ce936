import { ClientNats } from '@nestjs/microservices';
import type { ReadPacket, WritePacket } from '@nestjs/microservices';

/** How long one request waits at the NATS level; the RpcClient's own timeout is shorter. */
const REQUEST_TIMEOUT_MS = 30_000;

interface NatsClient {
  request(subject: string, data: string | Uint8Array, opts: { timeout: number; headers?: unknown }): Promise<unknown>;
}

/**
 * NestJS's NATS client with requests on the connection's shared reply subscription (nats-core's
 * `request`) instead of a subscription of its own per request: NestJS subscribes to a fresh
 * inbox, publishes and unsubscribes for every call, three protocol operations and a change of the
 * server's subscription list each time. The wire format (NestJS's packet and reply) is unchanged,
 * so NestJS's servers answer as before; only the first reply counts, which is all a
 * request/response handler sends.
 */
export class MuxClientNats extends ClientNats {
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
