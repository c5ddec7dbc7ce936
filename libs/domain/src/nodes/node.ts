import { DomainError, SwarmErrors, type EventData, type NodeAvailability, type NodeEvent, type NodeRole } from '#contracts';

/** A node of the swarm as its stream `node-<id>` knows it. */
export type SwarmNode =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly removed: boolean;
      readonly registered: EventData<'NodeRegistered'>;
      readonly role: NodeRole;
      readonly availability: NodeAvailability;
      readonly labels: Record<string, string>;
      readonly managerAddr: string | undefined;
      readonly state: 'ready' | 'down';
    };

export const initialNode: SwarmNode = { exists: false };

export type NodeCommand =
  | { readonly type: 'RegisterNode'; readonly node: EventData<'NodeRegistered'> }
  | {
      readonly type: 'UpdateNodeSpec';
      readonly role: string;
      readonly availability: string;
      readonly labels: Record<string, string>;
      /** Managers in the cluster now, this node included if it is one. */
      readonly managerCount: number;
    }
  | { readonly type: 'ChangeNodeStatus'; readonly state: 'ready' | 'down'; readonly message: string }
  | { readonly type: 'RemoveNode'; readonly force: boolean };

const failedPrecondition = (text: string): DomainError =>
  new DomainError({ code: 'FailedPrecondition', kind: 'InvalidParameter', message: `rpc error: code = FailedPrecondition desc = ${text}` });

export function decideNode(command: NodeCommand, node: SwarmNode): NodeEvent[] {
  if (command.type === 'RegisterNode') return node.exists ? [] : [{ type: 'NodeRegistered', data: command.node }];
  if (!node.exists || node.removed) throw new DomainError(SwarmErrors.notFound('node not found'));
  const { nodeId, clusterId } = node.registered;
  switch (command.type) {
    case 'UpdateNodeSpec': {
      const role = parseRole(command.role);
      const availability = parseAvailability(command.availability);
      if (node.role === 'manager' && role === 'worker' && command.managerCount <= 1) {
        throw failedPrecondition('attempting to demote the last manager of the swarm');
      }
      const managerAddr = role === 'manager' ? (node.managerAddr ?? `${node.registered.addr}:2377`) : undefined;
      const data: EventData<'NodeSpecUpdated'> = { nodeId, clusterId, role, availability, labels: command.labels, ...(managerAddr ? { managerAddr } : {}) };
      return [{ type: 'NodeSpecUpdated', data }];
    }
    case 'ChangeNodeStatus':
      if (node.state === command.state) return [];
      return [{ type: 'NodeStatusChanged', data: { nodeId, clusterId, state: command.state, message: command.message } }];
    case 'RemoveNode':
      if (node.role === 'manager') {
        throw failedPrecondition(
          `node ${nodeId} is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal`,
        );
      }
      if (node.state !== 'down' && !command.force) throw failedPrecondition(`node ${nodeId} is not down and can't be removed`);
      return [{ type: 'NodeRemoved', data: { nodeId, clusterId, force: command.force } }];
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
}

export function evolveNode(node: SwarmNode, event: NodeEvent): SwarmNode {
  switch (event.type) {
    case 'NodeRegistered': {
      const d = event.data;
      return { exists: true, removed: false, registered: d, role: d.role, availability: d.availability, labels: d.labels, managerAddr: d.managerAddr, state: 'ready' };
    }
    case 'NodeSpecUpdated':
      return node.exists
        ? { ...node, role: event.data.role, availability: event.data.availability, labels: event.data.labels, managerAddr: event.data.managerAddr }
        : node;
    case 'NodeStatusChanged':
      return node.exists ? { ...node, state: event.data.state } : node;
    case 'NodeRemoved':
      return node.exists ? { ...node, removed: true } : node;
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** Docker accepts the role and availability in any case; anything else is its 400. */
export function parseRole(text: string): NodeRole {
  const value = text.toLowerCase();
  if (value === 'manager' || value === 'worker') return value;
  throw new DomainError(SwarmErrors.invalidParameter(`invalid Role: "${text}"`));
}

export function parseAvailability(text: string): NodeAvailability {
  const value = text.toLowerCase();
  if (value === 'active' || value === 'pause' || value === 'drain') return value;
  throw new DomainError(SwarmErrors.invalidParameter(`invalid Availability: "${text}"`));
}
