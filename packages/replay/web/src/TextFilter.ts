import { h } from './dom.js';

/** Rows drawn per table: a big state is filtered, not drawn whole. */
export const RENDER_LIMIT = 1000;

/** A case-insensitive substring filter box. */
export class TextFilter {
  readonly element: HTMLInputElement;

  constructor(placeholder: string, changed: () => void) {
    this.element = h('input', { type: 'search', class: 'filter', placeholder, 'aria-label': placeholder, onInput: changed });
  }

  matches(text: string): boolean {
    const wanted = this.element.value.trim().toLowerCase();
    return wanted === '' || text.toLowerCase().includes(wanted);
  }
}
