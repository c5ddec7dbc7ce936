import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventData } from '#contracts';
import {
  decideNodeCertificate, decideRootCa, evolveNodeCertificates, evolveRootCa, initialNodeCertificates, initialRootCa, signingRoot,
} from './certificate-authority.js';

const sealed = { alg: 'A256GCM' as const, kid: 'k', iv: 'AAAAAAAAAAAAAAAA', ct: '', tag: 'AAAAAAAAAAAAAAAAAAAAAAAA' };
const root: EventData<'RootCaCreated'> = {
  clusterId: 'c1', certPem: 'ca', sealedKey: sealed, keyFingerprint: 'f', certIssuerSubject: '', certIssuerPublicKey: '', caDigest: 'd',
};
const certificate = (serial: string, keyMadeByCa = false): EventData<'NodeCertificateIssued'> => ({
  nodeId: 'n1', clusterId: 'c1', role: 'worker', certPem: `cert-${serial}`, serial, notAfter: '2027-01-01T00:00:00Z', ...(keyMadeByCa ? { sealedKey: sealed } : {}),
});

describe('root CA', () => {
  it('is created once: a second create decides nothing', () => {
    const events = decideRootCa({ type: 'CreateRootCa', root }, initialRootCa);
    assert.deepEqual(events, [{ type: 'RootCaCreated', data: root }]);
    const state = events.reduce(evolveRootCa, initialRootCa);
    assert.deepEqual(decideRootCa({ type: 'CreateRootCa', root: { ...root, certPem: 'other' } }, state), []);
    assert.ok(state.exists && state.certPem === 'ca');
  });
});

const rotation = (rotationId: string, certPem: string, origin: 'force-rotate' | 'signing-ca' = 'force-rotate'): EventData<'RootRotationStarted'> => ({
  clusterId: 'c1', rotationId, origin, certPem, sealedKey: sealed, keyFingerprint: `f-${certPem}`, certIssuerSubject: 's', certIssuerPublicKey: `k-${certPem}`,
  caDigest: `d${certPem}`, crossSignedCertPem: `x-${certPem}`,
});

describe('root rotation', () => {
  const created = [{ type: 'RootCaCreated' as const, data: root }].reduce(evolveRootCa, initialRootCa);

  it('starts once per rotation ID; the current root stays the trust root, the new one signs (with its cross-signed certificate)', () => {
    const started = decideRootCa({ type: 'StartRootRotation', rotation: rotation('r1', 'ca2') }, created);
    assert.deepEqual(started, [{ type: 'RootRotationStarted', data: rotation('r1', 'ca2') }]);
    const during = started.reduce(evolveRootCa, created);
    assert.deepEqual(decideRootCa({ type: 'StartRootRotation', rotation: rotation('r1', 'ca3') }, during), []);
    assert.ok(during.exists && during.certPem === 'ca' && during.rotation?.root.certPem === 'ca2');
    assert.deepEqual([signingRoot(during)?.certPem, signingRoot(during)?.chainPem], ['ca2', 'x-ca2']);
  });

  it('a second rotation supersedes the first; ending the superseded one decides nothing', () => {
    const during = [{ type: 'RootRotationStarted' as const, data: rotation('r1', 'ca2') }, { type: 'RootRotationStarted' as const, data: rotation('r2', 'ca3') }].reduce(evolveRootCa, created);
    assert.deepEqual(decideRootCa({ type: 'CompleteRootRotation', rotationId: 'r1' }, during), []);
    const completed = decideRootCa({ type: 'CompleteRootRotation', rotationId: 'r2' }, during);
    assert.deepEqual(completed, [{ type: 'RootRotationCompleted', data: { clusterId: 'c1', rotationId: 'r2', caDigest: 'dca3', previousCaDigest: 'd' } }]);
    const after = completed.reduce(evolveRootCa, during);
    assert.ok(after.exists && after.certPem === 'ca3' && after.caDigest === 'dca3' && after.rotation === undefined);
    assert.deepEqual([signingRoot(after)?.certPem, signingRoot(after)?.chainPem], ['ca3', '']);
    assert.deepEqual(decideRootCa({ type: 'CompleteRootRotation', rotationId: 'r2' }, after), []);
  });

  it('the operator\'s root that is already the trust root (or already wanted) rotates nothing', () => {
    assert.deepEqual(decideRootCa({ type: 'StartRootRotation', rotation: rotation('r1', 'ca', 'signing-ca') }, created), []);
    const during = [{ type: 'RootRotationStarted' as const, data: rotation('r1', 'ca2', 'signing-ca') }].reduce(evolveRootCa, created);
    assert.deepEqual(decideRootCa({ type: 'StartRootRotation', rotation: rotation('r2', 'ca2', 'signing-ca') }, during), []);
    assert.equal(decideRootCa({ type: 'StartRootRotation', rotation: rotation('r3', 'ca2') }, during).length, 1, 'a forced rotation always makes a new root');
  });

  it('cannot start without a root', () => {
    assert.throws(() => decideRootCa({ type: 'StartRootRotation', rotation: rotation('r1', 'ca2') }, initialRootCa), /no root CA/);
  });
});

describe('node certificates', () => {
  it('certify every key a node sends (join, renewals)', () => {
    const first = decideNodeCertificate({ type: 'IssueNodeCertificate', certificate: certificate('1') }, initialNodeCertificates);
    const state = first.reduce(evolveNodeCertificates, initialNodeCertificates);
    const renewed = decideNodeCertificate({ type: 'IssueNodeCertificate', certificate: certificate('2') }, state);
    assert.deepEqual(renewed, [{ type: 'NodeCertificateIssued', data: certificate('2') }]);
    assert.ok(renewed.reduce(evolveNodeCertificates, state).issued);
  });

  it('make a key pair of the CA\'s own once (the init manager): a retry decides nothing', () => {
    const first = decideNodeCertificate({ type: 'IssueNodeCertificate', certificate: certificate('1', true) }, initialNodeCertificates);
    assert.equal(first.length, 1);
    const state = first.reduce(evolveNodeCertificates, initialNodeCertificates);
    assert.deepEqual(decideNodeCertificate({ type: 'IssueNodeCertificate', certificate: certificate('2', true) }, state), []);
    assert.ok(state.issued && state.current.serial === '1');
  });

  it("renew a key pair of the CA's own only while the serial named is still the current one", () => {
    const state = [{ type: 'NodeCertificateIssued' as const, data: certificate('1', true) }].reduce(evolveNodeCertificates, initialNodeCertificates);
    const renewed = decideNodeCertificate({ type: 'IssueNodeCertificate', certificate: certificate('2', true), renewsSerial: '1' }, state);
    assert.equal(renewed.length, 1);
    const after = renewed.reduce(evolveNodeCertificates, state);
    assert.deepEqual(decideNodeCertificate({ type: 'IssueNodeCertificate', certificate: certificate('3', true), renewsSerial: '1' }, after), []);
  });
});
