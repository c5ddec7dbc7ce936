import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SERVICES } from '../scripts/stack.js';
import { envNamesReadBySources, flagValue, loadComposeFile, repoRoot, type ComposeService } from './support/compose-file.js';

/**
 * docker-compose.yml checked without a container engine: its structure here with a YAML parser,
 * and the whole file by `docker-compose config` (Debian's package) where that is installed.
 */
const compose = loadComposeFile();
const byName = new Map(compose.services.map((service) => [service.name, service]));
const natsNodes = compose.services.filter((service) => service.image?.startsWith('nats:'));
const appServices = compose.services.filter((service) => service.environment.APP !== undefined);
const APPS = [...SERVICES, 'gateway'];

/** Read by the event store adapters built in parallel for issue 6 (JetStream cluster, KurrentDB). */
const AWAITING_ADAPTERS = new Set(['EVENTSTORE_URL', 'EVENTSTORE_REPLICAS', 'EVENTSTORE_STORAGE']);
/** The switch to KurrentDB shown in the file's comment, and the default it overrides. */
const KURRENTDB_SWITCH = /^\s*#\s+EVENTSTORE_URL='(kurrentdb:\/\/([a-z0-9-]+):(\d+)\?tls=false)' docker compose --profile (\S+) up -d$/m;
const JETSTREAM_DEFAULT = '${EVENTSTORE_URL:-jetstream}';

describe('docker-compose.yml: the NATS cluster', () => {
  it('has three JetStream nodes in one cluster, each routing to the two others', () => {
    assert.equal(natsNodes.length, 3);
    const clusterNames = new Set(natsNodes.map((node) => flagValue(node.command, '--cluster_name')));
    assert.equal(clusterNames.size, 1, 'one cluster name');
    for (const node of natsNodes) {
      assert.equal(flagValue(node.command, '--name'), node.name, `${node.name}: server name is unique (JetStream requires it)`);
      assert.ok(node.command.includes('--jetstream') || node.command.includes('-js'), `${node.name}: JetStream on`);
      const clusterPort = new URL(flagValue(node.command, '--cluster') ?? '').port;
      const routes = (flagValue(node.command, '--routes') ?? '').split(',').map((route) => new URL(route));
      const others = natsNodes.filter((other) => other !== node).map((other) => other.name);
      assert.deepEqual(routes.map((route) => route.hostname).sort(), others.sort(), `${node.name} routes to the others`);
      for (const route of routes) assert.equal(route.port, clusterPort, `${node.name}: route ${route.href} on the cluster port`);
    }
  });

  it('keeps each node store on a volume of its own', () => {
    const stores = natsNodes.map((node) => {
      const storeDir = flagValue(node.command, '--store_dir') ?? flagValue(node.command, '-sd');
      const mount = node.volumes.find((volume) => volume.split(':')[1] === storeDir);
      assert.ok(mount, `${node.name}: ${storeDir} is a volume`);
      return mount.split(':')[0]!;
    });
    assert.equal(new Set(stores).size, 3);
    for (const store of stores) assert.ok(compose.volumes.includes(store), `volume ${store} is declared`);
  });

  it('checks each node on its monitoring port, JetStream included', () => {
    for (const node of natsNodes) {
      const port = flagValue(node.command, '--http_port') ?? flagValue(node.command, '-m');
      assert.ok(node.healthcheck.some((arg) => arg.includes(`:${port}/healthz?js-enabled-only=true`)), node.name);
    }
  });

  it('gives every app all three nodes in NATS_URL', () => {
    for (const app of appServices) {
      const hosts = app.environment.NATS_URL!.split(',').map((url) => new URL(url).hostname);
      assert.deepEqual(hosts.sort(), natsNodes.map((node) => node.name).sort(), app.name);
    }
  });
});

