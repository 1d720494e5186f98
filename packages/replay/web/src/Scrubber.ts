import { h } from './dom.js';

/** While the slider is dragged, a position is reported once the hand rests this long. */
const SETTLE_MS = 120;

/**
 * The slider over 0..lastSeq (0 = the empty state), with exact entry and single steps. Only the
 * position is kept here: the page asks for a state only when the position settles.
 */
export class Scrubber {
  readonly element: HTMLElement;
  readonly #range: HTMLInputElement;
  readonly #number: HTMLInputElement;
  readonly #time: HTMLElement;
  readonly #onSelect: (seq: number) => void;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(onSelect: (seq: number) => void) {
    this.#onSelect = onSelect;
    this.#range = h('input', {
      type: 'range', min: 0, max: 0, step: 1, value: 0, 'data-testid': 'scrubber', 'aria-label': 'seq',
      onInput: () => this.#moved(Number(this.#range.value), false),
      onChange: () => this.#moved(Number(this.#range.value), true),
    });
    this.#number = h('input', {
      type: 'number', min: 0, max: 0, step: 1, value: 0, 'data-testid': 'seq-input', 'aria-label': 'seq number',
      onChange: () => this.#moved(this.#clamp(Number(this.#number.value)), true),
    });
    this.#time = h('span', { class: 'scrub-time', 'data-testid': 'seq-time' });
    const step = (label: string, title: string, testid: string, to: () => number) =>
      h('button', { type: 'button', title, 'data-testid': testid, onClick: () => this.#moved(this.#clamp(to()), true) }, label);
    this.element = h('div', { class: 'scrubber' },
      step('|◀', 'the empty state (seq 0)', 'first', () => 0),
      step('◀', 'previous event', 'prev', () => this.value - 1),
      this.#range,
      step('▶', 'next event', 'next', () => this.value + 1),
      step('▶|', 'the latest event', 'last', () => this.max),
      h('label', { class: 'seq-label' }, 'seq ', this.#number),
      this.#time);
  }

  get value(): number {
    return Number(this.#range.value);
  }

  /** Moves the hand without reporting it (the page moved it). */
  set value(seq: number) {
    this.#range.value = String(seq);
    this.#number.value = String(seq);
  }

  get max(): number {
    return Number(this.#range.max);
  }

  set max(lastSeq: number) {
    this.#range.max = String(lastSeq);
    this.#number.max = String(lastSeq);
  }

  /** What the selected seq is: its time and event, or the empty state. */
  describe(text: string, title = ''): void {
    this.#time.textContent = text;
    this.#time.title = title;
  }

  #moved(seq: number, settled: boolean): void {
    this.value = seq;
    clearTimeout(this.#timer);
    if (settled) this.#onSelect(seq);
    else this.#timer = setTimeout(() => this.#onSelect(seq), SETTLE_MS);
  }

  #clamp(seq: number): number {
    return Number.isFinite(seq) ? Math.min(this.max, Math.max(0, Math.round(seq))) : this.value;
  }
}
