import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { KurrentDBClient } from '@kurrent/kurrentdb-client';

import { isValidStreamName } from '../stream-name.js';
import { isKurrentDbUrl, kurrentDbConnectionString, OWN_STREAMS_FILTER, redactUrl } from './options.js';

describe('KurrentDB options: URLs', () => {
  it('recognises every scheme of the client, old and new', () => {
    for (const url of [
      'kurrentdb://127.0.0.1:2113?tls=false',
      'kurrentdb+discover://cluster.example:2113',
      'esdb://admin:changeit@127.0.0.1:2113?tls=false',
      'esdb+discover://cluster.example:2113',
      'kurrent://h:2113',
      'kdb://h:2113',
      ' KurrentDB://h:2113 ',
    ]) {
      assert.equal(isKurrentDbUrl(url), true, url);
    }
    for (const url of ['', 'nats://127.0.0.1:4222', 'http://h:2113', '127.0.0.1:2113', 'esdbx://h', 'kurrentdb:h']) {
      assert.equal(isKurrentDbUrl(url), false, url);
    }
  });

  it('rewrites esdb schemes to kurrentdb and keeps the rest of the URL', () => {
    assert.equal(kurrentDbConnectionString('esdb://127.0.0.1:2113?tls=false'), 'kurrentdb://127.0.0.1:2113?tls=false');
    assert.equal(kurrentDbConnectionString('esdb+discover://a:1,b:2?tls=true'), 'kurrentdb+discover://a:1,b:2?tls=true');
    assert.equal(kurrentDbConnectionString(' kurrentdb://h:2113 '), 'kurrentdb://h:2113');
  });

  it('gives strings the client itself parses (no server needed)', async () => {
    for (const url of ['esdb://127.0.0.1:1?tls=false', 'kurrentdb://user:pw@127.0.0.1:1,127.0.0.2:1?tls=false&nodePreference=leader']) {
      const client = KurrentDBClient.connectionString(kurrentDbConnectionString(url));
      await client.dispose();
    }
  });

  it('refuses other URLs without echoing a password', () => {
    assert.throws(() => kurrentDbConnectionString('nats://user:secret@h:4222'), (err: unknown) => {
      assert.ok(err instanceof TypeError);
      assert.doesNotMatch(err.message, /secret/);
      return true;
    });
    assert.equal(redactUrl('kurrentdb://admin:changeit@h:2113?tls=false'), 'kurrentdb://admin:***@h:2113?tls=false');
    assert.equal(redactUrl('kurrentdb://h:2113'), 'kurrentdb://h:2113');
  });
});

describe('KurrentDB options: the $all filter', () => {
  it('lets through exactly the stream names the port allows, and no system stream', () => {
    const filter = new RegExp(OWN_STREAMS_FILTER.regex);
    assert.equal(OWN_STREAMS_FILTER.filterOn, 'streamName');
    for (const name of ['network-1a2b', 'cluster-x', 'Valid_name-1', 'x'.repeat(200)]) {
      assert.equal(filter.test(name), true, name);
      assert.equal(isValidStreamName(name), true, name);
    }
    for (const name of ['$all', '$$network-1', '$ce-network', '$settings', '$by_correlation_id', 'a.b', 'x'.repeat(201)]) {
      assert.equal(filter.test(name), false, name);
    }
  });
});