describe('docker-compose.yml: apps', () => {
  it('runs two replicas of every service and of the gateway, each app of the image', () => {
    for (const app of APPS) {
      const replicas = appServices.filter((service) => service.environment.APP === app).reduce((sum, service) => sum + service.replicas, 0);
      assert.ok(replicas >= 2, `${app}: ${replicas} replica(s)`);
      assert.ok(existsSync(path.join(repoRoot, 'apps', app, 'src', 'main.ts')), `apps/${app} exists`);
    }
    for (const service of appServices) assert.ok(APPS.includes(service.environment.APP!), `${service.name}: APP=${service.environment.APP}`);
  });

  it('publishes each host port once (a scaled service would publish its ports twice)', () => {
    const published = compose.services.flatMap((service) => service.ports.map((port) => port.split(':').slice(0, -1).join(':')));
    assert.equal(new Set(published).size, published.length, published.join(' '));
    for (const service of compose.services) assert.ok(service.ports.length === 0 || service.replicas === 1, `${service.name} publishes ports and is scaled`);
  });

  it('has a health check on every service', () => {
    for (const service of compose.services) {
      assert.ok(service.healthcheck.length > 0 && service.healthcheck[0] !== 'NONE', `${service.name} has a health check`);
    }
  });

  it('restarts every service that exits unasked (a crash, the OOM killer), but not one stopped on purpose', () => {
    for (const service of compose.services) {
      assert.ok(['unless-stopped', 'on-failure'].includes(service.restart), `${service.name}: restart: ${service.restart}`);
    }
  });

  it('starts a service only once what it depends on is healthy', () => {
    for (const service of compose.services) {
      for (const [dependency, condition] of Object.entries(service.dependsOn)) {
        assert.ok(byName.has(dependency), `${service.name} depends on ${dependency}, which exists`);
        assert.equal(condition, 'service_healthy', `${service.name} -> ${dependency}`);
        assert.ok(byName.get(dependency)!.healthcheck.length > 0, `${dependency} has a health check to wait for`);
      }
    }
    for (const app of appServices) {
      for (const node of natsNodes) assert.ok(node.name in app.dependsOn, `${app.name} waits for ${node.name}`);
      if (app.environment.APP === 'gateway') for (const service of SERVICES) assert.ok(service in app.dependsOn, `${app.name} waits for ${service}`);
    }
  });

  it('hands the key-encryption key over as a secret, never as a plain variable', () => {
    const [name, secret] = Object.entries(compose.secrets)[0] ?? [];
    assert.ok(name && secret?.file, 'a file secret is declared');
    assert.match(secret.file, /^\.\/secrets\//, 'kept under secrets/ (git-ignored)');
    for (const app of appServices) {
      assert.ok(app.secrets.includes(name), `${app.name} mounts ${name}`);
      assert.equal(app.environment.SWARM_KEK_FILE, `/run/secrets/${name}`, app.name);
      assert.equal(app.environment.SWARM_KEK, undefined, `${app.name}: no KEK in the environment`);
    }
  });

  it('pins every image to a tag other than latest', () => {
    for (const service of compose.services) {
      const tag = /:([^/:]+)$/.exec(service.image ?? '')?.[1];
      assert.ok(tag && tag !== 'latest', `${service.name}: ${service.image}`);
    }
  });
});

describe('docker-compose.yml: the KurrentDB alternative', () => {
  const kurrentdb = compose.services.find((service) => service.image?.startsWith('kurrentplatform/kurrentdb:'));

  it('is one insecure node behind a profile, with a health check', () => {
    assert.ok(kurrentdb, 'a KurrentDB service');
    assert.equal(kurrentdb.environment.KURRENTDB_INSECURE, 'true');
    assert.ok(kurrentdb.profiles.length > 0, 'not started unless asked for');
    assert.ok(kurrentdb.healthcheck.length > 0);
  });

  it('is chosen with EVENTSTORE_URL, JetStream being the default', () => {
    const match = KURRENTDB_SWITCH.exec(compose.text);
    assert.ok(match, 'the switch is shown');
    assert.equal(match[2], kurrentdb?.name);
    assert.equal(match[3], '2113');
    assert.ok(kurrentdb?.profiles.includes(match[4]!), `profile ${match[4]}`);
    for (const app of appServices) assert.equal(app.environment.EVENTSTORE_URL, JETSTREAM_DEFAULT, app.name);
  });
});

describe('docker-compose.yml: environment names the code reads', () => {
  const read = envNamesReadBySources();
  const set = new Set(compose.services.filter((service) => service.environment.APP !== undefined).flatMap((service) => Object.keys(service.environment)));
  for (const name of [...set].sort()) {
    const awaited = !read.has(name) && AWAITING_ADAPTERS.has(name);
    it(`${name} is read by the apps`, { skip: awaited ? `${name} is not read on this branch yet (event store adapters of issue 6)` : false }, () => {
      assert.ok(read.has(name), `${name} is set in docker-compose.yml but no source reads it`);
    });
  }
});

describe('docker-compose.yml: accepted by Compose itself', () => {
  const onPath = (binary: string): boolean => (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && existsSync(path.join(dir, binary)));
  const hasComposeV1 = onPath('docker-compose');

  it('docker-compose config', { skip: hasComposeV1 ? false : 'docker-compose is not installed (Debian: apt-get install docker-compose)' }, () => {
    const run = (env: Record<string, string>, ...args: string[]): string =>
      execFileSync('docker-compose', ['--file', 'docker-compose.yml', ...args], {
        cwd: repoRoot,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    run({}, 'config', '--quiet');
    const services = run({}, '--profile', 'kurrentdb', 'config', '--services').trim().split('\n').sort();
    assert.deepEqual(services, compose.services.map((service) => service.name).sort());
    const url = KURRENTDB_SWITCH.exec(compose.text)?.[1] ?? '';
    const resolved = (env: Record<string, string>): number => run(env, 'config').split('\n').filter((line) => line.trim() === `EVENTSTORE_URL: ${url}`).length;
    assert.equal(resolved({}), 0, 'JetStream unless asked');
    assert.equal(resolved({ EVENTSTORE_URL: url }), appServices.length, 'every app switches to KurrentDB');
  });
});
