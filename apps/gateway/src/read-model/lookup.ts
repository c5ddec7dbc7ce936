/**
 * The Engine's lookup rule for nodes and networks: exact ID, then exact name, then a unique ID
 * prefix. Returns undefined when nothing (or more than one prefix match) is found.
 */
export function findByIdNameOrPrefix<T>(
  items: Iterable<T>,
  key: string,
  id: (item: T) => string,
  name: (item: T) => string,
): T | undefined {
  const all = [...items];
  const byId = all.find((item) => id(item) === key);
  if (byId) return byId;
  const byName = all.filter((item) => name(item) === key);
  if (byName.length === 1) return byName[0];
  const byPrefix = all.filter((item) => id(item).startsWith(key));
  return byPrefix.length === 1 ? byPrefix[0] : undefined;
}
