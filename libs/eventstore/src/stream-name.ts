/**
 * Stream names shared by every adapter: letters, digits, `_` and `-` only, 1 to 200 characters.
 * JetStream puts the name in a subject token, where `.`, `*`, `>` and whitespace are not allowed;
 * the same rule is applied everywhere so the adapters stay interchangeable.
 */

/** The rule as a regular expression source, for stores that filter by stream name on the server. */
export const STREAM_NAME_PATTERN = '^[A-Za-z0-9_-]{1,200}$';
const STREAM_NAME = new RegExp(STREAM_NAME_PATTERN);

export class InvalidStreamNameError extends Error {
  constructor(readonly stream: string) {
    super(`invalid stream name ${JSON.stringify(stream)}: use 1-200 characters of [A-Za-z0-9_-]`);
    this.name = 'InvalidStreamNameError';
  }
}

export function isValidStreamName(stream: unknown): stream is string {
  return typeof stream === 'string' && STREAM_NAME.test(stream);
}

export function assertValidStreamName(stream: string): void {
  if (!isValidStreamName(stream)) throw new InvalidStreamNameError(String(stream));
}

/** The category of a stream: its name up to the first `-` (`node-3f2a` -> `node`), or all of it. */
export function categoryOf(stream: string): string {
  const dash = stream.indexOf('-');
  return dash < 0 ? stream : stream.slice(0, dash);
}
