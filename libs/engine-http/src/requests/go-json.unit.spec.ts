import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readGoJson, readGoJsonByHand } from './go-json.js';

const DEPTH = 32;

/** The same value and number literals from both readers, or the same error. */
function sameAsByHand(text: string): void {
  let byHand: unknown;
  let handError: unknown;
  try {
    byHand = readGoJsonByHand(text, DEPTH);
  } catch (error) {
    handError = error;
  }
  if (handError !== undefined) {
    assert.throws(() => readGoJson(text, DEPTH), (e: unknown) => e instanceof Error && e.message === (handError as Error).message, text.slice(0, 80));
    return;
  }
  const read = readGoJson(text, DEPTH);
  assert.deepEqual(read?.value, (byHand as ReturnType<typeof readGoJson>)?.value, text.slice(0, 80));
  // The literals that count are those of numbers still in the value (a duplicate key's earlier
  // value is overwritten, and the hand reader's literal of it is never asked for).
  const kept = (literals: ReadonlyMap<string, string> | undefined, value: unknown) =>
    [...(literals ?? [])].filter(([key]) => typeof key.split('\u0000').reduce<unknown>((at, step) => (at as Record<string, unknown> | undefined)?.[step], value) === 'number');
  const hand = byHand as ReturnType<typeof readGoJson>;
  assert.deepEqual(kept(read?.numberLiterals, read?.value), kept(hand?.numberLiterals, hand?.value), text.slice(0, 80));
  if (read) assert.deepEqual(Object.keys(read.value as object ?? {}), Object.keys((byHand as { value: object }).value ?? {}), 'keys in order');
}

/** A random JSON text of strings, booleans, nulls, objects and arrays (numbers now and then). */
function randomJson(random: () => number, depth: number): string {
  const pick = random();
  const strings = ['', 'web', 'a b', 'é', '\\u00e9', '\\ud83d\\ude00', '\\ud800', 'x\\ny', '\\"q\\"', '__proto__', 'Name', 'name', '😀'];
  if (depth > 4 || pick < 0.3) return `"${strings[Math.floor(random() * strings.length)]}"`;
  if (pick < 0.4) return random() < 0.5 ? 'true' : 'null';
  if (pick < 0.45) return String(Math.floor(random() * 1e6) / 7);
  if (pick < 0.7) return `[${Array.from({ length: Math.floor(random() * 4) }, () => randomJson(random, depth + 1)).join(', ')}]`;
  const keys = Array.from({ length: Math.floor(random() * 5) }, () => `"${strings[Math.floor(random() * strings.length)]}": ${randomJson(random, depth + 1)}`);
  return `{${keys.join(',')}}`;
}

describe('readGoJson: the plain-JSON fast path gives what the hand reader gives', () => {
  it('for the bodies the Engine API is sent, odd ones included', () => {
    const texts = [
      '{"Name":"web","Driver":"overlay","CheckDuplicate":true}',
      ' \t\r\n{"Name":"web"} ',
      '{"Name":"a","Name":"b"}',
      '{"name":"a","Name":"b","NAME":"c"}',
      '{"__proto__":{"x":"y"},"a":null}',
      '{"IPAM":{"Config":[{"Subnet":"10.0.0.0/24"}],"Driver":"default"},"Labels":{"a":"b"}}',
      '{"Name":"x"} trailing',
      '{"Name":"x"}{"Name":"y"}',
      '{"Name":"\\ud800"}',
      '{"Name":"\\ud83d\\ude00"}',
      '{"Name":"😀"}',
      '{"\\ud800":"k"}',
      '{"SubnetSize":24}',
      '{"a":1e26}',
      '[]',
      'null',
      '"s"',
      '',
      '   ',
      '{',
      '{"a":tru}',
      `${'['.repeat(31)}${']'.repeat(31)}`,
      `${'['.repeat(32)}${']'.repeat(32)}`,
      `${'['.repeat(33)}${']'.repeat(33)}`,
      `${'{"a":'.repeat(32)}null${'}'.repeat(32)}`,
      `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`,
    ];
    for (const text of texts) sameAsByHand(text);
  });

  it('for 5,000 random JSON texts', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 5_000; i++) sameAsByHand(randomJson(random, 0));
  });
});
