import type { Labels } from './objects.js';

export const TLS_MODE_LABEL = 'security.istio.io/tlsMode';

/** Spec labels merged with metadata labels; metadata wins on conflict (Istio 1.14+). Keys sorted. */
export function mergeLabels(spec: Labels | undefined, metadata: Labels | undefined): Labels {
  return sortedMap({ ...spec, ...metadata });
}

/**
 * A copy with keys in sorted order. Records are built this way so that their plain
 * `JSON.stringify` is already canonical: hashing needs no generic key-sorting walk.
 */
export function sortedMap<V>(map: Readonly<Record<string, V>> | undefined): Record<string, V> {
  const out: Record<string, V> = {};
  if (!map) return out;
  for (const key of Object.keys(map).sort()) out[key] = map[key]!;
  return out;
}

/**
 * Every selector label must be present with an equal value. An empty selector selects
 * everything (current Istio, krt); a missing selector is handled by the caller.
 */
export function matchesSelector(selector: Labels, labels: Labels): boolean {
  for (const key in selector) {
    if (labels[key] !== selector[key]) return false;
  }
  return true;
}
