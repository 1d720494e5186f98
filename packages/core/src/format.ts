import type { Delta } from './Delta.js';
import type { EndpointRecord } from './EndpointRecord.js';

/**
 * Text forms shared by the CLI and the inspector page, so both print an endpoint, a cluster and
 * a change the same way. Type-only imports: the page bundles this module for the browser.
 */

/**
 * The name istiod gives the outbound cluster of a host and service port (`BuildSubsetKey` with
 * no subset).
 *
 * @example
 * clusterName(80, 'orders.example.com') // 'outbound|80||orders.example.com'
 */
export function clusterName(port: number, host: string): string {
  return `outbound|${port}||${host}`;
}

/**
 * An endpoint's address as `istioctl proxy-config endpoint` prints it (istioctl/pkg/writer/envoy/
 * clusters/clusters.go, `PrintEndpointsSummary`): address, `:` and port, with no brackets around
 * IPv6 (`2001:db8::10:8080`); a unix socket (port 0) as `unix://` and its path.
 *
 * @example
 * endpointAddress({ address: '10.0.0.1', port: 8080 }) // '10.0.0.1:8080'
 * endpointAddress({ address: '/var/run/app.sock', port: 0 }) // 'unix:///var/run/app.sock'
 */
export function endpointAddress(e: { readonly address: string; readonly port: number }): string {
  return e.port === 0 ? `unix://${e.address}` : `${e.address}:${e.port}`;
}

/** One field that differs between two versions of an endpoint, its values as JSON. */
export interface FieldChange {
  readonly field: keyof EndpointRecord;
  readonly before: string;
  readonly after: string;
}

/** The fields that differ between two versions of an endpoint, in the record's field order. */
export function changedFields(before: EndpointRecord, after: EndpointRecord): FieldChange[] {
  return (Object.keys(before) as (keyof EndpointRecord)[])
    .map((field) => ({ field, before: JSON.stringify(before[field]), after: JSON.stringify(after[field]) }))
    .filter((c) => c.before !== c.after);
}

/**
 * A delta in words, as `meshfold history` prints it.
 *
 * @example
 * deltaText({ type: 'association-added', serviceEntry: 'shop/orders', workloadEntry: 'shop/vm-1' })
 * // '+assoc shop/orders -> shop/vm-1'
 */
export function deltaText(d: Delta, arrow = '->'): string {
  switch (d.type) {
    case 'association-added': return `+assoc ${d.serviceEntry} ${arrow} ${d.workloadEntry}`;
    case 'association-removed': return `-assoc ${d.serviceEntry} ${arrow} ${d.workloadEntry}`;
    case 'shard-replaced': return `endpoints ${d.host} (${d.namespace}): ${d.endpoints.length}`;
    default: return `${d.type.replace('service-', 'service ')} ${d.host}`;
  }
}
