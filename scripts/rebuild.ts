import { loadOrCreateKek, loadOrCreateKekFile, openSecret } from '#pki';
import { connectEventStore, loadRuntimeConfig } from '#service-host';
import { ingressPeerName, presentNetwork, presentNode, presentSwarm } from '../apps/gateway/src/read-model/presenters.js';
import { gatewayUrl, getFromGateway } from './gateway-client.js';
import { type RebuildProgress, rebuildReadModels } from './read-models.js';

/**
 * `npm run rebuild`: rebuilds every read model from position zero with a progress bar, then checks
 * the result against the running gateway (GATEWAY_ADDR) when one answers.
 */
async function main(): Promise<void> {
  const config = loadRuntimeConfig();
  const store = await connectEventStore(config, 'rebuild');
  const kekFile = loadOrCreateKekFile(config.kekFile);
  // With autolock the file stays sealed under the unlock key: the join tokens are then left out of the comparison.
  const kek = kekFile.sealed ? undefined : kekFile.kek;
  if (!kek) console.log('the key-encryption key file is sealed (autolock): join tokens are not compared');
  try {
    const result = await rebuildReadModels(store, (sealed, stream) => (kek ? openSecret(sealed, kek, stream) : '[sealed]'), drawProgress);
    process.stderr.write('\n');
    const rate = Math.round(result.events / (result.elapsedMs / 1000 || 1));
    console.log(`rebuilt every read model from ${result.events} events (head ${result.head}) in ${(result.elapsedMs / 1000).toFixed(2)} s: ${rate} events/s`);
    if (result.skipped > 0) console.log(`skipped ${result.skipped} events no reader can apply (see GET /audit/skipped-events)`);
    await compareWithGateway(result.models.gateway, kek);
  } finally {
    await store.close();
  }
}

function drawProgress({ position, head, events, elapsedMs }: RebuildProgress): void {
  const fraction = head === 0 ? 1 : Math.min(1, position / head);
  const width = 30;
  const bar = '#'.repeat(Math.round(fraction * width)).padEnd(width, '.');
  const rate = events / (elapsedMs / 1000 || 1);
  const left = rate > 0 ? Math.max(0, (head - position) / rate) : 0;
  process.stderr.write(`\r[${bar}] ${(fraction * 100).toFixed(0).padStart(3)}% ${events.toLocaleString('en')} events  ${Math.round(rate).toLocaleString('en')} ev/s  ${left.toFixed(1)} s left `);
}

async function compareWithGateway(model: Parameters<typeof presentSwarm>[0], kek: Buffer | undefined): Promise<void> {
  let addr: string;
  try {
    addr = gatewayUrl(process.env);
  } catch (error) {
    console.log(`no gateway to compare with: ${(error as Error).message}`);
    return;
  }
  const clusterId = model.currentClusterId;
  const rebuilt = {
    swarm: clusterId ? presentSwarm(model, clusterId) : null,
    nodes: clusterId ? [...model.nodes.values()].filter((n) => n.data.clusterId === clusterId).map((n) => presentNode(model, n)) : [],
    networks: clusterId ? [...model.networks.values()].filter((n) => n.data.clusterId === clusterId).map(presentNetwork) : [],
  };
  try {
    const get = async (path: string): Promise<unknown> => {
      const response = await getFromGateway(process.env, `/v1.47${path}`, 10_000);
      return response.status === 200 ? (JSON.parse(response.text) as unknown) : response.status === 503 ? null : [];
    };
    const swarm = await get('/swarm');
    if (!kek && swarm && rebuilt.swarm) rebuilt.swarm.JoinTokens = (swarm as Record<string, unknown>).JoinTokens;
    const live = { swarm, nodes: await get('/nodes'), networks: await get('/networks') };
    const same = JSON.stringify(live) === JSON.stringify(rebuilt);
    console.log(`state after rebuild ${same ? 'equals' : 'DIFFERS FROM'} the running gateway at ${addr} (swarm, ${rebuilt.nodes.length} nodes, ${rebuilt.networks.length} networks)`);
    if (!same) process.exitCode = 1;
  } catch {
    console.log(`no gateway answered at ${addr}: nothing to compare with`);
  }
}

await main();
