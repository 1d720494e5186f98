import { api, type LoggedEvent } from './api.js';
import { h, fill, objectOf, timeOf } from './dom.js';

/** Rows fetched at a time: the timeline shows a window of the log, never the whole of it. */
const PAGE = 60;
/** The selected event sits this many rows below the top of a freshly loaded window. */
const LEAD = 20;

export interface TimelineActions {
  select(seq: number): void;
  object(key: string): void;
  failed(err: unknown): void;
}

/** The events around the selected seq, paged through `/api/events`. */
export class Timeline {
  readonly element: HTMLElement;
  readonly #body: HTMLTableSectionElement;
  readonly #range: HTMLElement;
  readonly #earlier: HTMLButtonElement;
  readonly #later: HTMLButtonElement;
  readonly #on: TimelineActions;
  #events: LoggedEvent[] = [];
  #from = 1;
  #selected = 0;
  #lastSeq = 0;
  #loaded = false;
  #abort: AbortController | undefined;

  constructor(on: TimelineActions) {
    this.#on = on;
    this.#body = h('tbody');
    this.#range = h('span', { class: 'muted' });
    this.#earlier = h('button', { type: 'button', 'data-testid': 'timeline-earlier', onClick: () => void this.#load(Math.max(1, this.#from - PAGE)) }, '◀ earlier');
    this.#later = h('button', { type: 'button', 'data-testid': 'timeline-later', onClick: () => void this.#load(this.#to + 1) }, 'later ▶');
    this.element = h('section', { class: 'panel timeline' },
      h('h2', {}, 'Timeline ', this.#range),
      h('div', { class: 'scroll' },
        h('table', { 'data-testid': 'timeline' },
          h('thead', {}, h('tr', {}, h('th', {}, 'seq'), h('th', {}, 'time'), h('th', {}, 'type'), h('th', {}, 'object'))),
          this.#body)),
      h('nav', { class: 'pager' }, this.#earlier, this.#later));
  }

  set lastSeq(seq: number) {
    this.#lastSeq = seq;
    this.#controls();
  }

  /** Highlights `seq`, loading the window around it when it is not on screen. */
  async showAround(seq: number): Promise<void> {
    this.#selected = seq;
    if (this.#loaded && seq >= this.#from - (this.#from === 1 ? 1 : 0) && seq <= this.#to) this.#highlight();
    else await this.#load(Math.max(1, seq - LEAD));
  }

  /** A live event: shown when the window reaches the end of the log. */
  appended(event: LoggedEvent): void {
    this.lastSeq = Math.max(this.#lastSeq, event.seq);
    if (!this.#loaded || event.seq !== this.#to + 1 || this.#events.length >= 2 * PAGE) return;
    this.#events.push(event);
    this.#body.append(this.#row(event));
    this.#controls();
  }

  get #to(): number {
    return this.#from + this.#events.length - 1;
  }

  async #load(from: number): Promise<void> {
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    try {
      // A log being recorded may have no event yet, and seq 1 is then past its end.
      const page = this.#lastSeq === 0 ? { from: 1, events: [] } : await api.events(from, PAGE, abort.signal);
      if (abort.signal.aborted) return;
      this.#from = page.from;
      this.#events = page.events;
      this.#loaded = true;
      this.#render();
    } catch (err) {
      if (!abort.signal.aborted) this.#on.failed(err);
    }
  }

  #render(): void {
    const empty = this.#from === 1
      ? h('tr', { 'data-testid': 'event', 'data-seq': 0, class: 'origin', onClick: () => this.#on.select(0) },
        h('td', {}, '0'), h('td', { colspan: 3, class: 'muted' }, 'the empty state, before any event'))
      : null;
    fill(this.#body, empty, this.#events.map((e) => this.#row(e)));
    this.#highlight();
    this.#controls();
  }

  #row(e: LoggedEvent): HTMLTableRowElement {
    const key = objectOf(e.object);
    return h('tr', { 'data-testid': 'event', 'data-seq': e.seq, onClick: () => this.#on.select(e.seq) },
      h('td', { class: 'num' }, e.seq),
      h('td', {}, timeOf(e.time)),
      h('td', {}, h('span', { class: `badge ${e.type.toLowerCase()}` }, e.type),
        e.origin ? h('div', { class: 'muted', title: `recorded by the relist that began at seq ${e.origin.sync}` }, 'relist') : ''),
      h('td', {}, h('button', {
        type: 'button', class: 'link', title: `history of ${key}`,
        onClick: (ev) => { ev.stopPropagation(); this.#on.object(key); },
      }, key.replace(/^(ServiceEntry|WorkloadEntry)\//, (_, kind: string) => `${kind === 'ServiceEntry' ? 'SE' : 'WE'} `))));
  }

  #highlight(): void {
    for (const row of this.#body.rows) {
      const selected = Number(row.dataset.seq) === this.#selected;
      row.classList.toggle('selected', selected);
      if (selected) row.scrollIntoView({ block: 'nearest' });
    }
  }

  #controls(): void {
    this.#earlier.disabled = this.#from <= 1;
    this.#later.disabled = this.#to >= this.#lastSeq;
    this.#range.textContent = this.#loaded ? `seq ${this.#from}–${this.#to} of ${this.#lastSeq.toLocaleString('en')}` : '';
  }
}
