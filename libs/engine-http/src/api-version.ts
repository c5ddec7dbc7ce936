import { API_VERSION, MIN_API_VERSION } from './engine.js';

/**
 * The `X.Y` of a URL that starts with `/vX.Y` followed by `/` or its end (`/v1.41/swarm`, `/v1.41`),
 * and where the rest begins; undefined otherwise. String scanning, not a regular expression: it
 * runs for every request.
 */
function versionPrefix(url: string): { version: string; rest: number } | undefined {
  if (url.charCodeAt(0) !== 47 /* / */ || url.charCodeAt(1) !== 118 /* v */) return undefined;
  let end = 2;
  for (; end < url.length; end++) {
    const c = url.charCodeAt(end);
    if (c === 47 /* / */) break;
    if (!((c >= 48 && c <= 57) || c === 46)) return undefined; // digits and dots only
  }
  return end === 2 ? undefined : { version: url.slice(2, end), rest: end };
}

/** Routes are served with and without `/vX.Y`; strips the prefix (Fastify's rewriteUrl). */
export function stripApiVersion(url: string): string {
  const prefix = versionPrefix(url);
  return prefix ? (prefix.rest < url.length ? url.slice(prefix.rest) : '/') : url;
}

function compare(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

type VersionError = { status: number; message: string; json: boolean };

/** The answer per version string seen (clients send a handful); bounded, so that odd URLs cannot grow it. */
const answers = new Map<string, VersionError | null>();
const MAX_ANSWERS = 256;

/** Docker's answer to a version outside the supported range, or undefined when it is fine. */
export function apiVersionError(originalUrl: string): VersionError | undefined {
  const query = originalUrl.indexOf('?');
  const prefix = versionPrefix(query < 0 ? originalUrl : originalUrl.slice(0, query));
  if (!prefix) return undefined;
  let answer = answers.get(prefix.version);
  if (answer === undefined) {
    answer = versionAnswer(prefix.version) ?? null;
    if (answers.size < MAX_ANSWERS) answers.set(prefix.version, answer);
  }
  return answer ?? undefined;
}

function versionAnswer(version: string): VersionError | undefined {
  if (compare(version, MIN_API_VERSION) < 0) {
    return {
      status: 400,
      json: false,
      message: `client version ${version} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`,
    };
  }
  if (compare(version, API_VERSION) > 0) {
    return { status: 400, json: true, message: `client version ${version} is too new. Maximum supported API version is ${API_VERSION}` };
  }
  return undefined;
}
