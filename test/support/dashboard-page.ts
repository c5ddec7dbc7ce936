import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from './compose-file.js';

/** The pool picture's colours (apps/gateway/web/views/pool-canvas.tsx). */
export const COLOURS = { free: '#e3e7ed', network: '#2f6fd0', explicit: '#8e44ad', ingress: '#e8912d' } as const;

/**
 * The colour painted at the centre of cell `cell` of pool `pool`, read back from the canvas: the
 * test checks the picture the user sees, not a model behind it.
 */
export async function cellColour(page: Page, section: string, pool: string, cell: number): Promise<string | null> {
  return page.evaluate(([section, pool, cell]) => cellColourInPage(section, pool, Number(cell)), [section, pool, String(cell)] as const);
}

/** Waits (bounded) until the cell shows `colour`; the page is never reloaded. */
export async function waitForCellColour(page: Page, section: string, pool: string, cell: number, colour: string, timeout = 15_000): Promise<void> {
  await page.waitForFunction(([section, pool, cell, colour]) => cellColourInPage(section, pool, Number(cell)) === colour, [section, pool, String(cell), colour] as const, {
    timeout,
  });
}

/** Hovers cell `cell` and returns the tooltip's text. */
export async function hoverCell(page: Page, section: string, pool: string, cell: number): Promise<string> {
  const canvas = page.locator(`[data-testid="${section}"] figure[data-pool="${pool}"] canvas`);
  const cols = Number(await canvas.getAttribute('data-cols'));
  const px = Number(await canvas.getAttribute('data-cell-px'));
  await canvas.hover({ position: { x: (cell % cols) * px + px / 2, y: Math.floor(cell / cols) * px + px / 2 } });
  return page.locator('[data-testid="pool-tooltip"]').innerText();
}

/**
 * Saves a screenshot in the test's output folder and, with UPDATE_DOCS_SCREENSHOTS=1, into docs/
 * for the README (the views as they look, taken by the tests themselves).
 */
export async function screenshot(
  page: Page,
  outDir: string,
  name: string,
  log: (line: string) => void,
  options: { forDocs?: boolean; fullPage?: boolean } = {},
): Promise<void> {
  const { forDocs = true, fullPage = true } = options;
  const file = path.join(outDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  log(`screenshot ${file}`);
  if (forDocs && process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
    mkdirSync(path.join(repoRoot, 'docs', 'dashboard'), { recursive: true });
    copyFileSync(file, path.join(repoRoot, 'docs', 'dashboard', `${name}.png`));
  }
}

declare global {
  // Injected into the page by `installHelpers`.
  function cellColourInPage(section: string, pool: string, cell: number): string | null;
}

/** Defines `cellColourInPage` in every document the context opens. */
export const PAGE_HELPERS = `
window.cellColourInPage = (section, pool, cell) => {
  const canvas = document.querySelector('[data-testid="' + section + '"] figure[data-pool="' + pool + '"] canvas');
  if (!canvas) return null;
  const cols = Number(canvas.dataset.cols), px = Number(canvas.dataset.cellPx);
  const x = (cell % cols) * px + Math.floor(px / 2), y = Math.floor(cell / cols) * px + Math.floor(px / 2);
  const [r, g, b] = canvas.getContext('2d').getImageData(x, y, 1, 1).data;
  return '#' + [r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('');
};`;
