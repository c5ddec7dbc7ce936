/**
 * Writes messages straight into the event log's JetStream stream, past every check of the event
 * store: the way an older version, a tool or a bug could have written them. For tests of readers
 * that must survive what the log holds (issue 12).
 */
import { randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

/** The JSON the JetStream adapter stores for an event (jetstream/codec.ts), with any `data`. */
export function rawEventJson(type: string, data: unknown, schemaVersion = 1): string {
  return JSON.stringify({
    id: randomUUID(),
    type,
    schemaVersion,
    data,
    metadata: { correlationId: randomUUID(), actor: 'user:raw-test' },
    time: new Date().toISOString().replace(/Z$/, '000000Z'),
  });
}

/**
 * Publishes each payload as is to `subject` (`es.<stream>`, or `es.<category>.<stream>` for a
 * category with a subject branch); returns the stream sequences (the log positions) they got.
 */
export async function publishRawEvents(servers: string, subject: string, payloads: readonly string[]): Promise<number[]> {
  const nc = await connect({ servers });
  try {
    const js = jetstream(nc);
    const positions: number[] = [];
    for (const payload of payloads) positions.push((await js.publish(subject, payload)).seq);
    return positions;
  } finally {
    await nc.close();
  }
}
