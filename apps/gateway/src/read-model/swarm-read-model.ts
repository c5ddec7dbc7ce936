import { SwarmEventTypes, type EventData, type NodeEvent, type SwarmEvent } from '#contracts';
import { formatJoinToken } from '#domain';
import type { Recorded, RecordedEvent } from '#eventstore';

/** A stored object with the version and times the Engine API shows for it. */
export interface Versioned<T> {
  readonly data: T;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ClusterView extends Versioned<EventData<'SwarmCreated'>> {
  readonly spec: EventData<'SwarmCreated'>['spec'];
}

/** A root's facts as `TLSInfo` shows them. */
export interface RootView {
  readonly certPem: string;
  readonly certIssuerSubject: string;
  readonly certIssuerPublicKey: string;
  readonly caDigest: string;
}

/** A cluster's trust root and, during a rotation, the root wanted (whose issuer facts `TLSInfo` already shows). */
export interface CaView extends RootView {
  readonly rotation?: { readonly rotationId: string; readonly root: RootView; readonly crossSignedCertPem: string };
}

/** A node as the Engine API shows it: registration plus the current spec and status. */
export interface NodeView extends EventData<'NodeRegistered'> {
  readonly state: 'ready' | 'down';
  readonly message: string;
}

/** Opens a sealed token secret; the gateway holds the key-encryption key to serve `GET /swarm`. */
export type SecretOpener = (sealed: EventData<'JoinTokensIssued'>['worker'], stream: string) => string;

interface SealedAt {
  readonly sealed: EventData<'JoinTokensIssued'>['worker'];
  readonly stream: string;
}

/**
 * Everything the Engine API reads, built from the log by one subscription in the gateway itself,
 * so that a read costs no NATS round trip. Mutated in place: it is private to this process.
 */
export class SwarmReadModel {
  membership: EventData<'SwarmInitStarted'> | undefined;
  active = false;
  readonly clusters = new Map<string, ClusterView>();
  readonly cas = new Map<string, CaView>();
  /** Every root ever made or given, by digest: the issuer a node certificate names (`issuerCaDigest`). */
  readonly roots = new Map<string, RootView>();
  /**
   * Join token secrets and the unlock key stay sealed here and are opened when read: with autolock
   * a gateway that starts locked can replay the log, and answers with the key once it is unlocked.
   */
  private readonly sealedTokens = new Map<string, { caDigest: string; worker: SealedAt; manager: SealedAt }>();
  private readonly sealedUnlockKeys = new Map<string, SealedAt>();
  private readonly openedTokens = new Map<string, { worker: string; manager: string }>();
  /** When each cluster's current worker and manager tokens were made (the time of their event). */
  readonly tokensSince = new Map<string, { worker: string; manager: string }>();
  readonly nodes = new Map<string, Versioned<NodeView>>();
  /** Certificates issued by the CA, by node: the gateway serves the swarm port with its own. */
  readonly nodeCertificates = new Map<string, EventData<'NodeCertificateIssued'>>();
  readonly networks = new Map<string, Versioned<EventData<'NetworkCreated'>>>();
  /** Manager nodes by ID, kept beside `nodes` so listing them (every join, every heartbeat) is not O(nodes). */
  readonly managers = new Map<string, Versioned<NodeView>>();
  /** `clusterId/name` -> network ID, for O(1) lookups by name. */
  readonly networkIdsByName = new Map<string, string>();

  constructor(private readonly openSecret: SecretOpener) {}

  /** Every swarm event (it ignores `AddressPoolsConfigured`: the pools show through the cluster's own event). */
  static readonly handles = SwarmEventTypes;

