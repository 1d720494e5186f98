import { api, type CheckReport, type LoggedEvent, type Summary } from './api.js';
import { AssociationsPanel } from './AssociationsPanel.js';
import { DiffPanel, type DiffBase } from './DiffPanel.js';
import { h, fill, objectOf } from './dom.js';
import { EndpointsPanel } from './EndpointsPanel.js';
import { HistoryPanel } from './HistoryPanel.js';
import { Scrubber } from './Scrubber.js';
import { StatusBar } from './StatusBar.js';
import { Timeline } from './Timeline.js';
import { WhyPanel } from './WhyPanel.js';

/** Live events arriving in a burst move a pinned page to the end at most this often. */
const LIVE_REFRESH_MS = 250;

/**
 * The page: one selected seq, and every panel showing the log at it. The selection lives in the
 * URL (`#seq=8`) so a point can be shared.
 */
export class Inspector {
  readonly #root: HTMLElement;
  readonly #status = new StatusBar();
  readonly #scrubber: Scrubber;
  readonly #timeline: Timeline;
  readonly #diff: DiffPanel;
  readonly #associations: AssociationsPanel;
  readonly #endpoints: EndpointsPanel;
  readonly #history: HistoryPanel;
  readonly #why: WhyPanel;
  readonly #lastSeqText = h('span', { 'data-testid': 'last-seq' });
  readonly #live = h('span', { class: 'live', 'data-testid': 'live', hidden: true });
  #summary: Summary;
  #seq = -1;
  #previous = 0;
  #base: DiffBase = 'event';
  #abort: AbortController | undefined;
  #liveTimer: ReturnType<typeof setTimeout> | undefined;
  /** Whether the server has a dump to check (`serve --dump`). */
  #checking = false;

  static async start(root: HTMLElement): Promise<Inspector> {
    const [summary, { dump }] = await Promise.all([api.summary(), api.dump()]);
    const inspector = new Inspector(root, summary);
    inspector.#checking = dump !== null;
    const wanted = Number(/^#seq=(\d+)$/.exec(location.hash)?.[1] ?? inspector.#summary.lastSeq);
    await inspector.select(Math.min(wanted, inspector.#summary.lastSeq));
    if (inspector.#summary.follow) inspector.#follow();
    return inspector;
  }

  private constructor(root: HTMLElement, summary: Summary) {
    this.#root = root;
    this.#summary = summary;
    const failed = (err: unknown) => this.#status.error(err);
    const select = (seq: number) => void this.select(seq);
    const object = (key: string) => void this.#history.show(key);
    this.#scrubber = new Scrubber(select);
    this.#timeline = new Timeline({ select, object, failed });
    this.#diff = new DiffPanel((base) => { this.#base = base; void this.#refresh(); });
    this.#associations = new AssociationsPanel({ object, why: (se, we) => this.#why.ask(se, we) });
    this.#endpoints = new EndpointsPanel(object, select);
    this.#history = new HistoryPanel(select, failed);
    this.#why = new WhyPanel(failed);
    this.#setLastSeq(summary.lastSeq);
    fill(root,
      h('header', {},
        h('h1', {}, 'meshfold ', h('span', { class: 'muted' }, 'inspector')),
        h('span', { class: 'muted' }, 'events 1–', this.#lastSeqText, summary.firstTime ? ` · ${summary.firstTime} … ${summary.lastTime ?? ''}` : ''),
        this.#live),
      h('div', { class: 'scrub-bar' }, this.#scrubber.element),
      this.#status.element,
      h('div', { class: 'grid' },
        this.#timeline.element, this.#diff.element, this.#associations.element,
        this.#endpoints.element, this.#history.element, this.#why.element));
  }

  /** Shows the state after `seq` (0 = empty) in every panel. */
  async select(seq: number): Promise<void> {
    this.#previous = this.#seq < 0 ? seq : this.#seq;
    this.#seq = seq;
    this.#scrubber.value = seq;
    history.replaceState(null, '', `#seq=${seq}`);
    void this.#timeline.showAround(seq);
    this.#history.mark(seq);
    this.#why.at(seq);
    await Promise.all([this.#refresh(), this.#describe(seq)]);
  }

  async #refresh(): Promise<void> {
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    const seq = this.#seq;
    const base = this.#base === 'event' ? Math.max(0, seq - 1) : this.#previous;
    this.#root.setAttribute('aria-busy', 'true');
    try {
      // The diff first: the server loads its base, then builds the other two on top of it.
      const [diff, associations, endpoints, check] = await Promise.all([
        api.diff(base, seq, abort.signal), api.associations(seq, abort.signal), api.endpoints(seq, abort.signal), this.#check(seq, abort.signal),
      ]);
      if (abort.signal.aborted) return;
      this.#diff.show(diff);
      this.#associations.show(associations, diff);
      this.#endpoints.show(endpoints, diff, check);
      this.#why.know(associations.associations.flatMap((a) => [a.serviceEntry, a.workloadEntry]));
      this.#status.clear();
    } catch (err) {
      if (!abort.signal.aborted) this.#status.error(err);
    } finally {
      if (this.#abort === abort) this.#root.setAttribute('aria-busy', 'false');
    }
  }

  /** The dump's drift at `seq`, or undefined when the server has no dump. */
  async #check(seq: number, signal: AbortSignal): Promise<CheckReport | undefined> {
    return this.#checking ? api.check(seq, signal) : undefined;
  }

  /** The selected event's time and object next to the slider. */
  async #describe(seq: number): Promise<void> {
    if (seq === 0) {
      this.#scrubber.describe('the empty state');
      return;
    }
    try {
      const [event] = (await api.events(seq, 1)).events;
      if (event && this.#seq === seq) this.#scrubber.describe(`${event.type} ${objectOf(event.object)}`, event.time);
    } catch (err) {
      this.#status.error(err);
    }
  }

  /** Live: new events extend the slider; a page showing the latest point keeps showing it. */
  #follow(): void {
    this.#live.hidden = false;
    this.#live.textContent = 'connecting…';
    const source = new EventSource('/api/stream');
    source.addEventListener('open', () => { this.#live.textContent = '● live'; this.#live.className = 'live on'; });
    source.addEventListener('error', () => { this.#live.textContent = 'reconnecting…'; this.#live.className = 'live'; });
    source.addEventListener('event', (message) => this.#appended(JSON.parse((message as MessageEvent<string>).data) as LoggedEvent));
  }

  #appended(event: LoggedEvent): void {
    const pinned = this.#seq === this.#summary.lastSeq;
    this.#setLastSeq(Math.max(this.#summary.lastSeq, event.seq));
    this.#timeline.appended(event);
    if (pinned && this.#liveTimer === undefined) {
      this.#liveTimer = setTimeout(() => {
        this.#liveTimer = undefined;
        void this.select(this.#summary.lastSeq);
      }, LIVE_REFRESH_MS);
    }
  }

  #setLastSeq(lastSeq: number): void {
    this.#summary = { ...this.#summary, lastSeq };
    this.#scrubber.max = lastSeq;
    this.#timeline.lastSeq = lastSeq;
    this.#lastSeqText.textContent = String(lastSeq);
  }
}
