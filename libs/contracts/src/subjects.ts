import type {
  CompleteRootRotationReply, CompleteRootRotationRequest, CreateRootCaReply, CreateRootCaRequest, IssueNodeCertificateReply,
  IssueNodeCertificateRequest, RotateRootCaRequest,
} from './ca/requests.js';
import type {
  InitializeIpamRequest, PruneNetworksReply, PruneNetworksRequest, RemoveNetworkRequest,
} from './ipam/requests.js';
import type {
  JoinNodeReply, JoinNodeRequest, NodeHeartbeat, NodeLeftRequest, RemoveNodeRequest, RenewNodeCertificateReply,
  RenewNodeCertificateRequest, UpdateNodeRequest,
} from './nodes/requests.js';
import type { InitSwarmReply, InitSwarmRequest, LeaveSwarmRequest, PositionReply, UpdateSwarmRequest } from './swarm/requests.js';
import type {
  IssueJoinTokensRequest, ReissueJoinTokensRequest, RotateJoinTokensRequest, ValidateJoinTokenReply, ValidateJoinTokenRequest,
} from './tokens/requests.js';

/**
 * NATS request/reply subjects (NestJS message patterns). Each service listens in a queue group
 * named after itself, so any number of replicas share the load.
 */
export const Subjects = {
  swarmInit: 'swarm.init',
  swarmUpdate: 'swarm.update',
  swarmLeave: 'swarm.leave',
  caCreateRoot: 'ca.root.create',
  caIssueNodeCertificate: 'ca.node-certificate.issue',
  caRotateRoot: 'ca.root.rotate',
  caCompleteRootRotation: 'ca.root.rotation.complete',
  tokensIssue: 'tokens.issue',
  tokensReissue: 'tokens.reissue',
  tokensRotate: 'tokens.rotate',
  tokensValidate: 'tokens.validate',
  ipamInitialize: 'ipam.initialize',
  nodesJoin: 'nodes.join',
  nodesUpdate: 'nodes.update',
  nodesRemove: 'nodes.remove',
  nodesRenew: 'nodes.renew',
  nodesHeartbeat: 'nodes.heartbeat',
  nodesLeave: 'nodes.leave',
  networksRemove: 'networks.remove',
  networksPrune: 'networks.prune',
} as const;

/** A subject's value, e.g. `'swarm.init'`. */
export type Subject = (typeof Subjects)[keyof typeof Subjects];

/**
 * The contract of every request subject: what is sent and what comes back. The RPC client
 * (`rpc.request(Subjects.x, request)`) and the handler decorator (`@HandlesRequest(Subjects.x)`)
 * both take their types from here, so two sides that disagree do not compile. The wire format is
 * NestJS's NATS format, unchanged.
 */
export interface RequestContracts {
  'swarm.init': { request: InitSwarmRequest; reply: InitSwarmReply };
  'swarm.update': { request: UpdateSwarmRequest; reply: PositionReply };
  'swarm.leave': { request: LeaveSwarmRequest; reply: PositionReply };
  'ca.root.create': { request: CreateRootCaRequest; reply: CreateRootCaReply };
  'ca.node-certificate.issue': { request: IssueNodeCertificateRequest; reply: IssueNodeCertificateReply };
  'ca.root.rotate': { request: RotateRootCaRequest; reply: PositionReply };
  'ca.root.rotation.complete': { request: CompleteRootRotationRequest; reply: CompleteRootRotationReply };
  'tokens.issue': { request: IssueJoinTokensRequest; reply: PositionReply };
  'tokens.reissue': { request: ReissueJoinTokensRequest; reply: PositionReply };
  'tokens.rotate': { request: RotateJoinTokensRequest; reply: PositionReply };
  'tokens.validate': { request: ValidateJoinTokenRequest; reply: ValidateJoinTokenReply };
  'ipam.initialize': { request: InitializeIpamRequest; reply: PositionReply };
  'nodes.join': { request: JoinNodeRequest; reply: JoinNodeReply };
  'nodes.update': { request: UpdateNodeRequest; reply: PositionReply };
  'nodes.remove': { request: RemoveNodeRequest; reply: PositionReply };
  'nodes.renew': { request: RenewNodeCertificateRequest; reply: RenewNodeCertificateReply };
  'nodes.leave': { request: NodeLeftRequest; reply: PositionReply };
  'networks.remove': { request: RemoveNetworkRequest; reply: PositionReply };
  'networks.prune': { request: PruneNetworksRequest; reply: PruneNetworksReply };
}

