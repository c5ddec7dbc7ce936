import type { EventData, JoinTokenEvent, SealedSecret } from '#contracts';

/** The join tokens of one cluster, secrets sealed. `rotations` holds the causes already applied. */
export type JoinTokens =
  | { readonly issued: false }
  | {
      readonly issued: true;
      readonly clusterId: string;
      readonly caDigest: string;
      readonly worker: SealedSecret;
      readonly manager: SealedSecret;
      readonly rotations: ReadonlySet<string>;
    };

export const initialJoinTokens: JoinTokens = { issued: false };

/** Secrets arrive sealed, with their fingerprints: randomness and keys stay outside the decider. */
export interface PreparedSecret {
  readonly sealed: SealedSecret;
  readonly fingerprint: string;
}

export type JoinTokenCommand =
  | {
      readonly type: 'IssueJoinTokens';
      readonly clusterId: string;
      readonly caDigest: string;
      readonly worker: PreparedSecret;
      readonly manager: PreparedSecret;
    }
  | {
      readonly type: 'RotateJoinToken';
      readonly role: 'worker' | 'manager';
      readonly secret: PreparedSecret;
      /** The event that asked for it; a rotation is applied once per cause. */
      readonly causationEventId: string;
    }
  | {
      /** After a root rotation: both tokens anew, with the new root's digest (once per digest). */
      readonly type: 'ReissueJoinTokens';
      readonly rotationId: string;
      readonly caDigest: string;
      readonly worker: PreparedSecret;
      readonly manager: PreparedSecret;
    };

export function decideJoinTokens(command: JoinTokenCommand, state: JoinTokens): JoinTokenEvent[] {
  switch (command.type) {
    case 'IssueJoinTokens': {
      if (state.issued) return [];
      const data: EventData<'JoinTokensIssued'> = {
        clusterId: command.clusterId,
        caDigest: command.caDigest,
        worker: command.worker.sealed,
        manager: command.manager.sealed,
        workerFingerprint: command.worker.fingerprint,
        managerFingerprint: command.manager.fingerprint,
      };
      return [{ type: 'JoinTokensIssued', data }];
    }
    case 'RotateJoinToken': {
      if (!state.issued) throw new Error('join tokens were never issued for this cluster');
      if (state.rotations.has(rotationKey(command.causationEventId, command.role))) return [];
      const { sealed, fingerprint } = command.secret;
      return [{ type: 'JoinTokenRotated', data: { clusterId: state.clusterId, role: command.role, secret: sealed, fingerprint } }];
    }
    case 'ReissueJoinTokens': {
      if (!state.issued) throw new Error('join tokens were never issued for this cluster');
      if (state.caDigest === command.caDigest) return [];
      const data: EventData<'JoinTokensReissued'> = {
        clusterId: state.clusterId,
        rotationId: command.rotationId,
        caDigest: command.caDigest,
        worker: command.worker.sealed,
        manager: command.manager.sealed,
        workerFingerprint: command.worker.fingerprint,
        managerFingerprint: command.manager.fingerprint,
      };
      return [{ type: 'JoinTokensReissued', data }];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
}

/** `causationId` is the recorded event's metadata.causationId (the rotation's cause). */
export function evolveJoinTokens(state: JoinTokens, event: JoinTokenEvent, causationId?: string): JoinTokens {
  switch (event.type) {
    case 'JoinTokensIssued': {
      const { clusterId, caDigest, worker, manager } = event.data;
      return { issued: true, clusterId, caDigest, worker, manager, rotations: new Set() };
    }
    case 'JoinTokenRotated': {
      if (!state.issued) return state;
      const rotations = new Set(state.rotations);
      if (causationId) rotations.add(rotationKey(causationId, event.data.role));
      return { ...state, [event.data.role]: event.data.secret, rotations };
    }
    case 'JoinTokensReissued': {
      if (!state.issued) return state;
      const { caDigest, worker, manager } = event.data;
      return { ...state, caDigest, worker, manager };
    }
    case 'JoinTokenAgeExceeded':
      return state;
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

function rotationKey(causationEventId: string, role: string): string {
  return `${causationEventId}/${role}`;
}