  /** The join tokens of a cluster, opened now (throws the locked error while the KEK is sealed). */
  joinTokens(clusterId: string): { worker: string; manager: string } | undefined {
    const opened = this.openedTokens.get(clusterId);
    if (opened) return opened;
    const sealed = this.sealedTokens.get(clusterId);
    if (!sealed) return undefined;
    // Opened once per token (two AES-GCM opens cost ~11 us, on every GET /swarm otherwise).
    const tokens = {
      worker: formatJoinToken(sealed.caDigest, this.openSecret(sealed.worker.sealed, sealed.worker.stream)),
      manager: formatJoinToken(sealed.caDigest, this.openSecret(sealed.manager.sealed, sealed.manager.stream)),
    };
    this.openedTokens.set(clusterId, tokens);
    return tokens;
  }

  /** The manager unlock key while autolock is on (`''` otherwise), opened now. */
  unlockKey(clusterId: string): string {
    const sealed = this.sealedUnlockKeys.get(clusterId);
    return sealed ? this.openSecret(sealed.sealed, sealed.stream) : '';
  }

  /** Whether autolock is on (an unlock key is recorded) for the cluster. */
  hasUnlockKey(clusterId: string): boolean {
    return this.sealedUnlockKeys.has(clusterId);
  }

  /** The cluster this manager serves, once its init is complete. */
  get currentClusterId(): string | undefined {
    return this.active ? this.membership?.clusterId : undefined;
  }

  apply(event: Recorded<SwarmEvent>): void {
    switch (event.type) {
      case 'SwarmInitStarted':
        this.membership = event.data;
        this.active = false;
        return;
      case 'SwarmInitCompleted':
        this.active = this.membership?.initId === event.data.initId;
        return;
      case 'SwarmInitAbandoned':
        // Inactive again (`LocalNodeState` "inactive"); the abandoned cluster's CA and tokens stay keyed by its ID, never current.
        if (!this.active && this.membership?.initId === event.data.initId) this.membership = undefined;
        return;
      case 'SwarmLeft':
        this.membership = undefined;
        this.active = false;
        return;
      case 'SwarmCreated': {
        const data = event.data;
        this.clusters.set(data.clusterId, { data, spec: data.spec, version: event.revision, createdAt: event.time, updatedAt: event.time });
        return;
      }
      case 'SwarmUpdated': {
        const data = event.data;
        const cluster = this.clusters.get(data.clusterId);
        if (cluster) this.clusters.set(data.clusterId, { ...cluster, spec: data.spec, version: event.revision, updatedAt: event.time });
        return;
      }
      case 'UnlockKeyIssued':
      case 'UnlockKeyRemoved': {
        const data = event.data;
        if (event.type === 'UnlockKeyIssued') this.sealedUnlockKeys.set(data.clusterId, { sealed: event.data.sealedKey, stream: event.stream });
        else this.sealedUnlockKeys.delete(data.clusterId);
        const cluster = this.clusters.get(data.clusterId);
        if (cluster) this.clusters.set(data.clusterId, { ...cluster, version: event.revision, updatedAt: event.time });
        return;
      }
      default:
        this.applyServiceEvent(event);
    }
  }

  /**
   * A skipped event (it did not match its schema) of a cluster's or a node's stream still moves that
   * object's `Version.Index`: clients send back the version they read, and one behind the stream
   * would make every later update of the object fail as out of sequence.
   */
  passOver(event: RecordedEvent): void {
    const dash = event.stream.indexOf('-');
    const category = event.stream.slice(0, dash);
    const id = event.stream.slice(dash + 1);
    if (category === 'cluster') {
      const cluster = this.clusters.get(id);
      if (cluster) this.clusters.set(id, { ...cluster, version: event.revision });
    } else if (category === 'node') {
      const node = this.nodes.get(id);
      if (node) this.setNode({ ...node, version: event.revision });
    }
  }

