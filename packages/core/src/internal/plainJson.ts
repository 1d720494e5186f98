/**
 * The deepest nesting an object may have. Kubernetes objects nest a few levels (a ServiceEntry's
 * deepest field is about six down); the bound keeps a hostile document from overflowing the
 * encoder's stack, which would otherwise fail a whole batch instead of one event.
 */
export const MAX_DEPTH = 64;

/**
 * The most characters of keys and strings one object may hold. An API server stores no object
 * larger than etcd's request limit (1.5 MiB), so this admits every real object; it bounds what one
 * event costs to hold, encode and store — YAML aliases can make a short document expand to
 * gigabytes, which would otherwise fail the whole batch it sits in.
 */
export const MAX_OBJECT_CHARS = 3 * 1024 * 1024;

/**
 * Where `value` stops being plain JSON data, as `[path, why]`, or undefined when it is plain:
 * only strings, finite numbers, booleans, null (and undefined, an absent field), arrays and
 * ordinary objects, nested at most {@link MAX_DEPTH} deep, with no key `__proto__`, holding at
 * most {@link MAX_OBJECT_CHARS} characters of keys and strings (an alias counts each time it is
 * used). What the fold sees must be exactly what the log stores and replays: a YAML
 * `!!omap`/`!!set`/`!!timestamp`/`!!binary` becomes a Map, Set, Date or bytes that JSON and
 * msgpack store differently, and a key `__proto__` is lost or renamed on the way through msgpack
 * and changes an object's prototype when assigned.
 */
export function plainJsonProblem(value: unknown): [string, string] | undefined {
  const budget = { chars: MAX_OBJECT_CHARS };
  const problem = walk(value, 0, budget);
  if (problem) return [pathOf(problem.at), problem.why];
  return budget.chars < 0 ? ['', `holds more than ${MAX_OBJECT_CHARS} characters of keys and strings (larger than any object an API server stores)`] : undefined;
}

/**
 * Where a problem is, from `value` down: keys and array indexes, outermost first. Gathered on the
 * way back up from a problem, so a plain object (every object, nearly always) costs no path.
 */
interface Problem { at: (string | number)[]; why: string }

function walk(value: unknown, depth: number, budget: { chars: number }): Problem | undefined {
  switch (typeof value) {
    case 'string':
      budget.chars -= value.length;
      return undefined;
    case 'boolean':
    case 'undefined': // an absent field, as Kubernetes and JSON.stringify treat it
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : { at: [], why: `${String(value)} is not a JSON number` };
    case 'object':
      break;
    default:
      return { at: [], why: `a ${typeof value} is not JSON data` };
  }
  if (value === null) return undefined;
  // Past the budget the answer is known; walking on would only cost time.
  if (budget.chars < 0) return undefined;
  if (depth >= MAX_DEPTH) return { at: [], why: `nested more than ${MAX_DEPTH} levels deep` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = walk(value[i], depth + 1, budget);
      if (problem) {
        problem.at.push(i);
        return problem;
      }
    }
    return undefined;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    return { at: [], why: `a ${(value as object).constructor?.name ?? 'non-plain object'} is not JSON data (a YAML tag such as !!omap, !!set, !!timestamp or !!binary?)` };
  }
  for (const key of Object.keys(value)) {
    if (key === '__proto__') return { at: [key], why: 'the key __proto__ cannot be stored faithfully' };
    budget.chars -= key.length;
    const problem = walk((value as Record<string, unknown>)[key], depth + 1, budget);
    if (problem) {
      problem.at.push(key);
      return problem;
    }
  }
  return undefined;
}

/** `spec.ports[2].name`: the steps are gathered innermost first. */
function pathOf(steps: readonly (string | number)[]): string {
  let path = '';
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!;
    path = typeof step === 'number' ? `${path}[${step}]` : path === '' ? step : `${path}.${step}`;
  }
  return path;
}
