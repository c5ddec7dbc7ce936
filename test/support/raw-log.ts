import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

export interface RawMessage {
  readonly seq: number;
  readonly subject: string;
  readonly text: string;
}

/** Every message of the event stream, as the bytes JetStream stores (read with a plain client). */
export async function readRawLog(natsUrl: string, streamName = 'SWARM_EVENTS'): Promise<RawMessage[]> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(streamName);
    const messages: RawMessage[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const msg = await jsm.streams.getMessage(streamName, { seq });
      if (msg) messages.push({ seq, subject: msg.subject, text: new TextDecoder().decode(msg.data) });
    }
    return messages;
  } finally {
    await nc.close();
  }
}