  private applyServiceEvent(event: Recorded<SwarmEvent>): void {
    switch (event.type) {
      case 'RootCaCreated': {
        const data = event.data;
        const root = { certPem: data.certPem, certIssuerSubject: data.certIssuerSubject, certIssuerPublicKey: data.certIssuerPublicKey, caDigest: data.caDigest };
        this.roots.set(data.caDigest, root);
        this.cas.set(data.clusterId, root);
        return;
      }
      case 'RootRotationStarted': {
        const data = event.data;
        const current = this.cas.get(data.clusterId);
        if (!current) return;
        const root = { certPem: data.certPem, certIssuerSubject: data.certIssuerSubject, certIssuerPublicKey: data.certIssuerPublicKey, caDigest: data.caDigest };
        this.roots.set(data.caDigest, root);
        this.cas.set(data.clusterId, { ...current, rotation: { rotationId: data.rotationId, root, crossSignedCertPem: data.crossSignedCertPem } });
        return;
      }
      case 'RootRotationCompleted': {
        const current = this.cas.get(event.data.clusterId);
        if (current?.rotation?.rotationId !== event.data.rotationId) return;
        this.cas.set(event.data.clusterId, current.rotation.root);
        return;
      }
      case 'JoinTokensIssued':
      case 'JoinTokensReissued': {
        // Issued at init, or both made anew at the end of a root rotation (the new root's digest).
        const data = event.data;
        this.tokensSince.set(data.clusterId, { worker: event.time, manager: event.time });
        this.openedTokens.delete(data.clusterId);
        this.sealedTokens.set(data.clusterId, {
          caDigest: data.caDigest,
          worker: { sealed: data.worker, stream: event.stream },
          manager: { sealed: data.manager, stream: event.stream },
        });
        return;
      }
      case 'JoinTokenRotated': {
        const data = event.data;
        const current = this.sealedTokens.get(data.clusterId);
        if (!current) return;
        this.openedTokens.delete(data.clusterId);
        const since = this.tokensSince.get(data.clusterId);
        if (since) this.tokensSince.set(data.clusterId, { ...since, [data.role]: event.time });
        this.sealedTokens.set(data.clusterId, { ...current, [data.role]: { sealed: data.secret, stream: event.stream } });
        return;
      }
      case 'NodeRegistered': {
        const data = event.data;
        this.setNode({ data: { ...data, state: 'ready', message: '' }, version: event.revision, createdAt: event.time, updatedAt: event.time });
        return;
      }
      case 'NodeSpecUpdated':
      case 'NodeStatusChanged':
      case 'NodeRemoved':
        this.applyNodeChange(event);
        return;
      case 'NodeCertificateIssued': {
        const data = event.data;
        this.nodeCertificates.set(data.nodeId, data);
        return;
      }
      case 'NetworkCreated': {
        const data = event.data;
        this.networks.set(data.networkId, { data, version: event.revision, createdAt: data.createdAt, updatedAt: event.time });
        this.networkIdsByName.set(`${data.clusterId}/${data.name}`, data.networkId);
        return;
      }
      case 'NetworkRemoved': {
        const data = event.data;
        this.networks.delete(data.networkId);
        const key = `${data.clusterId}/${data.name}`;
        if (this.networkIdsByName.get(key) === data.networkId) this.networkIdsByName.delete(key);
        return;
      }
      default:
        return;
    }
  }

  private applyNodeChange(event: Recorded<Exclude<NodeEvent, { type: 'NodeRegistered' }>>): void {
    const { nodeId } = event.data;
    const node = this.nodes.get(nodeId);
    if (!node) return;
    if (event.type === 'NodeRemoved') {
      this.nodes.delete(nodeId);
      this.managers.delete(nodeId);
      return;
    }
    const change =
      event.type === 'NodeSpecUpdated'
        ? (({ role, availability, labels, managerAddr }: EventData<'NodeSpecUpdated'>) => ({ role, availability, labels, managerAddr }))(event.data)
        : (({ state, message }: EventData<'NodeStatusChanged'>) => ({ state, message }))(event.data);
    this.setNode({ ...node, data: { ...node.data, ...change }, version: event.revision, updatedAt: event.time });
  }

  private setNode(node: Versioned<NodeView>): void {
    this.nodes.set(node.data.nodeId, node);
    if (node.data.role === 'manager') this.managers.set(node.data.nodeId, node);
    else this.managers.delete(node.data.nodeId);
  }
}
