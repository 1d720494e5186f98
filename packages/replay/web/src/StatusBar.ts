import { ApiError } from './api.js';
import { h } from './dom.js';

/** The last error, with its code, until the next success. */
export class StatusBar {
  readonly element: HTMLElement = h('div', { class: 'status', role: 'status', 'data-testid': 'status', hidden: true });

  error(err: unknown): void {
    if (err instanceof DOMException && err.name === 'AbortError') return;
    this.element.textContent = err instanceof ApiError ? `${err.code}: ${err.message}` : String(err);
    this.element.hidden = false;
  }

  clear(): void {
    this.element.hidden = true;
    this.element.textContent = '';
  }
}
