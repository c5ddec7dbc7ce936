import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { freePort } from '#testing';
import { browserMissing, launchChromium } from './support/browser.js';
import { COLOURS, PAGE_HELPERS, cellColour, screenshot, waitForCellColour } from './support/dashboard-page.js';
import { startStackFixture, type StackFixture } from './support/stack-fixture.js';

/** DASHBOARD_SCALE_NETWORKS overrides the count (the issue asks for 10,000). */
const NETWORKS = Number(process.env.DASHBOARD_SCALE_NETWORKS ?? 10_000);
/** Creates stop after this long, whatever the count reached (the figure is reported with it). */
const CREATE_BUDGET_MS = 240_000;
const IN_FLIGHT = 16;
const POOL = '10.0.0.0/8';

/**
 * The pool picture with 10,000 networks: the default pool 10.0.0.0/8 at /24 is 65,536 subnets, all
 * drawn (one 3 px cell each). Draw times are printed, not asserted: they depend on the machine.
 */
describe('dashboard with 10,000 networks', { skip: browserMissing() }, () => {
  let fx: StackFixture;
  let context: BrowserContext;
  let page: Page;
  let outDir: string;
  let profile: string | undefined;
  let created = 0;
  const log = (line: string): void => console.log(`# ${line}`);

  before(async () => {
    outDir = mkdtempSync(path.join(os.tmpdir(), 'swarmplane-dashboard-scale-'));
    log(`screenshots in ${outDir}`);
    fx = await startStackFixture();
    const init = await fx.docker('swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', `127.0.0.1:${await freePort()}`);
    assert.equal(init.code, 0, init.stderr);
    ({ context, profile } = await launchChromium());
    await context.addInitScript(PAGE_HELPERS);
    page = await context.newPage();
  });
  after(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await fx?.stop();
  });

  it('takes the creates live while they happen (the page is open throughout)', { timeout: CREATE_BUDGET_MS + 120_000 }, async () => {
    await page.goto(fx.dashboardUrl);
    await page.goto(`http://${fx.dashboardAddr}/#pools`);
    // On failure, what the page showed (a hash change the page missed once left it on the Swarm view).
    await page.waitForSelector(`[data-testid="pools"] figure[data-pool="${POOL}"]`, { timeout: 90_000 }).catch(async (error: unknown) => {
      await page.screenshot({ path: path.join(outDir, 'pools-not-shown.png') }).catch(() => undefined);
      log(`the pool picture did not show; the page held: ${(await page.content()).slice(0, 2000)}`);
      throw error;
    });
    const started = Date.now();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < NETWORKS && Date.now() - started < CREATE_BUDGET_MS) {
        const name = `scale${next++}`;
        const reply = await fx.api('POST', '/networks/create', { Name: name, Driver: 'overlay' });
        assert.equal(reply.status, 201, reply.text);
        created++;
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const seconds = (Date.now() - started) / 1000;
    log(`${created} networks created in ${seconds.toFixed(1)} s (${Math.round(created / seconds)}/s, ${IN_FLIGHT} in flight)${created < NETWORKS ? `: stopped by the ${CREATE_BUDGET_MS / 1000} s budget` : ''}`);
    const waited = Date.now();
    await page.waitForSelector(`[data-testid="pools"][data-networks="${created + 1}"]`, { timeout: 60_000 });
    log(`the open page showed all ${created + 1} networks ${Date.now() - waited} ms after the last create answered`);
    assert.equal(await cellColour(page, 'pools', POOL, created), COLOURS.network, 'the last network has its cell');
    await screenshot(page, outDir, 'pools-live-10000', log, { forDocs: false, fullPage: false });
  });

  it('draws the pool picture of a freshly opened page, and redraws it on a create', { timeout: 120_000 }, async () => {
    const opened = Date.now();
    await page.reload();
    await page.waitForSelector(`[data-testid="pools"][data-networks="${created + 1}"][data-draw-ms]`, { timeout: 60_000 });
    const firstDraw = Number(await page.getAttribute('[data-testid="pools"]', 'data-draw-ms'));
    log(`page opened with ${created + 1} networks: pool picture (65,536 cells) laid out and painted in ${firstDraw.toFixed(1)} ms; ${Date.now() - opened} ms from reload to drawn`);
    const draws: number[] = [];
    for (let i = 0; i < 5; i++) {
      const reply = await fx.api('POST', '/networks/create', { Name: `more${i}`, Driver: 'overlay' });
      assert.equal(reply.status, 201, reply.text);
      await waitForCellColour(page, 'pools', POOL, created + 1 + i, COLOURS.network);
      draws.push(Number(await page.getAttribute('[data-testid="pools"]', 'data-draw-ms')));
    }
    log(`redraw after one create, with ${created + 6} networks: ${draws.map((d) => d.toFixed(1)).join(', ')} ms`);
    await screenshot(page, outDir, 'pools-10000', log, { fullPage: false });
  });

  it('the time machine shows the same picture at the head of the log', { timeout: 120_000 }, async () => {
    await page.click('a[data-view="time"]');
    const asked = Date.now();
    await page.waitForSelector(`[data-testid="tm-pools"][data-networks="${created + 6}"][data-draw-ms]`, { timeout: 60_000 });
    const draw = Number(await page.getAttribute('[data-testid="tm-pools"]', 'data-draw-ms'));
    log(`time machine at the head (replay of the whole log + page): ${Date.now() - asked} ms, of which the pool picture ${draw.toFixed(1)} ms`);
    await screenshot(page, outDir, 'time-machine-10000', log, { forDocs: false, fullPage: false });
  });
});
