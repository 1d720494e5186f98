import { changedFields, clusterName, endpointAddress } from '@meshfold/core';
import type { CheckReport, EndpointRecord, Endpoints, StateDiff } from './api.js';
import { h, fill } from './dom.js';
import { DriftList } from './DriftList.js';
import { RENDER_LIMIT, TextFilter } from './TextFilter.js';

/** Endpoints at the selected seq, grouped by (host, namespace) then service port; changes highlighted. */
export class EndpointsPanel {
  readonly element: HTMLElement;
  readonly #list: HTMLElement;
  readonly #title: HTMLElement;
  readonly #filter: TextFilter;
  readonly #onObject: (key: string) => void;
  #value: Endpoints | undefined;
  /** Endpoints as JSON text: the diff's records are the same values, serialized the same way. */
  #added = new Set<string>();
  #changed = new Map<string, EndpointRecord>();
  /** With `serve --dump`: the dump's differences at this seq, listed above the groups and marked on their rows. */
  readonly #drift: DriftList;
  #driftMarks = new Map<string, string>();

  constructor(onObject: (key: string) => void, onSelect: (seq: number) => void = () => {}) {
    this.#onObject = onObject;
    this.#drift = new DriftList(onSelect, onObject);
    this.#list = h('div', { 'data-testid': 'endpoints' });
    this.#title = h('span', { class: 'muted' });
    this.#filter = new TextFilter('filter host, address, workload', () => this.#render());
    this.element = h('section', { class: 'panel endpoints' },
      h('h2', {}, 'Endpoints ', this.#title, this.#filter.element),
      h('div', { class: 'scroll' }, this.#drift.element, this.#list));
  }

  show(value: Endpoints, diff: StateDiff, check?: CheckReport): void {
    this.#value = value;
    this.#drift.show(check);
    this.#driftMarks = DriftList.marks(check);
    this.#added = new Set(diff.endpoints.added.map((e) => JSON.stringify(e)));
    this.#changed = new Map(diff.endpoints.changed.map(({ before, after }) => [JSON.stringify(after), before]));
    const { added, removed, changed } = diff.endpoints;
    const delta = added.length + removed.length + changed.length > 0 ? ` (+${added.length} −${removed.length} ~${changed.length})` : '';
    this.#title.textContent = `${value.endpoints.length} at seq ${value.seq}${delta}`;
    this.#render();
  }

  #render(): void {
    if (!this.#value) return;
    const shown = this.#value.endpoints
      .filter((e) => this.#filter.matches(`${e.host} ${e.namespace} ${endpointAddress(e)} ${e.workload}`))
      .slice(0, RENDER_LIMIT);
    const groups = new Map<string, Map<number, EndpointRecord[]>>();
    for (const e of shown) {
      const key = `${e.host} ${e.namespace}`;
      const ports = groups.get(key) ?? groups.set(key, new Map()).get(key)!;
      const list = ports.get(e.servicePort) ?? ports.set(e.servicePort, []).get(e.servicePort)!;
      list.push(e);
    }
    fill(this.#list, groups.size === 0 ? h('p', { class: 'muted' }, 'none') : [...groups.values()].map((ports) => this.#group(ports)),
      shown.length === RENDER_LIMIT ? h('p', { class: 'muted' }, `showing the first ${RENDER_LIMIT}: filter to narrow`) : null);
    this.#list.dataset.seq = String(this.#value.seq);
  }

  #group(ports: Map<number, EndpointRecord[]>): HTMLElement {
    const first = [...ports.values()][0]![0]!;
    return h('section', { class: 'group', 'data-host': first.host, 'data-namespace': first.namespace },
      h('h3', {}, first.host, ' ', h('span', { class: 'ns' }, first.namespace)),
      [...ports.entries()].map(([port, eps]) => h('div', { class: 'port', 'data-port': port },
        h('h4', {}, `:${port}`, ' ', h('span', { class: 'muted' }, `${eps[0]!.portName} ${eps[0]!.protocol} · ${clusterName(port, first.host)}`)),
        h('table', {}, h('tbody', {}, eps.map((e) => this.#row(e, clusterName(port, first.host))))))));
  }

  #row(e: EndpointRecord, cluster: string): HTMLTableRowElement {
    const text = JSON.stringify(e);
    const drift = this.#driftMarks.get(`${cluster} ${e.address}:${e.port}`);
    const before = this.#changed.get(text);
    const change = this.#added.has(text) ? 'added' : before ? 'changed' : undefined;
    const address = endpointAddress(e);
    return h('tr', {
      'data-testid': 'endpoint', 'data-address': address, 'data-workload': e.workload,
      ...(change && { class: change, 'data-change': change }),
      ...(before && { title: `was ${changedFields(before, e).map((c) => `${c.field} ${c.before}`).join(', ')}` }),
      ...(drift && { 'data-drift': drift }),
    },
    h('td', { class: 'mono' }, address),
    h('td', {}, h('button', { type: 'button', class: 'link', title: `history of ${e.workload}`, onClick: () => this.#onObject(e.workload) }, e.workload)),
    h('td', {}, h('span', { class: `badge tls-${e.tlsMode}` }, e.tlsMode)),
    h('td', { class: 'muted labels' }, Object.entries(e.labels).map(([k, v]) => `${k}=${v}`).join(' ')));
  }
}
