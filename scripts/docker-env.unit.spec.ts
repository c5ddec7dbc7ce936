import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { dockerEnvFor } from './docker-env.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'docker-env-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('prints DOCKER_HOST for the default socket and for loopback TCP', () => {
  assert.equal(dockerEnvFor({ DATA_DIR: '/srv/sp/data' }), 'DOCKER_HOST=unix:///srv/sp/data/docker.sock');
  assert.equal(dockerEnvFor({ GATEWAY_ADDR: '127.0.0.1:2375' }), 'DOCKER_HOST=tcp://127.0.0.1:2375');
  assert.equal(dockerEnvFor({ GATEWAY_ADDR: '[::1]:2375' }), 'DOCKER_HOST=tcp://[::1]:2375');
});

it('behind TLS: DOCKER_TLS_VERIFY and the client folder npm run certs wrote beside the server one', () => {
  for (const folder of ['server', 'client']) {
    mkdirSync(path.join(dir, folder));
    for (const file of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(path.join(dir, folder, file), '');
  }
  assert.equal(
    dockerEnvFor({ GATEWAY_ADDR: '0.0.0.0:2376', GATEWAY_TLS_CERT_PATH: path.join(dir, 'server') }),
    `DOCKER_HOST=tcp://127.0.0.1:2376 DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=${path.join(dir, 'client')}`,
  );
  assert.match(dockerEnvFor({ GATEWAY_ADDR: '192.0.2.10:2376', GATEWAY_TLS_CA: 'a', GATEWAY_TLS_CERT: 'b', GATEWAY_TLS_KEY: 'c' }), /^DOCKER_HOST=tcp:\/\/192\.0\.2\.10:2376 DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=<folder with ca\.pem, cert\.pem, key\.pem of a client certificate>$/);
});

it("refuses what the gateway would refuse, with the gateway's text", () => {
  assert.throws(() => dockerEnvFor({ GATEWAY_ADDR: '0.0.0.0:2375' }), /^Error: GATEWAY_ADDR=0\.0\.0\.0:2375: refusing to serve the Engine API without TLS/);
});
