import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventData } from '#contracts';
import {
  decideNodeCertificate, decideRootCa, evolveNodeCertificates, evolveRootCa, initialNodeCertificates, initialRootCa,
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
});
