import { DomainError, SwarmErrors } from '#contracts';

/** Parses a request body as the Engine does: empty -> "got EOF while reading request body". */
export function parseJsonBody<T>(body: unknown): T {
  const text = typeof body === 'string' ? body : body === undefined || body === null ? '' : JSON.stringify(body);
  if (text.trim() === '') throw new DomainError(SwarmErrors.invalidParameter('got EOF while reading request body'));
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new DomainError(SwarmErrors.invalidParameter((error as Error).message));
  }
}
