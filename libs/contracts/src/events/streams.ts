/**
 * Stream categories: a stream's name is its category, then `-` and an ID (the membership stream is
 * its category alone). Subscribers that want some categories only name them (`categories` of a
 * subscription).
 */
export const StreamCategories = {
  membership: 'membership',
  cluster: 'cluster',
  node: 'node',
  ca: 'ca',
  nodeCertificate: 'nodecert',
  joinTokens: 'jointokens',
  ipam: 'ipam',
} as const;

/** Stream names, one helper per aggregate, built from generated IDs only (never user input). */
export const Streams = {
  membership: (): string => StreamCategories.membership,
  cluster: (clusterId: string): string => `${StreamCategories.cluster}-${clusterId}`,
  node: (nodeId: string): string => `${StreamCategories.node}-${nodeId}`,
  ca: (clusterId: string): string => `${StreamCategories.ca}-${clusterId}`,
  nodeCertificate: (nodeId: string): string => `${StreamCategories.nodeCertificate}-${nodeId}`,
  joinTokens: (clusterId: string): string => `${StreamCategories.joinTokens}-${clusterId}`,
  ipam: (clusterId: string): string => `${StreamCategories.ipam}-${clusterId}`,
} as const;

/**
 * The categories with one stream per node: two for every join, so most of a busy log. The event
 * store gives them subject branches of their own (JetStream), so that a subscriber of the other
 * categories is not sent them at all.
 */
export const PER_NODE_CATEGORIES: readonly string[] = [StreamCategories.node, StreamCategories.nodeCertificate];

/**
 * The categories a new JetStream log gives subject branches of their own: the per-node ones, and
 * the ipam streams (every network create), which only ipam-service, the gateway and node-service's
 * subscribers of the whole log need: token-service's subscription is then not sent them (one
 * delivery less per create, decision 0016). An existing log keeps the layout it recorded.
 */
export const BRANCHED_CATEGORIES: readonly string[] = [...PER_NODE_CATEGORIES, StreamCategories.ipam];
