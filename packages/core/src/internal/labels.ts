import type { Labels } from '../objects.js';

export const TLS_MODE_LABEL = 'security.istio.io/tlsMode';

/**
 * Every selector label must be present with an equal value. An empty selector selects
 * everything (current Istio, krt); a missing selector is handled by the caller.
 */
export function matchesSelector(selector: Labels, labels: Labels): boolean {
  for (const key in selector) {
    if (labelValue(labels, key) !== selector[key]) return false;
  }
  return true;
}

/**
 * The value of label `key`, or undefined: an own property only, so keys such as `constructor`
 * or `toString` never read what every object inherits.
 */
export function labelValue<V>(labels: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(labels, key) ? labels[key] : undefined;
}
