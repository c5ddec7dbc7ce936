import { DomainError, SwarmErrors } from '#contracts';

/**
 * Query parameters as the Engine (20.10) reads them. Each query value is bounded by the URL
 * itself (Node's HTTP parser refuses headers over 16 KiB, the request line included).
 */

const GO_TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const GO_FALSE = ['0', 'f', 'F', 'FALSE', 'false', 'False'];

/**
 * A strict flag (`strconv.ParseBool`), as `swarm update` reads `rotateWorkerToken`,
 * `rotateManagerToken` and `rotateManagerUnlockKey`: absent or empty is false, anything Go does
 * not parse is `invalid value for <name>: <value>` (400).
 */
export function strictQueryBool(name: string, value: string | undefined): boolean {
  if (value === undefined || value === '') return false;
  if (GO_TRUE.includes(value)) return true;
  if (GO_FALSE.includes(value)) return false;
  throw invalid(`invalid value for ${name}: ${value}`);
}

/**
 * A lenient flag (`httputils.BoolValue`), as `swarm leave` and `node rm` read `force`: false
 * only for "", "0", "no", "false" and "none" (any case, spaces trimmed); anything else is true.
 */
export function lenientQueryBool(value: string | undefined): boolean {
  const text = (value ?? '').trim().toLowerCase();
  return !['', '0', 'no', 'false', 'none'].includes(text);
}

const UINT64_MAX = 18446744073709551615n;

/**
 * An object version (`strconv.ParseUint(v, 10, 64)`), as `swarm update` and `node update` read
 * `version`: `invalid <object> version '<v>': strconv.ParseUint: parsing "<v>": invalid syntax`
 * (or `value out of range`).
 */
export function queryVersion(object: 'swarm' | 'node', value: string | undefined): number {
  const text = value ?? '';
  const parse = (reason: string) => invalid(`invalid ${object} version '${text}': strconv.ParseUint: parsing ${goQuote(text)}: ${reason}`);
  if (!/^\d+$/.test(text)) throw parse('invalid syntax');
  if (BigInt(text) > UINT64_MAX) throw parse('value out of range');
  return Number(text);
}

/** Go's `strconv.Quote` for the texts above (JSON's escapes are Go's for printable ASCII). */
export function goQuote(text: string): string {
  return JSON.stringify(text);
}

function invalid(message: string): DomainError {
  return new DomainError(SwarmErrors.invalidParameter(message));
}
