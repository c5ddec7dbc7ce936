const { jetstreamManager, AckPolicy, DeliverPolicy } = await import('@nats-io/jetstream');
const { connect, createInbox } = await import('@nats-io/transport-node');
const url = process.argv[2];
const nc = await connect({ servers: url, noAsyncTraces: true });
const jsm = await jetstreamManager(nc);
for (let round = 0; round < 2; round++) {
  const ci = await jsm.consumers.add('SWARM_EVENTS', { ack_policy: AckPolicy.None, deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: 1, mem_storage: true, inactive_threshold: 30e9 });
  const inbox = createInbox();
  const t = performance.now(); let n = 0; const td = new TextDecoder();
  const BATCH = 8192; let outstanding = 0;
  const pull = () => { outstanding += BATCH; nc.publish(`$JS.API.CONSUMER.MSG.NEXT.SWARM_EVENTS.${ci.name}`, JSON.stringify({ batch: BATCH, expires: 5e9 }), { reply: inbox }); };
  await new Promise((resolve) => {
    const sub = nc.subscribe(inbox, { callback: (err, m) => {
      if (m.data.length === 0) return; // status
      n++; outstanding--;
      const r = m.reply; // $JS.ACK.stream.consumer.dc.sseq.dseq.ts.pending
      let end = r.length, dots = 0, i = r.length - 1; for (; i >= 0; i--) if (r.charCodeAt(i) === 46 && ++dots === 1) break;
      const pending = Number(r.slice(i + 1));
      JSON.parse(td.decode(m.data));
      if (outstanding < BATCH / 2) pull();
      if (pending === 0) { sub.unsubscribe(); resolve(); }
    }});
    pull(); pull();
  });
  console.log(`raw core pull: ${n} in ${((performance.now() - t) / 1000).toFixed(2)} s: ${Math.round(n / ((performance.now() - t) / 1000))}/s`);
  await jsm.consumers.delete('SWARM_EVENTS', ci.name);
}
await nc.close();
