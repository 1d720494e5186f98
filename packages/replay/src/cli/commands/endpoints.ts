import { clusterName, endpointAddress, type EndpointRecord } from '@meshfold/core';
import type { EventLog } from '@meshfold/store';
import type { Io } from '../../io/Io.js';
import { cdsJson, edsJson, endpointsJson } from '../../queries/endpointsJson.js';
import { resolvePoint } from '../../queries/resolvePoint.js';
import { formatJson } from '../formatJson.js';
import { formatTable } from '../formatTable.js';
import { outputFormat } from '../outputFormat.js';
import { stateLoader } from '../stateLoader.js';

/** `meshfold endpoints`: the endpoints at a point, as istioctl's table, JSON, or Envoy's EDS/CDS resources. */
export async function endpoints(log: EventLog, options: { at?: unknown; host?: unknown; o?: string }, io: Io): Promise<number> {
  const format = outputFormat(options.o, ['table', 'wide', 'json', 'eds', 'cds'] as const);
  const seq = await resolvePoint(log, options.at);
  const host = options.host === undefined ? undefined : String(options.host);
  const load = stateLoader(log, io);
  if (format === 'json') io.out(formatJson(await endpointsJson(load, seq, host)));
  else if (format === 'eds') io.out(formatJson(await edsJson(load, seq, host)));
  else if (format === 'cds') io.out(formatJson(await cdsJson(load, seq, host)));
  else io.out(endpointTable((await endpointsJson(load, seq, host)).endpoints, format === 'wide'));
  return 0;
}

/**
 * The endpoints table of `istioctl proxy-config endpoint`: its columns, its order (address as a
 * string, then port, then cluster) and its spacing; `wide` adds LOCALITY, TLS and WORKLOAD.
 * Every endpoint is HEALTHY and OK, as Envoy reports an EDS host without health checking.
 */
function endpointTable(eps: readonly EndpointRecord[], wide: boolean): string {
  const cluster = (e: EndpointRecord) => clusterName(e.servicePort, e.host);
  const sorted = [...eps].sort((a, b) => cmp(a.address, b.address) || a.port - b.port || cmp(cluster(a), cluster(b))
    || cmp(a.workload, b.workload));
  const headers = ['ENDPOINT', 'STATUS', 'OUTLIER CHECK', 'CLUSTER', ...(wide ? ['LOCALITY', 'TLS', 'WORKLOAD'] : [])];
  return formatTable(headers, sorted.map((e) => [
    endpointAddress(e), 'HEALTHY', 'OK', cluster(e), ...(wide ? [e.locality, e.tlsMode, e.workload] : []),
  ]), 5);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
