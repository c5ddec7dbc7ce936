import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { startAgent, type AgentFixture } from './support/agent-fixture.js';
import { browserMissing, launchChromium } from './support/browser.js';
import { COLOURS, PAGE_HELPERS, cellColour, hoverCell, screenshot, waitForCellColour } from './support/dashboard-page.js';
import { startStackFixture, type StackFixture } from './support/stack-fixture.js';

const POOL_A = '10.20.0.0/16';
const POOL_B = '10.30.0.0/16';

/** The dashboard in Debian's chromium, headless, against a started stack and the real docker CLI. */
describe('dashboard in a real browser', { skip: browserMissing() }, () => {
  let fx: StackFixture;
  let context: BrowserContext;
  let page: Page;
  let outDir: string;
  let profile: string | undefined;
  let worker: AgentFixture | undefined;
  let headBeforeCreate = 0;
  const log = (line: string): void => console.log(`# ${line}`);

  before(async () => {
    outDir = mkdtempSync(path.join(os.tmpdir(), 'swarmplane-dashboard-e2e-'));
    log(`screenshots in ${outDir}`);
    fx = await startStackFixture();
    ({ context, profile } = await launchChromium());
    await context.addInitScript(PAGE_HELPERS);
    page = await context.newPage();
  });
  after(async () => {
    await worker?.stop();
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await fx?.stop();
  });

  it('refuses a request without the token or with a wrong one (401), on the page, the stream and the API', async () => {
    const base = `http://${fx.dashboardAddr}`;
    const token = new URL(fx.dashboardUrl).searchParams.get('token')!;
    for (const url of ['/', '/?token=wrong', `/?token=${token.slice(0, -1)}0`, '/api/live', '/api/view', '/app.js', '/api/at?position=1']) {
      assert.equal((await fetch(`${base}${url}`)).status, 401, url);
    }
    assert.equal((await fetch(`${base}/api/view`, { headers: { Authorization: 'Bearer nope' } })).status, 401);
    assert.equal((await fetch(`${base}/api/view`, { headers: { Authorization: `Bearer ${token}` } })).status, 200);
    const refused = await page.goto(`${base}/?token=wrong`);
    assert.equal(refused?.status(), 401);
    assert.match(await page.innerText('body'), /needs its access token/);
    await screenshot(page, outDir, 'refused', log, { forDocs: false });
  });

  it('after swarm init with two pools: the swarm, the node, and both pools with ingress in the first cell', async () => {
    const first = await page.goto(fx.dashboardUrl);
    assert.equal(first?.status(), 200);
    assert.equal(new URL(page.url()).search, '', 'the token leaves the address bar for a cookie');
    await page.waitForSelector('[data-testid="no-swarm"]');
    const init = await fx.docker(
      'swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', '127.0.0.1:2377',
      '--default-addr-pool', POOL_A, '--default-addr-pool', POOL_B, '--default-addr-pool-mask-length', '26', '--dispatcher-heartbeat', '1s',
    );
    assert.equal(init.code, 0, init.stderr);
    const [clusterId, hostname] = (await fx.docker('info', '--format', '{{.Swarm.Cluster.ID}} {{.Name}}')).stdout.trim().split(' ');
    await page.waitForSelector('[data-testid="connection"]:has-text("live")');
    await page.waitForSelector('[data-testid="cluster-id"]');
    assert.equal(await page.innerText('[data-testid="cluster-id"]'), clusterId, 'the open page shows the new swarm without a reload');
    await page.waitForSelector('[data-token="worker"]');
    // A new token, checked against SWARM_TOKEN_MAX_AGE (180 days when unset), as docker info checks it.
    assert.match(await page.innerText('[data-token="worker"]'), /rotate within 180 days/);
    assert.match(await page.innerText('[data-testid="node-counts"]'), /1 manager, 0 workers/);
    assert.doesNotMatch(await page.content(), /SWMTKN-/, 'no join token reaches the page');
    const secrets = await Promise.all(['worker', 'manager'].map(async (role) => (await fx.docker('swarm', 'join-token', '-q', role)).stdout.trim().slice(-25)));
    for (const url of ['/api/view', '/api/at?position=1000000']) {
      const body = await (await fetch(`http://${fx.dashboardAddr}${url}`, { headers: { Authorization: `Bearer ${token(fx)}` } })).text();
      assert.doesNotMatch(body, /SWMTKN-|A256GCM|PRIVATE KEY/, `${url}: no token, sealed value or key`);
      for (const secret of secrets) assert.ok(!body.includes(secret), `${url}: no join token secret`);
    }
    await screenshot(page, outDir, 'swarm', log);

    await page.click('a[data-view="nodes"]');
    const row = page.locator(`[data-testid="nodes"] tr[data-node="${hostname}"]`);
    assert.equal(await row.getAttribute('data-state'), 'ready');

    await page.click('a[data-view="pools"]');
    await page.waitForSelector(`[data-testid="pools"] figure[data-pool="${POOL_B}"]`);
    assert.deepEqual(await page.locator('[data-testid="pools"] figure').evaluateAll((f) => f.map((e) => e.getAttribute('data-pool'))), [POOL_A, POOL_B]);
    assert.equal(await cellColour(page, 'pools', POOL_A, 0), COLOURS.ingress);
    assert.equal(await cellColour(page, 'pools', POOL_A, 1), COLOURS.free);
    assert.equal(await cellColour(page, 'pools', POOL_B, 0), COLOURS.free);
    assert.match(await hoverCell(page, 'pools', POOL_A, 0), /^ingress 10\.20\.0\.0\/26 — ingress/);
    assert.equal(await page.getAttribute(`figure[data-pool="${POOL_A}"]`, 'data-used'), '1');
  });

  it('a docker network create colours the next cell without a reload', async () => {
    const headReply = await fetch(`http://${fx.dashboardAddr}/api/head`, { headers: { Authorization: `Bearer ${token(fx)}` } });
    headBeforeCreate = ((await headReply.json()) as { head: number }).head;
    await page.evaluate('window.notReloaded = true');
    const created = await fx.docker('network', 'create', '-d', 'overlay', 'x');
    assert.equal(created.code, 0, created.stderr);
    await waitForCellColour(page, 'pools', POOL_A, 1, COLOURS.network);
    assert.equal(await page.evaluate('window.notReloaded'), true, 'the same document');
    assert.match(await hoverCell(page, 'pools', POOL_A, 1), /^x 10\.20\.0\.64\/26 — network/);
    assert.equal(await page.innerText('[data-testid="networks"] tr[data-network="x"] td:nth-child(3)'), '10.20.0.64/26');
    assert.equal(await cellColour(page, 'pools', POOL_A, 2), COLOURS.free);

    assert.equal((await fx.docker('network', 'create', '-d', 'overlay', 'tmp')).code, 0);
    await waitForCellColour(page, 'pools', POOL_A, 2, COLOURS.network);
    assert.equal((await fx.docker('network', 'rm', 'tmp')).code, 0);
    await waitForCellColour(page, 'pools', POOL_A, 2, COLOURS.free);

    assert.equal((await fx.docker('network', 'create', '-d', 'overlay', '--subnet', '10.20.1.0/24', 'y')).code, 0);
    assert.equal((await fx.docker('network', 'create', '-d', 'overlay', '--subnet', '192.168.50.0/24', 'z')).code, 0);
    for (const cell of [4, 5, 6, 7]) await waitForCellColour(page, 'pools', POOL_A, cell, COLOURS.explicit);
    assert.equal(await cellColour(page, 'pools', POOL_A, 8), COLOURS.free, 'a /24 is four /26 cells');
    await page.waitForSelector('[data-testid="outside-pools"] li:has-text("192.168.50.0/24 z")');
    assert.equal(await page.getAttribute(`figure[data-pool="${POOL_A}"]`, 'data-used'), '6');
    await page.mouse.move(0, 0);
    await screenshot(page, outDir, 'pools', log);

    await page.click('a[data-view="events"]');
    await page.selectOption('select[name="type"]', 'network');
    await page.fill('input[name="network"]', 'x');
    await page.waitForSelector('[data-testid="events"] tr[data-type="network"][data-action="create"]');
    assert.equal(await page.locator('[data-testid="events"] tr[data-type="node"]').count(), 0, 'the type filter hides node events');
    await page.selectOption('select[name="type"]', '');
    await page.fill('input[name="network"]', '');
    await screenshot(page, outDir, 'events', log);
  });

  it('a node that stops heartbeating turns to down, live', async () => {
    worker = await startAgent({ hostname: 'worker-1' });
    const joinToken = (await fx.docker('swarm', 'join-token', '-q', 'worker')).stdout.trim();
    assert.equal((await worker.docker('swarm', 'join', '--token', joinToken, '127.0.0.1:2377')).code, 0);
    await page.click('a[data-view="nodes"]');
    const row = page.locator('[data-testid="nodes"] tr[data-node="worker-1"]');
    await row.waitFor();
    assert.equal(await row.getAttribute('data-state'), 'ready');
    await page.waitForSelector('[data-testid="nodes"] tr[data-node="worker-1"] td[data-heartbeat^="20"]', { timeout: 10_000 });
    const stoppedAt = Date.now();
    process.kill(worker.pid, 'SIGKILL');
    await page.waitForSelector('[data-testid="nodes"] tr[data-node="worker-1"][data-state="down"]', { timeout: 20_000 });
    log(`worker-1 shown down ${Date.now() - stoppedAt} ms after its agent was killed (heartbeat period 1 s, 3 missed)`);
    type Styled = { getComputedStyle(element: unknown): { backgroundColor: string } };
    const background = await row.locator('td').first().evaluate((td) => (globalThis as unknown as Styled).getComputedStyle(td).backgroundColor);
    assert.equal(background, 'rgb(253, 236, 234)', 'the row turns red');
    await screenshot(page, outDir, 'nodes', log);
  });

  it('the time machine at a position before the create shows the pool without the network', async () => {
    await page.click('a[data-view="time"]');
    await page.waitForSelector('[data-testid="time-machine-result"]');
    await page.fill('input[name="position"]', String(headBeforeCreate));
    await page.click('.time-controls button[type="submit"]');
    await page.waitForSelector(`[data-testid="time-machine-result"][data-position="${headBeforeCreate}"]`);
    assert.equal(await cellColour(page, 'tm-pools', POOL_A, 0), COLOURS.ingress);
    assert.equal(await cellColour(page, 'tm-pools', POOL_A, 1), COLOURS.free, 'x did not exist yet');
    assert.equal(await page.locator('[data-testid="time-machine-result"] [data-testid="nodes"] tr[data-node="worker-1"]').count(), 0);
    assert.equal(await page.locator('[data-testid="time-machine-result"] [data-testid="networks"] tr[data-network="x"]').count(), 0);
    assert.equal(await page.locator('[data-testid="time-machine-result"] [data-testid="networks"] tr[data-network="ingress"]').count(), 1);
    await screenshot(page, outDir, 'time-machine', log);
    const head = await page.getAttribute('input[name="slider"]', 'max');
    await page.fill('input[name="position"]', String(head));
    await page.click('.time-controls button[type="submit"]');
    await page.waitForSelector(`[data-testid="time-machine-result"][data-position="${head}"]`);
    assert.equal(await cellColour(page, 'tm-pools', POOL_A, 1), COLOURS.network, 'at the head, x is there');
    await page.fill('input[name="date"]', '2000-01-01T00:00:00');
    await page.click('.time-controls button[type="submit"]');
    await page.waitForSelector('[data-testid="time-machine-result"][data-position="0"] [data-testid="no-swarm"]');
  });
});

function token(fx: StackFixture): string {
  return new URL(fx.dashboardUrl).searchParams.get('token')!;
}
