/**
 * What the dashboard sends the page: plain JSON, shared by the server (which builds it from the
 * gateway's read model or from a replay of the log) and the page (which draws it). No secret
 * fits in these shapes: join tokens appear as a fingerprint and the time they were issued.
 */

export interface TokenInfo {
  /** HMAC-SHA256 fingerprint of the token, as the audit API shows it. */
  readonly fingerprint: string;
  /** When this token was issued or last rotated (RFC 3339). */
  readonly since: string;
}

export interface SwarmInfo {
  readonly id: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly managers: number;
  readonly workers: number;
  /** The root CA certificate's notAfter (RFC 3339), when the CA exists. */
  readonly rootCaExpiry: string | null;
  readonly autolock: boolean;
  readonly tokens: { readonly worker: TokenInfo | null; readonly manager: TokenInfo | null };
  /** The maximum age each token is checked against (`SWARM_TOKEN_MAX_AGE`, as `docker info` warns). */
  readonly tokenMaxAge: { readonly ms: number; readonly text: string };
  /** The default address pools, and the mask length of the subnets taken from them. */
  readonly pools: readonly string[];
  readonly subnetSize: number;
}

export interface NodeRow {
  readonly id: string;
  readonly hostname: string;
  readonly role: 'manager' | 'worker';
  readonly leader: boolean;
  readonly state: 'ready' | 'down';
  readonly message: string;
  readonly availability: string;
  readonly addr: string;
  readonly certExpiry: string | null;
  /** The last change of the node in the log. */
  readonly updatedAt: string;
}

export interface NetworkRow {
  readonly id: string;
  readonly name: string;
  readonly subnet: string;
  readonly ingress: boolean;
  /** The subnet was given with `--subnet` rather than taken from a pool. */
  readonly explicit: boolean;
  readonly createdAt: string;
}

/** The whole picture at one log position. */
export interface DashboardView {
  readonly position: number;
  /** The manager that serves this gateway (it does not heartbeat to itself). */
  readonly selfNodeId: string | null;
  readonly swarm: SwarmInfo | null;
  readonly nodes: readonly NodeRow[];
  readonly networks: readonly NetworkRow[];
}

/** A Docker event as `GET /events` sends it, with the log position it came from. */
export interface DockerEventRow {
  readonly position: number;
  readonly Type: string;
  readonly Action: string;
  readonly Actor: { readonly ID: string; readonly Attributes: Record<string, string> };
  readonly scope: string;
  readonly time: number;
  readonly timeNano: string;
}

/** A raw log event around a time machine position (sealed values redacted). */
export interface LogEventRow {
  readonly position: number;
  readonly time: string;
  readonly type: string;
  readonly stream: string;
  readonly actor: string;
}

/**
 * Server-sent events of `/api/live`: `snapshot` first (a DashboardView), then one `change` per
 * log event the read model applied, `docker` with Docker events, and `heartbeats` (node ID -> time
 * of its last heartbeat) at most once a second.
 */
export interface ViewChange {
  readonly position: number;
  readonly swarm?: SwarmInfo | null;
  readonly node?: NodeRow;
  readonly nodeRemoved?: string;
  readonly network?: NetworkRow;
  readonly networkRemoved?: string;
}

/** `/api/at`: the time machine's answer. */
export interface TimeMachineAnswer {
  readonly head: number;
  readonly time: string | null;
  readonly view: DashboardView;
  readonly around: readonly LogEventRow[];
}
