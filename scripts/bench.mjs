#!/usr/bin/env node
// `npm run bench [-- <suite>] [options]`: builds, then runs one benchmark suite of bench/
// (default `init`; `npm run bench -- --help` lists suites and options) against a private
// nats-server and the whole stack on free loopback ports, in a temp dir. Everything it starts is
// stopped by PID at the end. Prints a header, tables, and a final JSON line with all figures.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
if (!existsSync('node_modules/.package-lock.json')) execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
// `--no-build` runs what dist/ holds (e.g. while someone's half-done edit breaks the build).
const args = process.argv.slice(2);
const build = !args.includes('--no-build');
if (build) {
  try {
    // Build output goes to stderr so that stdout stays the report.
    execSync('npm run --silent build', { stdio: ['ignore', process.stderr, 'inherit'] });
  } catch {
    console.error('bench: the build failed (see above); `npm run bench -- --no-build` runs the last build in dist/');
    process.exit(1);
  }
}
if (!existsSync('dist/bench/main.js')) {
  console.error('bench: dist/bench/main.js is missing: run `npm run build`');
  process.exit(1);
}
const { runBench } = await import(pathToFileURL(path.join(root, 'dist/bench/main.js')).href);
const code = await runBench(args.filter((arg) => arg !== '--no-build'), { built: build });
// Keep-alive sockets and timers must not hold the process: everything was stopped already.
process.exit(code);
