import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { dashboardTokenFile, loadOrCreateDashboardToken, parseDashboardAddr, tokenMatches } from './dashboard-config.js';
import { parseLogPoint } from './time-machine.js';

describe('dashboard configuration', () => {
  it('listens on 127.0.0.1:2380 by default, on any loopback address when asked, nowhere with off', () => {
    assert.deepEqual(parseDashboardAddr(undefined), { host: '127.0.0.1', port: 2380 });
    assert.deepEqual(parseDashboardAddr('127.0.0.2:8080'), { host: '127.0.0.2', port: 8080 });
    assert.deepEqual(parseDashboardAddr('localhost:2380'), { host: 'localhost', port: 2380 });
    assert.deepEqual(parseDashboardAddr('[::1]:2380'), { host: '::1', port: 2380 });
    assert.equal(parseDashboardAddr('off'), undefined);
  });

  it('refuses an address beyond loopback (it has no TLS) and a malformed one, saying why', () => {
    for (const addr of ['0.0.0.0:2380', '192.168.1.10:2380', '[::]:2380', 'example.com:2380']) {
      assert.throws(() => parseDashboardAddr(addr), /loopback address only .* needs TLS/, addr);
    }
    for (const addr of ['127.0.0.1', '127.0.0.1:0', '127.0.0.1:70000', ':2380']) {
      assert.throws(() => parseDashboardAddr(addr), /expected host:port/, addr);
    }
  });

  it('makes the token once (64 hex characters, mode 0600) and reads it back after', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'dashboard-token-')), 'data', 'dashboard-token');
    const token = loadOrCreateDashboardToken(file);
    assert.match(token, /^[0-9a-f]{64}$/);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(loadOrCreateDashboardToken(file), token, 'the same token on the next start');
    writeFileSync(file, 'not a token');
    assert.throws(() => loadOrCreateDashboardToken(file), /64 hexadecimal characters/);
    assert.equal(readFileSync(file, 'utf8'), 'not a token', 'a bad file is reported, never replaced');
  });

  it('keeps the token beside the key-encryption key unless DASHBOARD_TOKEN_FILE says where', () => {
    assert.equal(dashboardTokenFile({ SWARM_KEK_FILE: '/srv/swarm/kek' }), '/srv/swarm/dashboard-token');
    assert.equal(dashboardTokenFile({ DASHBOARD_TOKEN_FILE: '/tmp/t', SWARM_KEK_FILE: '/srv/kek' }), '/tmp/t');
  });

  it('compares tokens whatever their length, and refuses none', () => {
    const token = 'a'.repeat(64);
    assert.equal(tokenMatches(token, token), true);
    assert.equal(tokenMatches(token, `${token}a`), false);
    assert.equal(tokenMatches(token, 'a'), false);
    assert.equal(tokenMatches(token, ''), false);
    assert.equal(tokenMatches(token, undefined), false);
  });

  it("reads the time machine's point: a position, or a time as RFC 3339 or unix seconds", () => {
    assert.deepEqual(parseLogPoint(new URLSearchParams('position=42')), { position: 42 });
    assert.deepEqual(parseLogPoint(new URLSearchParams('at=2026-12-04T21:00:00Z')), { at: new Date('2026-12-04T21:00:00Z') });
    assert.deepEqual(parseLogPoint(new URLSearchParams('at=1700000000.5')), { at: new Date(1_700_000_000_500) });
    assert.equal(parseLogPoint(new URLSearchParams('position=-1')), 'position must be a non-negative integer');
    assert.equal(parseLogPoint(new URLSearchParams('at=yesterday')), 'invalid time: yesterday');
    assert.equal(parseLogPoint(new URLSearchParams('')), 'give position=<n> or at=<time>');
  });
});
