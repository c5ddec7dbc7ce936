#!/usr/bin/env node
// `npm test`: builds, then runs every compiled *.spec.js with Node's test runner
// (unit, integration against a real nats-server, end-to-end with the real docker CLI).
// `npm test -- unit` (or int, e2e) runs one tier.
import { execSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
execSync('npm run --silent build', { stdio: 'inherit' });

const tiers = process.argv.slice(2);
const files = [];
(function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (entry.name.endsWith('.spec.js') && (tiers.length === 0 || tiers.some((t) => entry.name.endsWith(`.${t}.spec.js`)))) files.push(full);
  }
})(path.join(root, 'dist'));
files.sort();
const result = spawnSync(process.execPath, ['--enable-source-maps', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