/** Subjects published to every subscriber, with no reply (NestJS events). */
export interface EventContracts {
  'nodes.heartbeat': NodeHeartbeat;
}

export type RequestSubject = keyof RequestContracts;
export type RequestOf<S extends RequestSubject> = RequestContracts[S]['request'];
export type ReplyOf<S extends RequestSubject> = RequestContracts[S]['reply'];
export type EventSubject = keyof EventContracts;

// Every subject of `Subjects` has a contract, and nothing else does.
const everySubjectHasAContract: [Exclude<Subject, RequestSubject | EventSubject>, Exclude<RequestSubject | EventSubject, Subject>] extends [never, never] ? true : false = true;
void everySubjectHasAContract;

/**
 * Requests whose handlers are idempotent, so the RPC client repeats them when no reply comes
 * (a NATS node or a service replica failing over): queries, and steps that append with
 * deterministic event ids or return what exists. Any other request that gets no reply fails with
 * Docker's 503 "...retry", because it may or may not have taken effect.
 */
export const IDEMPOTENT_SUBJECTS: ReadonlySet<string> = new Set([
  Subjects.tokensValidate,
  Subjects.caCreateRoot,
  Subjects.tokensIssue,
  Subjects.tokensRotate,
  Subjects.ipamInitialize,
  Subjects.caRotateRoot,
  Subjects.caCompleteRootRotation,
  Subjects.tokensReissue,
]);

export const QueueGroups = {
  nodeService: 'node-service',
  caService: 'ca-service',
  tokenService: 'token-service',
  ipamService: 'ipam-service',
} as const;

export type QueueGroup = (typeof QueueGroups)[keyof typeof QueueGroups];

/**
 * The service whose queue group answers each subject. A request in flight to a service that has no
 * running replica left will never be answered: the gateway fails it at once (Docker's 503) instead
 * of waiting for its timeout.
 */
export const ServiceOfSubject: { readonly [K in keyof typeof Subjects]: QueueGroup } = {
  swarmInit: QueueGroups.nodeService,
  swarmUpdate: QueueGroups.nodeService,
  swarmLeave: QueueGroups.nodeService,
  caCreateRoot: QueueGroups.caService,
  caIssueNodeCertificate: QueueGroups.caService,
  caRotateRoot: QueueGroups.caService,
  caCompleteRootRotation: QueueGroups.caService,
  tokensIssue: QueueGroups.tokenService,
  tokensReissue: QueueGroups.tokenService,
  tokensRotate: QueueGroups.tokenService,
  tokensValidate: QueueGroups.tokenService,
  ipamInitialize: QueueGroups.ipamService,
  nodesJoin: QueueGroups.nodeService,
  nodesUpdate: QueueGroups.nodeService,
  nodesRemove: QueueGroups.nodeService,
  nodesRenew: QueueGroups.nodeService,
  nodesHeartbeat: QueueGroups.nodeService,
  nodesLeave: QueueGroups.nodeService,
  networksRemove: QueueGroups.ipamService,
  networksPrune: QueueGroups.ipamService,
};

/** The request subjects `service` answers. */
export function subjectsOf(service: string): ReadonlySet<string> {
  const keys = Object.keys(ServiceOfSubject) as (keyof typeof Subjects)[];
  return new Set(keys.filter((key) => ServiceOfSubject[key] === service).map((key) => Subjects[key]));
}

/**
 * The liveness subject of a service (`health.ipam-service`): every replica answers it in the
 * service's queue group, at once and without touching the store, so a request that finds no
 * responder means no replica of the service is running. The gateway's `/_ping` probes it.
 */
export function livenessSubject(queueGroup: string): string {
  return `health.${queueGroup}`;
}

/** The answer on a liveness subject: which service and which process answered. */
export interface LivenessReply {
  readonly service: string;
  readonly pid: number;
  /** The replica's key-encryption key is sealed (autolock) and it has not been unlocked yet. */
  readonly locked?: boolean;
}

/**
 * Autolock: the gateway has checked an unlock key (`POST /swarm/unlock`) and tells every process
 * that holds the KEK, each replica (a plain subscription, no queue group), to open its key file
 * with it. Carries `UnlockBroadcast`. Core NATS, nothing stored; see decision 0017.
 */
export const UNLOCK_BROADCAST_SUBJECT = 'swarm.kek.unlock';

export interface UnlockBroadcast {
  readonly unlockKey: string;
}

/** Autolock: a locked manager left with `--force`; the gateway made a new KEK file: every locked process reads it. */
export const KEK_REPLACED_BROADCAST_SUBJECT = 'swarm.kek.replaced';
