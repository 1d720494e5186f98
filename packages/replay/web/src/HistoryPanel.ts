import { deltaText } from '@meshfold/core';
import { api, type HistoryEntry } from './api.js';
import { h, fill, timeOf } from './dom.js';

type Delta = HistoryEntry['deltas'][number];

/** Every event that touched one object and what each changed; the current point marked. */
export class HistoryPanel {
  readonly element: HTMLElement;
  readonly #body: HTMLElement;
  readonly #title: HTMLElement;
  readonly #onSelect: (seq: number) => void;
  readonly #failed: (err: unknown) => void;
  #abort: AbortController | undefined;
  #seq = 0;

  constructor(onSelect: (seq: number) => void, failed: (err: unknown) => void) {
    this.#onSelect = onSelect;
    this.#failed = failed;
    this.#title = h('span', { class: 'muted' }, 'click an object');
    this.#body = h('tbody');
    this.element = h('section', { class: 'panel history' },
      h('h2', {}, 'History ', this.#title),
      h('div', { class: 'scroll' }, h('table', { 'data-testid': 'history' }, this.#body)));
  }

  async show(key: string): Promise<void> {
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    this.#title.textContent = `${key} (loading…)`;
    try {
      const { object, entries } = await api.history(key, abort.signal);
      if (abort.signal.aborted) return;
      this.#title.textContent = `${object}: ${entries.length} event${entries.length === 1 ? '' : 's'}`;
      this.#body.dataset.object = object;
      fill(this.#body, entries.length > 0 ? entries.map((e) => this.#row(e, object)) : h('tr', {}, h('td', { class: 'muted' }, 'no event touched it')));
      this.mark(this.#seq);
    } catch (err) {
      if (abort.signal.aborted) return;
      this.#title.textContent = key;
      this.#failed(err);
    }
  }

  /** Marks the last entry at or before `seq`: the one that explains the object there. */
  mark(seq: number): void {
    this.#seq = seq;
    const rows = [...this.#body.querySelectorAll<HTMLElement>('tr[data-seq]')];
    const current = rows.filter((r) => Number(r.dataset.seq) <= seq).at(-1);
    for (const r of rows) r.classList.toggle('selected', r === current);
  }

  /** `object` is the one asked about: only another object's event names its object. */
  #row(e: HistoryEntry, object: string): HTMLTableRowElement {
    const changes = e.error ? [h('li', { class: 'removed' }, `rejected: ${e.error.code}: ${e.error.message}`)]
      : e.deltas.length > 0 || e.note ? [...(e.note ? [h('li', { class: 'muted' }, e.note)] : []), ...e.deltas.map(describe)]
      : [h('li', { class: 'muted' }, 'no change')];
    return h('tr', { 'data-testid': 'history-entry', 'data-seq': e.seq },
      h('td', {}, h('button', { type: 'button', class: 'link num', title: 'go to this seq', onClick: () => this.#onSelect(e.seq) }, e.seq)),
      h('td', {}, timeOf(e.time)),
      h('td', {}, h('span', { class: `badge ${e.type.toLowerCase()}` }, e.type), e.object === object ? '' : h('div', { class: 'muted' }, e.object)),
      h('td', {}, h('ul', { class: 'changes compact' }, changes)));
  }
}

/** The CLI's text for the delta (`meshfold history`), marked as an addition or a removal. */
function describe(d: Delta): HTMLLIElement {
  const change = d.type === 'association-added' ? 'added' : d.type === 'association-removed' ? 'removed' : undefined;
  return h('li', change ? { class: change } : {}, deltaText(d, '→'));
}
