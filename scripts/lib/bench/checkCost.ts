import { endpointsOf, toClusterLoadAssignments, type Projector } from '@meshfold/core';
import { checkDump, parseDump } from '@meshfold/replay';
import { EventLog, ProjectedLog } from '@meshfold/store';
import { seedEvents } from '../scenario.js';

/**
 * `meshfold check` on a dump of `ses` clusters × `endpoints` endpoints that equals the truth (the
 * everyday answer, where every endpoint is still compared), against parsing the same dump alone:
 * Envoy's `/config_dump?include_eds` text, snake_case, as a proxy prints it. The median of a few
 * rounds, each parsing the text anew.
 */
export async function checkSeconds(ses: number, endpoints: number, rounds = 3): Promise<{ parse: number; check: number; clusters: number; endpoints: number; megabytes: number }> {
  const log = await EventLog.openMemory();
  const projected = await ProjectedLog.open(log);
  const events = [...seedEvents(ses, endpoints, 'inline')];
  for (let i = 0; i < events.length; i += 1000) await projected.record(events.slice(i, i + 1000));
  const state: Projector = projected.projector;
  const text = configDumpText(toClusterLoadAssignments(endpointsOf(state.state)));
  const load = async () => state; // the state comes from the inspector's cache or a snapshot: not what is measured here
  const parse: number[] = [];
  const check: number[] = [];
  let compared = { clusters: 0, endpoints: 0 };
  for (let r = 0; r < rounds; r++) {
    let start = performance.now();
    parseDump(text, 'bench');
    parse.push((performance.now() - start) / 1000);
    start = performance.now();
    const report = await checkDump(log, load, parseDump(text, 'bench'), 'bench', { at: String(log.lastSeq), settleMs: 5000 });
    check.push((performance.now() - start) / 1000);
    if (report.drift) throw new Error('bench: a dump of the truth has drift');
    compared = report.summary;
  }
  await log.close();
  return { parse: median(parse), check: median(check), clusters: compared.clusters, endpoints: compared.endpoints, megabytes: text.length / 1e6 };
}

/** The CLAs as Envoy's config dump holds them: snake_case, each a dynamic endpoint config with its last_updated. */
function configDumpText(clas: object[]): string {
  const snake = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(snake);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), k === 'filterMetadata' ? v : snake(v)]));
  };
  return JSON.stringify({
    configs: [{
      '@type': 'type.googleapis.com/envoy.admin.v3.EndpointsConfigDump',
      dynamic_endpoint_configs: clas.map((cla) => ({
        version_info: 'bench',
        endpoint_config: { '@type': 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment', ...(snake(cla) as object) },
        last_updated: '2024-01-01T00:00:00Z',
      })),
    }],
  }, null, 1);
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}
