import { API_VERSION, MIN_API_VERSION } from './engine.js';

const VERSIONED = /^\/v([0-9.]+)(\/.*)?$/;

/** Routes are served with and without `/vX.Y`; strips the prefix (Fastify's rewriteUrl). */
export function stripApiVersion(url: string): string {
  const match = VERSIONED.exec(url);
  return match ? (match[2] ?? '/') : url;
}

function compare(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

/** Docker's answer to a version outside the supported range, or undefined when it is fine. */
export function apiVersionError(originalUrl: string): { status: number; message: string; json: boolean } | undefined {
  const match = VERSIONED.exec(originalUrl.split('?')[0] ?? '');
  if (!match) return undefined;
  const version = match[1]!;
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
