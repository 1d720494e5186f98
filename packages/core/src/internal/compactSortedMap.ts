/**
 * `base` merged with `over` (`over` wins), keys sorted, frozen, and no larger than its entries.
 * V8 gives an object grown from `{}` four property slots whatever it ends up holding (a one-label
 * selector costs 56 bytes), while JSON.parse sizes each object to its keys (32 bytes). Label maps
 * are kept for the life of the state, so they are made once the exact way; only keys and values
 * that survive JSON (validated label and port names, strings and port numbers) are passed here.
 */
export function compactSortedMap<V extends string | number>(
  base?: Readonly<Record<string, V>>, over?: Readonly<Record<string, V>>, keys = mergedKeys(base, over),
): Readonly<Record<string, V>> {
  const map: Record<string, V> = {};
  for (const k of keys) map[k] = (over && Object.hasOwn(over, k) ? over[k] : base![k]) as V;
  return Object.freeze(JSON.parse(JSON.stringify(map)) as Record<string, V>);
}

/** The keys of `base` and `over`, sorted. */
export function mergedKeys(base?: Readonly<Record<string, unknown>>, over?: Readonly<Record<string, unknown>>): string[] {
  const keys = base ? Object.keys(base) : [];
  if (over) for (const k of Object.keys(over)) if (!base || !Object.hasOwn(base, k)) keys.push(k);
  return keys.sort();
}
