/** How the managers stand, as the Engine counts them before a manager leaves (`managerStats`). */
export interface ManagerStats {
  /** This node is a reachable manager. */
  readonly selfReachable: boolean;
  readonly reachable: number;
  readonly unreachable: number;
}

/** Counts the managers in a `GET /nodes` answer by `ManagerStatus.Reachability`. */
export function managerStats(nodes: unknown, selfId: string): ManagerStats | undefined {
  if (!Array.isArray(nodes)) return undefined;
  let reachable = 0;
  let unreachable = 0;
  let selfReachable = false;
  for (const node of nodes as { ID?: unknown; ManagerStatus?: { Reachability?: unknown } }[]) {
    const reachability = node?.ManagerStatus?.Reachability;
    if (reachability === 'reachable') {
      reachable++;
      if (node.ID === selfId) selfReachable = true;
    } else if (reachability === 'unreachable') {
      unreachable++;
    }
  }
  return { selfReachable, reachable, unreachable };
}

/**
 * The Engine's refusal when a manager leaves without `--force` (MOBY `daemon/cluster/swarm.go`
 * `Leave`). `stats` is 'no-control' when this node cannot reach the control plane (not an active
 * manager), undefined when the managers could not be counted.
 */
export function managerLeaveMessage(stats: ManagerStats | 'no-control' | undefined): string {
  let message = 'You are attempting to leave the swarm on a node that is participating as a manager. ';
  if (stats === 'no-control') {
    message += 'Doing so may lose the consensus of your cluster. ';
  } else if (stats && stats.selfReachable && stats.reachable - 2 <= stats.unreachable) {
    if (stats.reachable === 1 && stats.unreachable === 0) {
      return `${message}Removing the last manager erases all current state of the swarm. Use \`--force\` to ignore this message. `;
    }
    message += `Removing this node leaves ${stats.reachable - 1} managers out of ${stats.reachable + stats.unreachable}. Without a Raft quorum your swarm will be inaccessible. `;
  }
  return `${message}The only way to restore a swarm that has lost consensus is to reinitialize it with \`--force-new-cluster\`. Use \`--force\` to suppress this message.`;
}
