/** Stream names, one helper per aggregate, built from generated IDs only (never user input). */
export const Streams = {
  membership: (): string => 'membership',
  cluster: (clusterId: string): string => `cluster-${clusterId}`,
  node: (nodeId: string): string => `node-${nodeId}`,
  ca: (clusterId: string): string => `ca-${clusterId}`,
  nodeCertificate: (nodeId: string): string => `nodecert-${nodeId}`,
  joinTokens: (clusterId: string): string => `jointokens-${clusterId}`,
  ipam: (clusterId: string): string => `ipam-${clusterId}`,
} as const;
