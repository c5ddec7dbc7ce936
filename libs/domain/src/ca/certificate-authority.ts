/**
 * The swarm's certificate authority: its root (stream `ca-<clusterId>`) and the certificates it
 * issues to each node (stream `nodecert-<nodeId>`). Key pairs, signatures and sealing happen
 * before `decide`: the command carries the sealed material, so the same command gives the same
 * events (what replay and tests rely on).
 */
import type { CaEvent, EventData, NodeCertificateEvent } from '#contracts';

/** The root CA as its stream knows it. */
export type RootCa = { readonly exists: false } | ({ readonly exists: true } & EventData<'RootCaCreated'>);

export const initialRootCa: RootCa = { exists: false };

/** Create the cluster's root CA, once: a second create keeps the first (the caller answers with it). */
export interface CreateRootCa {
  readonly type: 'CreateRootCa';
  /** The new CA, its private key already sealed. */
  readonly root: EventData<'RootCaCreated'>;
}

export function decideRootCa(command: CreateRootCa, state: RootCa): CaEvent[] {
  switch (command.type) {
    case 'CreateRootCa':
      return state.exists ? [] : [{ type: 'RootCaCreated', data: command.root }];
    default: {
      const unknown: never = command.type;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
}

export function evolveRootCa(state: RootCa, event: CaEvent): RootCa {
  switch (event.type) {
    case 'RootCaCreated':
      return state.exists ? state : { exists: true, ...event.data };
    default: {
      const unknown: never = event.type;
      return unknown;
    }
  }
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
}

/**
 * A node's key sent in a CSR is certified each time (a join, then renewals). A key pair the CA
 * makes itself (the init manager's, no CSR) is made once: a retried init gets the first one.
 */
export function decideNodeCertificate(command: IssueNodeCertificate, state: NodeCertificates): NodeCertificateEvent[] {
  switch (command.type) {
    case 'IssueNodeCertificate':
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
