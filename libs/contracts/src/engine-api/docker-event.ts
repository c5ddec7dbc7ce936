/**
 * An event as the Engine API's `/events` shows it. `timeNano` is kept as decimal digits: it does
 * not fit a JavaScript number exactly, and clients compare it.
 */
export interface DockerEvent {
  readonly Type: 'node' | 'network';
  readonly Action: 'create' | 'update' | 'remove';
  readonly Actor: { readonly ID: string; readonly Attributes: Record<string, string> };
  readonly scope: 'swarm' | 'local';
  readonly time: number;
  readonly timeNano: string;
}

/** The event as the Engine writes it on `/events`: one JSON object, `timeNano` as an exact integer. */
export function dockerEventJson(event: DockerEvent): string {
  const { timeNano, ...rest } = event;
  return `${JSON.stringify(rest).slice(0, -1)},"timeNano":${timeNano}}`;
}
