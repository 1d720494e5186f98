/**
 * The deepest nesting an object may have. Kubernetes objects nest a few levels (a ServiceEntry's
 * deepest field is about six down); the bound keeps a hostile document from overflowing the
 * encoder's stack, which would otherwise fail a whole batch instead of one event.
 */
export const MAX_DEPTH = 64;

/**
 * Where `value` stops being plain JSON data, as `[path, why]`, or undefined when it is plain:
 * only strings, finite numbers, booleans, null (and undefined, an absent field), arrays and
 * ordinary objects, nested at most
 * {@link MAX_DEPTH} deep, and no key `__proto__`. What the fold sees must be exactly what the log
 * stores and replays: a YAML `!!omap`/`!!set`/`!!timestamp`/`!!binary` becomes a Map, Set, Date
 * or bytes that JSON and msgpack store differently, and a key `__proto__` is lost or renamed on
 * the way through msgpack and changes an object's prototype when assigned.
 */
export function plainJsonProblem(value: unknown, path = '', depth = 0): [string, string] | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined': // an absent field, as Kubernetes and JSON.stringify treat it
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : [path, `${String(value)} is not a JSON number`];
    case 'object':
      break;
    default:
      return [path, `a ${typeof value} is not JSON data`];
  }
  if (value === null) return undefined;
  if (depth >= MAX_DEPTH) return [path, `nested more than ${MAX_DEPTH} levels deep`];
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = plainJsonProblem(value[i], `${path}[${i}]`, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    return [path, `a ${(value as object).constructor?.name ?? 'non-plain object'} is not JSON data (a YAML tag such as !!omap, !!set, !!timestamp or !!binary?)`];
  }
  for (const key of Object.keys(value)) {
    const at = path === '' ? key : `${path}.${key}`;
    if (key === '__proto__') return [at, 'the key __proto__ cannot be stored faithfully'];
    const problem = plainJsonProblem((value as Record<string, unknown>)[key], at, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}
