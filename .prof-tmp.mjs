import { startNatsServer } from '/work/main/dist/libs/testing/src/index.js';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
const server = await startNatsServer();
const nc = await connect({ servers: server.url });
const jsm = await jetstreamManager(nc);
await jsm.streams.add({ name: 'P', subjects: ['es.>'] });
const js = jetstream(nc);
for (let i = 0; i < 5; i++) await js.publish('es.a', 'x');
await new Promise(r => setTimeout(r, 20));
const t = new Date();
await new Promise(r => setTimeout(r, 20));
for (let i = 0; i < 5; i++) await js.publish('es.a', 'y');
const ci = await jsm.consumers.add('P', { deliver_policy: DeliverPolicy.StartTime, opt_start_time: t.toISOString(), ack_policy: AckPolicy.None, mem_storage: true, inactive_threshold: 30e9 });
console.log('plain consumer delivered', ci.delivered, 'num_pending', ci.num_pending);
const c = await js.consumers.get('P', { opt_start_time: t.toISOString() });
console.log('ordered info', (await c.info(true)).delivered, (await c.info(true)).config);
const msgs = await c.consume({ max_messages: 1, expires: 2000, idle_heartbeat: 500 });
(async () => { for await (const s of msgs.status()) console.log('status', s.type, s.name ?? '', s.description ?? ''); })();
let n = 0;
for await (const m of msgs) {
  console.log('got', m.seq);
  if (++n === 1) { await jsm.consumers.delete('P', (await c.info(true)).name); }
  if (n === 5) break;
}
msgs.stop();
await nc.close(); await server.stop();
