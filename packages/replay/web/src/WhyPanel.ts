import { api, type WhyAnswer } from './api.js';
import { h, fill } from './dom.js';

/** An answer slower than this is not asked again on every move of the slider, only on request. */
const FOLLOW_LIMIT_MS = 1000;

/**
 * Whether a ServiceEntry selects a WorkloadEntry at the selected seq, and why (not). The server
 * replays the log up to the seq for this (seconds on a long log), so at most one question is in
 * flight, and a slow answer is marked stale when the seq moves instead of being asked again.
 */
export class WhyPanel {
  readonly element: HTMLElement;
  readonly #se: HTMLInputElement;
  readonly #we: HTMLInputElement;
  readonly #result: HTMLElement;
  readonly #known: HTMLDataListElement;
  readonly #failed: (err: unknown) => void;
  #seq = 0;
  #busy = false;
  #again = false;
  #lastMs = 0;

  constructor(failed: (err: unknown) => void) {
    this.#failed = failed;
    this.#known = h('datalist', { id: 'known-objects' });
    this.#se = h('input', { type: 'text', placeholder: 'ns/name', list: 'known-objects', 'data-testid': 'why-se', 'aria-label': 'ServiceEntry' });
    this.#we = h('input', { type: 'text', placeholder: 'ns/name', list: 'known-objects', 'data-testid': 'why-we', 'aria-label': 'WorkloadEntry' });
    this.#result = h('div', { class: 'why-result', 'data-testid': 'why-result' }, h('p', { class: 'muted' }, 'pick a pair, or "why" on an association'));
    const form = h('form', { class: 'why-form', onSubmit: (e) => { e.preventDefault(); void this.#ask(); } },
      h('label', {}, 'ServiceEntry ', this.#se),
      h('label', {}, 'WorkloadEntry ', this.#we),
      h('button', { type: 'submit', 'data-testid': 'why-ask' }, 'why?'),
      this.#known);
    this.element = h('section', { class: 'panel why' }, h('h2', {}, 'Why'), form, this.#result);
  }

  /** Offers these `ns/name`s in the inputs. */
  know(names: Iterable<string>): void {
    const have = new Set([...this.#known.options].map((o) => o.value));
    for (const name of names) if (!have.has(name)) this.#known.append(h('option', { value: name }));
  }

  ask(serviceEntry: string, workloadEntry: string): void {
    this.#se.value = serviceEntry;
    this.#we.value = workloadEntry;
    void this.#ask();
  }

  /** The selected seq moved: a shown answer is asked again there, or marked stale if that is slow. */
  at(seq: number): void {
    this.#seq = seq;
    const shown = this.#result.dataset.seq;
    if (shown === undefined) return;
    if (this.#lastMs < FOLLOW_LIMIT_MS) void this.#ask();
    else this.#result.classList.toggle('stale', Number(shown) !== seq);
  }

  async #ask(): Promise<void> {
    if (this.#busy) {
      this.#again = true;
      return;
    }
    this.#busy = true;
    const started = performance.now();
    try {
      this.#show(await api.why(this.#se.value.trim(), this.#we.value.trim(), this.#seq));
      this.#lastMs = performance.now() - started;
    } catch (err) {
      this.#failed(err);
    } finally {
      this.#busy = false;
      if (this.#again) {
        this.#again = false;
        void this.#ask();
      }
    }
  }

  #show(a: WhyAnswer): void {
    const verdict = a.associated
      ? `ServiceEntry ${a.serviceEntry} selects WorkloadEntry ${a.workloadEntry} at seq ${a.seq}`
      : `ServiceEntry ${a.serviceEntry} does not select WorkloadEntry ${a.workloadEntry} at seq ${a.seq}`;
    const since = a.since && h('p', { class: 'muted' },
      `${a.associated ? 'since' : 'associated until'} seq ${a.since.seq}: ${a.since.event} (${a.since.time})`);
    fill(this.#result,
      h('p', { class: `verdict ${a.associated ? 'added' : 'removed'}` }, a.associated ? '✔ ' : '✘ ', verdict),
      since,
      a.reasons.length > 0 ? h('ul', { class: 'reasons' }, a.reasons.map((r) => h('li', {}, r.message, ' ', h('code', {}, r.code)))) : null,
      a.rejected ? h('p', { class: 'removed' }, `seq ${a.rejected.seq}: ${a.rejected.object} was rejected: ${a.rejected.message}`) : null);
    this.#result.dataset.seq = String(a.seq);
    this.#result.classList.toggle('stale', a.seq !== this.#seq);
    this.#result.dataset.associated = String(a.associated);
  }
}
