import assert from 'node:assert/strict';
import { it } from 'node:test';
import { generateNodeKeyAndCsr } from '#pki';
import { certificateFacts, certificateFits } from './certificate-facts.js';
import { TestCa } from './identity.test-helper.js';

const ca = new TestCa();

it('reads node ID, cluster ID, role and validity from a node certificate', () => {
  const { certPem } = ca.issue('node1', 'manager', undefined, 3600_000);
  const facts = certificateFacts(certPem);
  assert.equal(facts.nodeId, 'node1');
  assert.equal(facts.clusterId, 'cluster1');
  assert.equal(facts.role, 'manager');
  assert.equal(facts.notAfterMs - facts.notBeforeMs, 2 * 3600_000, 'swarmkit backdates by one hour');
  assert.equal(certificateFacts(ca.issue('node2', 'worker').certPem).role, 'worker');
  assert.equal(certificateFacts(ca.root.certPem).role, undefined);
});

it('a certificate fits when the CA signed it for our key', () => {
  const { keyPem, certPem } = ca.issue('node1', 'worker');
  assert.ok(certificateFits(certPem, keyPem, ca.root.certPem));
  assert.ok(!certificateFits(certPem, generateNodeKeyAndCsr().keyPem, ca.root.certPem), 'another key');
  assert.ok(!certificateFits(certPem, keyPem, new TestCa().root.certPem), 'another CA');
  assert.ok(!certificateFits('garbage', keyPem, ca.root.certPem));
});
