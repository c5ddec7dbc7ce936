import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EngineListenError, engineListenPlan, engineUrl, isLoopback, plainTcpWarnings, type EngineListenInput } from './listen-plan.js';

const names = { addr: 'GATEWAY_ADDR', ca: 'GATEWAY_TLS_CA', cert: 'GATEWAY_TLS_CERT', key: 'GATEWAY_TLS_KEY' };
const plan = (addr: string | undefined, tls: EngineListenInput['tls'] = {}) => engineListenPlan({ addr, defaultSocket: '/srv/data/docker.sock', tls, names });
const TLS = { ca: '/c/ca.pem', cert: '/c/server-cert.pem', key: '/c/server-key.pem' };

describe('where the Engine API listens', () => {
  it('a unix socket by default, or the one named', () => {
    assert.deepEqual(plan(undefined), { kind: 'unix', path: '/srv/data/docker.sock' });
    assert.deepEqual(plan(''), { kind: 'unix', path: '/srv/data/docker.sock' });
    assert.deepEqual(plan('unix:///run/sp/docker.sock'), { kind: 'unix', path: '/run/sp/docker.sock' });
    assert.equal(engineUrl(plan(undefined)), 'unix:///srv/data/docker.sock');
  });

  it('plain TCP on loopback when asked, with the two warnings dockerd logs', () => {
    const p = plan('127.0.0.1:2375');
    assert.deepEqual(p, { kind: 'tcp', host: '127.0.0.1', port: 2375, tls: undefined });
    assert.deepEqual(plan('tcp://[::1]:2375'), { kind: 'tcp', host: '::1', port: 2375, tls: undefined });
    assert.deepEqual(plan('localhost:2375'), { kind: 'tcp', host: 'localhost', port: 2375, tls: undefined });
    assert.deepEqual(plainTcpWarnings(p), [
      'Binding to IP address without --tlsverify is insecure and gives root access on this machine to everyone who has access to your network.  host="tcp://127.0.0.1:2375"',
      'Binding to an IP address, even on localhost, can also give access to scripts run in a browser. Be safe out there!  host="tcp://127.0.0.1:2375"',
    ]);
  });

  it('refuses plain TCP on any other address, saying how to fix it', () => {
    for (const addr of ['0.0.0.0:2375', ':2375', '192.0.2.10:2375', 'tcp://[::]:2375', 'gw.example.test:2375', '[2001:db8::1]:2375']) {
      assert.throws(() => plan(addr), (error: Error) => {
        assert.ok(error instanceof EngineListenError, addr);
        assert.match(error.message, /^GATEWAY_ADDR=.*: refusing to serve the Engine API without TLS on .*, which is not a loopback address/);
        assert.match(error.message, /GATEWAY_TLS_CA, GATEWAY_TLS_CERT and GATEWAY_TLS_KEY/);
        assert.match(error.message, /npm run certs/);
        return true;
      });
    }
  });

  it('TLS on any address with the three files; none of the warnings', () => {
    const p = plan('0.0.0.0:2376', TLS);
    assert.deepEqual(p, { kind: 'tcp', host: '0.0.0.0', port: 2376, tls: TLS });
    assert.deepEqual(plainTcpWarnings(p), []);
    assert.throws(() => plan('0.0.0.0:2376', { ca: TLS.ca, key: TLS.key }), /needs all of GATEWAY_TLS_CA, GATEWAY_TLS_CERT and GATEWAY_TLS_KEY; missing: GATEWAY_TLS_CERT/);
    assert.throws(() => plan(undefined, TLS), /applies to a TCP address, not to a unix socket/);
  });

  it('refuses malformed addresses and over-long socket paths', () => {
    for (const addr of ['127.0.0.1', '127.0.0.1:99999', 'http://127.0.0.1:2375', '127.0.0.1:x']) assert.throws(() => plan(addr), /expected unix:\/\/\/path, host:port or tcp:\/\/host:port/, addr);
    assert.throws(() => plan(`unix:///tmp/${'x'.repeat(120)}.sock`), /longer than 107 bytes/);
  });

  it('loopback: 127/8, ::1 and localhost', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '0:0:0:0:0:0:0:1', 'localhost']) assert.equal(isLoopback(host), true, host);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', '::2', 'example.test', '']) assert.equal(isLoopback(host), false, host);
  });
});
