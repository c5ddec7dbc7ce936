#!/usr/bin/env node
// The dashboard's page (apps/gateway/web): type-checked with its own tsconfig (DOM, Preact's JSX),
// bundled with esbuild into dist/apps/gateway/web beside the compiled gateway, which serves it.
// Everything comes from node_modules: the page loads nothing from the internet. Part of `npm run build`.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'apps', 'gateway', 'web');
const out = path.join(root, 'dist', 'apps', 'gateway', 'web');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

execFileSync(process.execPath, [tsc, '-p', path.join(source, 'tsconfig.json')], { stdio: 'inherit' });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [path.join(source, 'app.tsx')],
  outfile: path.join(out, 'app.js'),
  bundle: true,
  format: 'esm',
  target: 'es2022',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
copyFileSync(path.join(source, 'index.html'), path.join(out, 'index.html'));
copyFileSync(path.join(source, 'app.css'), path.join(out, 'app.css'));
