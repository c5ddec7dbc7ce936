/**
 * The swarm's certificate authority: its root (stream `ca-<clusterId>`) and the certificates it
 * issues to each node (stream `nodecert-<nodeId>`). Key pairs, signatures and sealing happen
 * before `decide`: the command carries the sealed material, so the same command gives the same
 * events (what replay and tests rely on).
 */
import { DomainError, SwarmErrors, type CaEvent, type EventData, type NodeCertificateEvent } from '#contracts';

/** A root in the stream: its certificate, sealed key and the facts `TLSInfo` shows. */
export type RootMaterial = Omit<EventData<'RootCaCreated'>, 'clusterId'>;

/** A rotation under way: the desired root and its certificate cross-signed by the current one. */
export interface RootRotation {
  readonly rotationId: string;
  readonly origin: EventData<'RootRotationStarted'>['origin'];
  readonly root: RootMaterial;
  readonly crossSignedCertPem: string;
}

/**
 * The root CA as its stream knows it: the current root (the trust root, its fields flat as
 * `RootCaCreated` has them), the rotation under way if any, and the rotations already started
 * (a retried request starts its rotation once).
 */
export type RootCa =
  | { readonly exists: false }
  | ({ readonly exists: true } & EventData<'RootCaCreated'> & {
        readonly rotation: RootRotation | undefined;
        readonly startedRotations: ReadonlySet<string>;
      });

export const initialRootCa: RootCa = { exists: false };

/** Create the cluster's root CA, once: a second create keeps the first (the caller answers with it). */
export interface CreateRootCa {
  readonly type: 'CreateRootCa';
  /** The new CA, its private key already sealed. */
  readonly root: EventData<'RootCaCreated'>;
}

/** Start rotating to the root in `rotation` (made, or checked, and cross-signed before deciding). */
export interface StartRootRotation {
  readonly type: 'StartRootRotation';
  readonly rotation: EventData<'RootRotationStarted'>;
}

/** End the rotation `rotationId`: its root becomes the trust root. */
export interface CompleteRootRotation {
  readonly type: 'CompleteRootRotation';
  readonly rotationId: string;
}

export type RootCaCommand = CreateRootCa | StartRootRotation | CompleteRootRotation;

export function decideRootCa(command: RootCaCommand, state: RootCa): CaEvent[] {
  switch (command.type) {
    case 'CreateRootCa':
      return state.exists ? [] : [{ type: 'RootCaCreated', data: command.root }];
    case 'StartRootRotation': {
      if (!state.exists) throw new DomainError(SwarmErrors.system(`no root CA for cluster ${command.rotation.clusterId}`));
      if (state.startedRotations.has(command.rotation.rotationId)) return [];
      // The root already in place (or already wanted) again: nothing to rotate, as swarmkit.
      const wanted = state.rotation?.root.certPem ?? state.certPem;
      if (command.rotation.origin === 'signing-ca' && command.rotation.certPem === wanted) return [];
      return [{ type: 'RootRotationStarted', data: command.rotation }];
    }
    case 'CompleteRootRotation': {
      if (!state.exists || state.rotation?.rotationId !== command.rotationId) return [];
      const data = { clusterId: state.clusterId, rotationId: command.rotationId, caDigest: state.rotation.root.caDigest, previousCaDigest: state.caDigest };
      return [{ type: 'RootRotationCompleted', data }];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
}

export function evolveRootCa(state: RootCa, event: CaEvent): RootCa {
  switch (event.type) {
    case 'RootCaCreated':
      return state.exists ? state : { exists: true, ...event.data, rotation: undefined, startedRotations: new Set() };
    case 'RootRotationStarted': {
      if (!state.exists) return state;
      const { clusterId: _clusterId, rotationId, origin, crossSignedCertPem, ...root } = event.data;
      void _clusterId;
      const startedRotations = new Set(state.startedRotations).add(rotationId);
      return { ...state, rotation: { rotationId, origin, root, crossSignedCertPem }, startedRotations };
    }
    case 'RootRotationCompleted': {
      if (!state.exists || state.rotation?.rotationId !== event.data.rotationId) return state;
      return { ...state, ...state.rotation.root, rotation: undefined };
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** The root that signs node certificates now: the desired one during a rotation. */
export function signingRoot(state: RootCa): (RootMaterial & { readonly chainPem: string }) | undefined {
  if (!state.exists) return undefined;
  if (state.rotation) return { ...state.rotation.root, chainPem: state.rotation.crossSignedCertPem };
  return { ...state, chainPem: '' };
}

/** The certificates of one node: the last one issued. */
export type NodeCertificates =
  | { readonly issued: false }
  | { readonly issued: true; readonly current: EventData<'NodeCertificateIssued'> };

export const initialNodeCertificates: NodeCertificates = { issued: false };

export interface IssueNodeCertificate {
  readonly type: 'IssueNodeCertificate';
  /** Signed before deciding (and, for a key pair the CA made, its key sealed). */
  readonly certificate: EventData<'NodeCertificateIssued'>;
  /** A renewal of the certificate with this serial: nothing if another one replaced it meanwhile. */
  readonly renewsSerial?: string;
}

/**
 * A node's key sent in a CSR is certified each time (a join, then renewals). A key pair the CA
 * makes itself (the init manager's, no CSR) is made once: a retried init gets the first one; it is
 * renewed (a new pair) only by a request naming the serial it replaces.
 */
export function decideNodeCertificate(command: IssueNodeCertificate, state: NodeCertificates): NodeCertificateEvent[] {
  switch (command.type) {
    case 'IssueNodeCertificate':
      if (command.renewsSerial !== undefined) {
        return state.issued && state.current.serial === command.renewsSerial ? [{ type: 'NodeCertificateIssued', data: command.certificate }] : [];
      }
      if (command.certificate.sealedKey !== undefined && state.issued) return [];
      return [{ type: 'NodeCertificateIssued', data: command.certificate }];
    default: {
      const unknown: never = command.type;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
}

export function evolveNodeCertificates(_state: NodeCertificates, event: NodeCertificateEvent): NodeCertificates {
  switch (event.type) {
    case 'NodeCertificateIssued':
      return { issued: true, current: event.data };
    default: {
      const unknown: never = event.type;
      return unknown;
    }
  }
}
