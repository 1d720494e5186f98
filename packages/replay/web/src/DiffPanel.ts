import { changedFields, clusterName, endpointAddress } from '@meshfold/core';
import type { EndpointRecord, StateDiff } from './api.js';
import { h, fill } from './dom.js';

export type DiffBase = 'event' | 'position';

/** What changed between the base point and the selected seq. */
export class DiffPanel {
  readonly element: HTMLElement;
  readonly #list: HTMLElement;
  readonly #title: HTMLElement;

  constructor(baseChanged: (base: DiffBase) => void) {
    this.#list = h('ul', { class: 'changes', 'data-testid': 'diff' });
    this.#title = h('span', { class: 'muted' });
    const base = h('select', { 'data-testid': 'diff-base', 'aria-label': 'compare with', onChange: () => baseChanged(base.value as DiffBase) },
      h('option', { value: 'event' }, 'vs the previous event'),
      h('option', { value: 'position' }, 'vs the previous position'));
    this.element = h('section', { class: 'panel diff' },
      h('h2', {}, 'Changes ', this.#title, base),
      h('div', { class: 'scroll' }, this.#list));
  }

  show(diff: StateDiff): void {
    const assoc = (sign: string, change: string) => (a: { serviceEntry: string; workloadEntry: string }) =>
      row(sign, change, 'association', `${a.serviceEntry} → ${a.workloadEntry}`);
    const endpoint = (sign: string, change: string) => (e: EndpointRecord) =>
      row(sign, change, 'endpoint', `${endpointAddress(e)} ${clusterName(e.servicePort, e.host)} ${e.workload}`);
    const rows = [
      ...diff.associations.removed.map(assoc('−', 'removed')),
      ...diff.associations.added.map(assoc('+', 'added')),
      ...diff.endpoints.removed.map(endpoint('−', 'removed')),
      ...diff.endpoints.added.map(endpoint('+', 'added')),
      ...diff.endpoints.changed.map(({ before, after }) =>
        row('~', 'changed', 'endpoint', `${clusterName(after.servicePort, after.host)} ${after.workload}: ${fieldChanges(before, after)}`)),
    ];
    this.#title.textContent = `seq ${diff.from} → ${diff.to}: ${rows.length} change${rows.length === 1 ? '' : 's'}`;
    fill(this.#list, rows.length > 0 ? rows : h('li', { class: 'muted' }, 'no change'));
    this.#list.dataset.from = String(diff.from);
    this.#list.dataset.to = String(diff.to);
  }
}

function row(sign: string, change: string, kind: string, text: string): HTMLLIElement {
  return h('li', { class: change, 'data-testid': 'diff-row', 'data-change': change, 'data-kind': kind },
    h('span', { class: 'sign' }, sign), h('span', { class: 'kind' }, kind), text);
}

function fieldChanges(before: EndpointRecord, after: EndpointRecord): string {
  return changedFields(before, after).map((c) => `${c.field} ${c.before} → ${c.after}`).join(', ');
}
