/** A tiny element builder. Text always goes in as text nodes: log content never becomes markup. */
export type Child = Node | string | number | null | undefined | false | readonly Child[];
export type Props = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (name === 'class') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

export function fill(element: Element, ...children: Child[]): void {
  element.replaceChildren();
  append(element, children);
}

function append(element: Element, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : String(child));
  }
}

/** `Kind/ns/name` of an event's object, as the CLI prints it (`?` for what the fold refused). */
export function objectOf(object: { kind?: string; metadata?: { namespace?: string; name?: string } } | undefined): string {
  return `${object?.kind ?? '?'}/${object?.metadata?.namespace || 'default'}/${object?.metadata?.name ?? '?'}`;
}

/** `13:15:12.009` with the date in the title: events of one session share a day. */
export function timeOf(iso: string): HTMLElement {
  return h('time', { datetime: iso, title: iso }, iso.slice(11, 23));
}
