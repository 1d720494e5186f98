import type { CheckReport } from './api.js';
import { h, fill } from './dom.js';

/** The differences between the `serve --dump` file and the truth at the selected seq, each linked to its event. */
export class DriftList {
  readonly element: HTMLElement;
  readonly #select: (seq: number) => void;
  readonly #object: (key: string) => void;

  constructor(select: (seq: number) => void, object: (key: string) => void) {
    this.#select = select;
    this.#object = object;
    this.element = h('div', { class: 'drift', 'data-testid': 'drift', hidden: true });
  }

  show(report: CheckReport | undefined): void {
    this.element.hidden = report === undefined;
    if (!report) return;
    this.element.dataset.seq = String(report.point.seq);
    const items = report.clusters.flatMap(({ differences }) => differences);
    const s = report.summary;
    const head = h('p', { class: 'drift-summary' },
      h('strong', {}, `dump ${report.dump}`), ` at seq ${report.point.seq}: `,
      items.length === 0 ? 'matches the truth' : `${Object.values(s.differences).reduce((a, n) => a + (n ?? 0), 0)} difference(s)${s.inFlight ? `, ${s.inFlight} in flight` : ''}`,
      h('span', { class: 'muted' }, ` · ${s.clusters} clusters, ${s.endpoints} endpoints compared`));
    fill(this.element, head, items.length === 0 ? null : h('ul', {}, items.map((d) => {
      const endpoint = d.address === undefined ? '' : d.port === 0 ? `unix://${d.address}` : `${d.address}:${d.port}`;
      return h('li', {
        class: `drift-item drift-${d.kind}${d.inFlight ? ' in-flight' : ''}`, 'data-testid': 'drift-item', 'data-kind': d.kind,
        'data-cluster': d.cluster, 'data-address': endpoint, ...(d.inFlight && { 'data-in-flight': 'true' }),
      },
      h('span', { class: 'badge' }, d.inFlight ? `${d.kind} (in flight)` : d.kind), ' ',
      h('span', { class: 'mono' }, endpoint || d.cluster), ' ',
      d.bug ? h('span', { class: 'badge bug' }, d.bug) : null, ' ',
      d.cause ? h('button', { type: 'button', class: 'link', 'data-testid': 'drift-cause', title: d.cause.event, onClick: () => this.#select(d.cause!.seq) }, `seq ${d.cause.seq}`) : null, ' ',
      d.workload ? h('button', { type: 'button', class: 'link', title: `history of ${d.workload}`, onClick: () => this.#object(d.workload!) }, d.workload) : null,
      h('div', { class: 'why', 'data-testid': 'drift-why' }, d.message));
    })));
  }

  /** `address:port` → the kind of difference, for rows of the truth the proxy has wrong or lacks. */
  static marks(report: CheckReport | undefined): Map<string, string> {
    const marks = new Map<string, string>();
    for (const { differences } of report?.clusters ?? []) {
      for (const d of differences) if (d.truth) marks.set(`${d.cluster} ${d.truth.address}:${d.truth.port}`, d.kind);
    }
    return marks;
  }
}
