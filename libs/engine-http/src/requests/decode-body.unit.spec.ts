import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseFilters } from '../filters.js';
import { checkForJson } from '../docker-http.js';
import { decodeBody } from './decode-body.js';
import { lenientQueryBool, queryVersion, strictQueryBool } from './query.js';
import { DomainError } from '#contracts';
import type { EngineRequest } from '../shapes/engine-request.js';
import { NetworkCreateBody, NodeSpecBody, SwarmInitBody, SwarmJoinBody, SwarmSpecBody } from '../shapes/request-bodies.js';
import type { TSchema } from '@sinclair/typebox';

/** The 400 text a call refuses with (every refusal here is InvalidParameter). */
function refusal(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    assert.ok(error instanceof DomainError, String(error));
    assert.equal(error.kind, 'InvalidParameter');
    return error.message;
  }
  assert.fail('expected a refusal');
}

const refused = <S extends TSchema>(body: string, request: EngineRequest<S>) => refusal(() => decodeBody(body, request));

// Every expected text below was answered by Docker Engine 20.10 (API 1.41) for the same body.
describe('decodeBody: Go json.Decoder texts', () => {
  it('reads an empty body as EOF, null as an empty request, and ignores what follows the first value', () => {
    assert.equal(refused('', SwarmInitBody), 'got EOF while reading request body');
    assert.equal(refused('  \n', SwarmInitBody), 'got EOF while reading request body');
    assert.deepEqual(decodeBody('null', SwarmInitBody), {});
    assert.deepEqual(decodeBody('{"ListenAddr":"0.0.0.0"}x', SwarmInitBody), { ListenAddr: '0.0.0.0' });
    // Unknown fields are ignored as Go ignores them: dropped, whatever they hold.
    assert.deepEqual(decodeBody('{"Spec":{"TaskDefaults":{"Junk":[1,{"a":2}],"LogDriver":{"Name":"x","More":1}}},"Extra":5}', SwarmInitBody), {
      Spec: { TaskDefaults: { LogDriver: { Name: 'x' } } },
    });
  });

  it('answers malformed JSON with Go\'s syntax texts', () => {
    const cases: [string, string][] = [
      ['abc', "invalid character 'a' looking for beginning of value"],
      ['{"a":', 'unexpected EOF'],
      ['{"a":"x', 'unexpected EOF'],
      ['{"a" 1}', "invalid character '1' after object key"],
      ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
      ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
      ['{"a":01}', "invalid character '1' after object key:value pair"],
      ['{"a":"\\q"}', "invalid character 'q' in string escape code"],
      ['['.repeat(10_001) + ']'.repeat(10_001), "invalid character '[' exceeded max depth"],
      ['{"a":'.repeat(10_001) + '1' + '}'.repeat(10_001), "invalid character '{' exceeded max depth"],
    ];
    for (const [body, text] of cases) assert.equal(refused(body, SwarmInitBody), text, body.slice(0, 20));
  });

  it('words type errors as Go\'s UnmarshalTypeError, with the struct, the field path and the Go type', () => {
    const cases: [string, EngineRequest<TSchema>, string][] = [
      ['{"ListenAddr":5}', SwarmInitBody, 'json: cannot unmarshal number into Go struct field InitRequest.ListenAddr of type string'],
      ['{"SubnetSize":"abc"}', SwarmInitBody, 'json: cannot unmarshal string into Go struct field InitRequest.SubnetSize of type uint32'],
      ['{"SubnetSize":-1}', SwarmInitBody, 'json: cannot unmarshal number -1 into Go struct field InitRequest.SubnetSize of type uint32'],
      ['{"SubnetSize":1e26}', SwarmInitBody, 'json: cannot unmarshal number 1e26 into Go struct field InitRequest.SubnetSize of type uint32'],
      ['{"SubnetSize":1E26}', SwarmInitBody, 'json: cannot unmarshal number 1E26 into Go struct field InitRequest.SubnetSize of type uint32'],
      ['{"SubnetSize":1.5}', SwarmInitBody, 'json: cannot unmarshal number 1.5 into Go struct field InitRequest.SubnetSize of type uint32'],
      ['{"DataPathPort":-1}', SwarmInitBody, 'json: cannot unmarshal number -1 into Go struct field InitRequest.DataPathPort of type uint32'],
      ['{"ForceNewCluster":"false"}', SwarmInitBody, 'json: cannot unmarshal string into Go struct field InitRequest.ForceNewCluster of type bool'],
      ['{"DefaultAddrPool":"x"}', SwarmInitBody, 'json: cannot unmarshal string into Go struct field InitRequest.DefaultAddrPool of type []string'],
      ['{"DefaultAddrPool":[1]}', SwarmInitBody, 'json: cannot unmarshal number into Go struct field InitRequest.DefaultAddrPool of type string'],
      ['{"Availability":5}', SwarmInitBody, 'json: cannot unmarshal number into Go struct field InitRequest.Availability of type swarm.NodeAvailability'],
      ['{"Spec":5}', SwarmInitBody, 'json: cannot unmarshal number into Go struct field InitRequest.Spec of type swarm.Spec'],
      ['{"Spec":{"CAConfig":{"NodeCertExpiry":"abc"}}}', SwarmInitBody, 'json: cannot unmarshal string into Go struct field CAConfig.Spec.CAConfig.NodeCertExpiry of type time.Duration'],
      ['{"Spec":{"CAConfig":{"NodeCertExpiry":1e26}}}', SwarmInitBody, 'json: cannot unmarshal number 1e26 into Go struct field CAConfig.Spec.CAConfig.NodeCertExpiry of type time.Duration'],
      ['{"Spec":{"Labels":["a=b"]}}', SwarmInitBody, 'json: cannot unmarshal array into Go struct field Spec.Spec.Labels of type map[string]string'],
      ['{"Spec":{"Labels":{"a":1}}}', SwarmInitBody, 'json: cannot unmarshal number into Go struct field Spec.Spec.Labels of type string'],
      ['{"Spec":{"Raft":{"ElectionTick":1.5}}}', SwarmInitBody, 'json: cannot unmarshal number 1.5 into Go struct field RaftConfig.Spec.Raft.ElectionTick of type int'],
      ['{"Spec":{"Raft":{"SnapshotInterval":-1}}}', SwarmInitBody, 'json: cannot unmarshal number -1 into Go struct field RaftConfig.Spec.Raft.SnapshotInterval of type uint64'],
      ['{"Spec":{"Dispatcher":{"HeartbeatPeriod":"x"}}}', SwarmInitBody, 'json: cannot unmarshal string into Go struct field DispatcherConfig.Spec.Dispatcher.HeartbeatPeriod of type time.Duration'],
      ['{"Spec":{"Orchestration":{"TaskHistoryRetentionLimit":"x"}}}', SwarmInitBody, 'json: cannot unmarshal string into Go struct field OrchestrationConfig.Spec.Orchestration.TaskHistoryRetentionLimit of type int64'],
      ['{"Spec":{"CAConfig":{"ExternalCAs":5}}}', SwarmInitBody, 'json: cannot unmarshal number into Go struct field CAConfig.Spec.CAConfig.ExternalCAs of type []*swarm.ExternalCA'],
      ['{"Spec":{"CAConfig":{"ExternalCAs":[5]}}}', SwarmInitBody, 'json: cannot unmarshal number into Go struct field CAConfig.Spec.CAConfig.ExternalCAs of type swarm.ExternalCA'],
      ['{"Spec":{"CAConfig":{"ExternalCAs":[{"Protocol":5}]}}}', SwarmInitBody, 'json: cannot unmarshal number into Go struct field ExternalCA.Spec.CAConfig.ExternalCAs.Protocol of type swarm.ExternalCAProtocol'],
      ['{"Spec":{"TaskDefaults":{"LogDriver":{"Options":{"a":1}}}}}', SwarmInitBody, 'json: cannot unmarshal number into Go struct field Driver.Spec.TaskDefaults.LogDriver.Options of type string'],
      ['[]', SwarmInitBody, 'json: cannot unmarshal array into Go value of type swarm.InitRequest'],
      ['5', SwarmSpecBody, 'json: cannot unmarshal number into Go value of type swarm.Spec'],
      ['{"CAConfig":{"NodeCertExpiry":"abc"}}', SwarmSpecBody, 'json: cannot unmarshal string into Go struct field CAConfig.CAConfig.NodeCertExpiry of type time.Duration'],
      ['{"Name":5}', SwarmSpecBody, 'json: cannot unmarshal number into Go struct field Spec.Name of type string'],
      ['{"Name":5}', NetworkCreateBody, 'json: cannot unmarshal number into Go struct field NetworkCreateRequest.Name of type string'],
      ['{"Name":"x","Labels":["a=b"]}', NetworkCreateBody, 'json: cannot unmarshal array into Go struct field NetworkCreateRequest.Labels of type map[string]string'],
      ['{"Name":"x","Internal":"false"}', NetworkCreateBody, 'json: cannot unmarshal string into Go struct field NetworkCreateRequest.Internal of type bool'],
      ['{"IPAM":{"Config":[{"Subnet":5}]}}', NetworkCreateBody, 'json: cannot unmarshal number into Go struct field IPAMConfig.IPAM.Config.Subnet of type string'],
      ['{"IPAM":{"Config":5}}', NetworkCreateBody, 'json: cannot unmarshal number into Go struct field IPAM.IPAM.Config of type []network.IPAMConfig'],
      ['5', NetworkCreateBody, 'json: cannot unmarshal number into Go value of type types.NetworkCreateRequest'],
      ['{"Labels":["a"]}', NodeSpecBody, 'json: cannot unmarshal array into Go struct field NodeSpec.Labels of type map[string]string'],
      ['{"Role":5}', NodeSpecBody, 'json: cannot unmarshal number into Go struct field NodeSpec.Role of type swarm.NodeRole'],
      ['{"RemoteAddrs":"x"}', SwarmJoinBody, 'json: cannot unmarshal string into Go struct field JoinRequest.RemoteAddrs of type []string'],
      ['{"JoinToken":5}', SwarmJoinBody, 'json: cannot unmarshal number into Go struct field JoinRequest.JoinToken of type string'],
    ];
    for (const [body, request, text] of cases) assert.equal(refused(body, request), text, body);
  });

  it('matches field names case-insensitively, as Go does', () => {
    assert.equal(refused('{"listenaddr":5}', SwarmInitBody), 'json: cannot unmarshal number into Go struct field InitRequest.ListenAddr of type string');
    assert.equal(refused('{"subnetsize":1e26}', SwarmInitBody), 'json: cannot unmarshal number 1e26 into Go struct field InitRequest.SubnetSize of type uint32');
    assert.deepEqual(decodeBody('{"spec":{"caconfig":{"nodecertexpiry":3600000000000}}}', SwarmInitBody), { Spec: { CAConfig: { NodeCertExpiry: 3600000000000 } } });
  });

  it('reads null as Go does: an unset field, a zero map value or list element', () => {
    assert.deepEqual(decodeBody('{"Spec":null,"ListenAddr":null,"DefaultAddrPool":["a",null]}', SwarmInitBody), { DefaultAddrPool: ['a', ''] });
    assert.deepEqual(decodeBody('{"Labels":{"a":null}}', NodeSpecBody), { Labels: { a: '' } });
  });

  it('bounds label keys, label values and the number of labels (our limits: Go has none)', () => {
    assert.match(refused(`{"Labels":{"${'k'.repeat(1025)}":"v"}}`, NodeSpecBody), /^invalid Labels: /);
    assert.match(refused(`{"Labels":{"k":"${'v'.repeat(4097)}"}}`, NodeSpecBody), /^invalid Labels: /);
    const many = Object.fromEntries(Array.from({ length: 257 }, (_, i) => [`k${i}`, 'v']));
    assert.match(refused(JSON.stringify({ Labels: many }), NodeSpecBody), /^invalid Labels: /);
  });

  it('never throws anything but a 400 DomainError, whatever the text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ Spec: v }))), (text) => {
        try {
          decodeBody(text, SwarmInitBody);
        } catch (error) {
          assert.ok(error instanceof DomainError && error.kind === 'InvalidParameter', String(error));
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('query parameters as the Engine reads them', () => {
  it('swarm update flags are strict (strconv.ParseBool), force is lenient (httputils.BoolValue)', () => {
    assert.equal(strictQueryBool('rotateWorkerToken', 'True'), true);
    assert.equal(strictQueryBool('rotateWorkerToken', '0'), false);
    assert.equal(strictQueryBool('rotateWorkerToken', undefined), false);
    assert.equal(refusal(() => strictQueryBool('rotateWorkerToken', 'maybe')), 'invalid value for rotateWorkerToken: maybe');
    assert.equal(refusal(() => strictQueryBool('rotateManagerUnlockKey', 'yes')), 'invalid value for rotateManagerUnlockKey: yes');
    assert.equal(lenientQueryBool('maybe'), true);
    assert.equal(lenientQueryBool(' NO '), false);
    assert.equal(lenientQueryBool(undefined), false);
  });

  it('versions are strconv.ParseUint', () => {
    assert.equal(queryVersion('swarm', '42'), 42);
    assert.equal(refusal(() => queryVersion('swarm', 'x')), `invalid swarm version 'x': strconv.ParseUint: parsing "x": invalid syntax`);
    assert.equal(refusal(() => queryVersion('swarm', '+1')), `invalid swarm version '+1': strconv.ParseUint: parsing "+1": invalid syntax`);
    assert.equal(refusal(() => queryVersion('node', undefined)), `invalid node version '': strconv.ParseUint: parsing "": invalid syntax`);
    assert.equal(
      refusal(() => queryVersion('swarm', '99999999999999999999')),
      `invalid swarm version '99999999999999999999': strconv.ParseUint: parsing "99999999999999999999": value out of range`,
    );
  });

  it('filters are filters.FromJSON: both formats, Go\'s texts, Invalid filter for an unknown key', () => {
    assert.deepEqual([...parseFilters('{"name":{"a":true,"b":false}}', ['name'])], [['name', ['a']]]);
    assert.deepEqual([...parseFilters('{"name":["a"]}', ['name'])], [['name', ['a']]]);
    assert.deepEqual([...parseFilters('null', ['name'])], []);
    assert.equal(refusal(() => parseFilters('abc', ['name'])), "invalid character 'a' looking for beginning of value");
    assert.equal(refusal(() => parseFilters('{"name":"a"}', ['name'])), 'json: cannot unmarshal string into Go value of type map[string]bool');
    assert.equal(refusal(() => parseFilters('{"name":{"a":1}}', ['name'])), 'json: cannot unmarshal number into Go value of type bool');
    assert.equal(refusal(() => parseFilters('[]', ['name'])), 'json: cannot unmarshal array into Go value of type map[string]map[string]bool');
    assert.equal(refusal(() => parseFilters('{"foo":["a"]}', ['name'])), "Invalid filter 'foo'");
  });

  it('networks/create wants a JSON Content-Type, as CheckForJSON', () => {
    checkForJson('application/json; charset=utf-8', '{}');
    checkForJson(undefined, '');
    assert.equal(refusal(() => checkForJson('text/plain', '{}')), "Content-Type specified (text/plain) must be 'application/json'");
    assert.equal(refusal(() => checkForJson(undefined, '{}')), "Content-Type specified () must be 'application/json'");
  });
});
