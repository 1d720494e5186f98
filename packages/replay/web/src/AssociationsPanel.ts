import type { Associations, StateDiff } from './api.js';
import { h, fill } from './dom.js';
import { RENDER_LIMIT, TextFilter } from './TextFilter.js';

export interface AssociationActions {
  object(key: string): void;
  why(serviceEntry: string, workloadEntry: string): void;
}

/** Which WorkloadEntries each ServiceEntry selects at the selected seq; new ones highlighted. */
export class AssociationsPanel {
  readonly element: HTMLElement;
  readonly #body: HTMLTableSectionElement;
  readonly #table: HTMLTableElement;
  readonly #title: HTMLElement;
  readonly #more: HTMLElement;
  readonly #filter: TextFilter;
  readonly #on: AssociationActions;
  #value: Associations | undefined;
  #added = new Set<string>();

  constructor(on: AssociationActions) {
    this.#on = on;
    this.#body = h('tbody');
    this.#title = h('span', { class: 'muted' });
    this.#more = h('p', { class: 'muted' });
    this.#filter = new TextFilter('filter ns/name', () => this.#render());
    this.#table = h('table', { 'data-testid': 'associations' },
      h('thead', {}, h('tr', {}, h('th', {}, 'ServiceEntry'), h('th', {}), h('th', {}, 'WorkloadEntry'), h('th', {}))),
      this.#body);
    this.element = h('section', { class: 'panel associations' },
      h('h2', {}, 'Associations ', this.#title, this.#filter.element),
      h('div', { class: 'scroll' }, this.#table, this.#more));
  }

  show(value: Associations, diff: StateDiff): void {
    this.#value = value;
    this.#added = new Set(diff.associations.added.map((a) => `${a.serviceEntry} ${a.workloadEntry}`));
    const removed = diff.associations.removed.length;
    this.#title.textContent = `${value.associations.length} at seq ${value.seq}${this.#added.size || removed ? ` (+${this.#added.size} −${removed})` : ''}`;
    this.#render();
  }

  #render(): void {
    if (!this.#value) return;
    const shown = this.#value.associations.filter((a) => this.#filter.matches(`${a.serviceEntry} ${a.workloadEntry}`));
    fill(this.#body, shown.slice(0, RENDER_LIMIT).map(({ serviceEntry: se, workloadEntry: we }) => {
      const added = this.#added.has(`${se} ${we}`);
      return h('tr', { 'data-testid': 'association', 'data-se': se, 'data-we': we, ...(added && { class: 'added', 'data-change': 'added' }) },
        h('td', {}, this.#link(`ServiceEntry/${se}`, se)),
        h('td', { class: 'muted' }, '→'),
        h('td', {}, this.#link(`WorkloadEntry/${we}`, we)),
        h('td', {}, h('button', { type: 'button', class: 'small', title: 'why is it selected?', onClick: () => this.#on.why(se, we) }, 'why')));
    }));
    this.#more.textContent = RENDER_LIMIT < shown.length ? `${shown.length - RENDER_LIMIT} more: filter to narrow` : shown.length === 0 ? 'none' : '';
    // Set last, so a reader that waits for this seq sees the rows of this seq.
    this.#table.dataset.seq = String(this.#value.seq);
  }

  #link(key: string, text: string): HTMLElement {
    return h('button', { type: 'button', class: 'link', title: `history of ${key}`, onClick: () => this.#on.object(key) }, text);
  }
}
