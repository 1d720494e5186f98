/**
 * The conformance scenarios (`<repo>/conformance/*.json`, a copy kept in step with the project's
 * reference set): loading them, and
 * turning a checkpoint and what an implementation reports into comparable sorted sets. The
 * library test feeds them to a Projector; the CLI tests feed the same scenarios to `meshfold`.
 */
import { canonicalJson } from './canonicalJson.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import type { WatchEvent } from '../../src/index.js';

export interface ScenarioCheckpoint {
  /** The state after this event (0 = before any). */
  readonly seq: number;
  /** Each entry lists the fields that must match exactly; other fields are not compared. */
  readonly endpoints: readonly Readonly<Record<string, unknown>>[];
  readonly associations: readonly { readonly serviceEntry: string; readonly workloadEntry: string }[];
}

export interface Scenario {
  /** File name, e.g. `endpoint-port-after-removal.json`. */
  readonly file: string;
  readonly name: string;
  readonly about: string;
  /** Recorded in order: event i has seq i + 1. */
  readonly events: readonly WatchEvent[];
  readonly checkpoints: readonly ScenarioCheckpoint[];
}

/** What both sides of one checkpoint comparison reduce to: sorted, de-duplicated canonical JSON. */
export interface CheckpointComparison {
  readonly expected: { readonly endpoints: string[]; readonly associations: string[] };
  readonly actual: { readonly endpoints: string[]; readonly associations: string[] };
}

/** The monorepo root: the nearest ancestor of `from` whose package.json declares workspaces. */
export function repoRoot(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && 'workspaces' in (JSON.parse(readFileSync(pkg, 'utf8')) as object)) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json with workspaces above ${fileURLToPath(from)}`);
    dir = parent;
  }
}

/** `<repo root>/conformance`: the repository never reads outside itself. */
export function conformanceDir(root: string = repoRoot()): string {
  return resolve(root, 'conformance');
}

/** Every `*.json` scenario in `dir`, sorted by file name; a malformed file throws naming it. */
export function loadScenarios(dir: string = conformanceDir()): Scenario[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) throw new Error(`no conformance scenarios (*.json) in ${dir}`);
  return files.map((file) => parseScenario(file, JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown));
}

export function parseScenario(file: string, raw: unknown): Scenario {
  const fail: (what: string) => never = (what) => { throw new Error(`conformance scenario ${file}: ${what}`); };
  if (!isObject(raw)) fail('not a JSON object');
  const { name, about, events, checkpoints } = raw;
  if (typeof name !== 'string' || name === '') fail('"name" must be a non-empty string');
  if (!Array.isArray(events) || events.length === 0) fail('"events" must be a non-empty array');
  if (!Array.isArray(checkpoints) || checkpoints.length === 0) fail('"checkpoints" must be a non-empty array');
  (events as unknown[]).forEach((e, i) => {
    if (!isObject(e) || typeof e.type !== 'string' || !isObject(e.object)) fail(`events[${i}] is not {type, object}`);
  });
  (checkpoints as unknown[]).forEach((c, i) => {
    if (!isObject(c) || !Number.isInteger(c.seq) || (c.seq as number) < 0 || (c.seq as number) > (events as unknown[]).length) {
      fail(`checkpoints[${i}].seq must be an integer in 0..${(events as unknown[]).length}`);
    }
    if (!Array.isArray(c.endpoints) || !Array.isArray(c.associations)) fail(`checkpoints[${i}] needs endpoints and associations arrays`);
  });
  return {
    file,
    name: name as string,
    about: typeof about === 'string' ? about : '',
    events: events as WatchEvent[],
    checkpoints: checkpoints as ScenarioCheckpoint[],
  };
}

/** Checkpoints by seq, so a runner can look one up after each event. */
export function checkpointsBySeq(scenario: Scenario): Map<number, ScenarioCheckpoint> {
  return new Map(scenario.checkpoints.map((c) => [c.seq, c]));
}

/**
 * Reduces a checkpoint and what was reported at its seq (e.g. `endpointsOf(state)`, or the
 * `endpoints` array of `meshfold endpoints -o json`) to sorted sets, ready for a deep-equal
 * assertion. Reported endpoints are projected onto the fields the checkpoint's entries list.
 */
export function compareCheckpoint(
  checkpoint: ScenarioCheckpoint,
  reported: { readonly endpoints: readonly object[]; readonly associations: readonly object[] },
): CheckpointComparison {
  const fields = [...new Set(checkpoint.endpoints.flatMap((e) => Object.keys(e)))];
  const project = (e: object): Record<string, unknown> =>
    Object.fromEntries(fields.map((f) => [f, (e as Record<string, unknown>)[f]]));
  const assoc = (a: object): Record<string, unknown> => {
    const { serviceEntry, workloadEntry } = a as Record<string, unknown>;
    return { serviceEntry, workloadEntry };
  };
  return {
    expected: { endpoints: sortedSet(checkpoint.endpoints), associations: sortedSet(checkpoint.associations.map(assoc)) },
    actual: {
      // With no expected entries there are no fields to project on: any reported endpoint is a mismatch.
      endpoints: sortedSet(fields.length > 0 ? reported.endpoints.map(project) : reported.endpoints),
      associations: sortedSet(reported.associations.map(assoc)),
    },
  };
}

/** Fails, naming the scenario and seq, unless `reported` matches the checkpoint as sorted sets. */
export function assertCheckpoint(
  scenario: Scenario,
  checkpoint: ScenarioCheckpoint,
  reported: { readonly endpoints: readonly object[]; readonly associations: readonly object[] },
): void {
  const { expected, actual } = compareCheckpoint(checkpoint, reported);
  const at = `${scenario.file} at seq ${checkpoint.seq}`;
  assert.equal(actual.endpoints, expected.endpoints, `${at}: endpoints`);
  assert.equal(actual.associations, expected.associations, `${at}: associations`);
}

function sortedSet(values: readonly unknown[]): string[] {
  return [...new Set(values.map(canonicalJson))].sort();
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

