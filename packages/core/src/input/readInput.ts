import { isAscii } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import {
  ISTIO_GROUP, ISTIO_VERSIONS, type EventType, type KubeObject, type WatchEvent,
} from '../objects.js';
import { DEFAULT_MAX_DOCUMENT_CHARS, JsonDocumentSplitter } from './jsonDocuments.js';
import { YamlDocumentSplitter } from './yamlDocuments.js';

/**
 * One thing `readInput` read from an input: an event to append, a part rejected (`error`), or an
 * object of another kind skipped (`skipped`). Exactly one of the three is set, so checking it
 * narrows the item.
 *
 * @example
 * for await (const item of readInput(stream, { source: '-' })) {
 *   if (item.event) projector.apply(item.event);
 *   else if (item.error) console.error(item.error.message);
 * }
 */
export type InputItem = InputEvent | InputRejected | InputSkipped;

/** An event read from an input. */
export interface InputEvent extends InputPosition {
  event: WatchEvent;
  /**
   * With `keepText`: the JSON text of the watch event document (`{"type": …, "object": …}`) the
   * event was parsed from, when the event is that whole document; it parses to the same type and
   * object, so a writer can hand the text on instead of serialising the event again.
   */
  text?: string;
  error?: undefined;
  skipped?: undefined;
  watchStatus?: undefined;
}

/** A part of an input that was rejected: it is not an event of a kind meshfold records. */
export interface InputRejected extends InputPosition {
  event?: undefined;
  text?: undefined;
  error: InputError;
  skipped?: undefined;
  /**
   * Set on a watch `ERROR` event: the Kubernetes `Status` it reported, so that `meshfold watch`
   * can tell an expired watch (410 Gone) from a failure.
   */
  watchStatus?: { code?: number; reason?: string; message?: string };
}

/**
 * An object of another kind (a Service, a ConfigMap in the same file): not meshfold's to record,
 * so skipped — reported and counted apart from what is rejected.
 */
export interface InputSkipped extends InputPosition {
  event?: undefined;
  text?: undefined;
  error?: undefined;
  skipped: InputError;
  watchStatus?: undefined;
}

/** Where an item was read. */
export interface InputPosition {
  /** The input's name as given in the options (a file path, `-` for stdin). */
  source: string;
  /**
   * 0-based position of the document within the source: a JSON value (an element of a
   * top-level JSON array, or a stretch of garbage between values) or a non-empty YAML document.
   */
  index: number;
  /** 0-based position within the `items` of a `List` document. */
  item?: number;
  /** 1-based line where the document starts (always set by `readInput`). */
  line?: number;
  /**
   * About how many characters of input the event was read from (a List's share of its
   * document): what holding it costs, so a recorder can bound its batches by size too.
   */
  chars?: number;
}

/** Why a document (or a list item) of an input was rejected or skipped. */
export interface InputError {
  code: 'INPUT_MALFORMED' | 'INPUT_UNSUPPORTED_KIND';
  /** Names the source, the document index (and list item), its line and the reason. */
  message: string;
}

/** Options of `readInput`. */
export interface ReadInputOptions {
  /** Name of the input, used in items and messages. */
  source: string;
  /** Record plain objects (not watch events, which carry their own type) as deletions. */
  delete?: boolean;
  /**
   * Longest document kept in memory, in characters (default 256 Mi). A longer one is reported
   * and skipped.
   */
  maxDocumentChars?: number;
  /** Give each JSON watch event its document's text (`InputEvent.text`). Default false. */
  keepText?: boolean;
}

/** A document cut out of the input by a splitter: its parsed value or why it does not parse. */
export interface RawDocument {
  /** 1-based line where the document starts. */
  line: number;
  value?: unknown;
  error?: string;
  /** Characters of text the value was parsed from (set with `value`). */
  chars?: number;
  /** The JSON text an object value was parsed from (JSON input only). */
  text?: string;
}

interface DocumentSplitter {
  push(text: string): RawDocument[];
  end(): RawDocument[];
}

/**
 * Reads what `meshfold record` accepts, chunk by chunk, keeping one document in memory at a time:
 * - JSON (the input's first non-blank character is `{` or `[`): a kubectl watch stream
 *   (`kubectl get -w -o json --output-watch-events`, pretty-printed or NDJSON), single objects,
 *   `List`s, or a top-level array of those;
 * - otherwise multi-document YAML.
 *
 * Watch events keep their type (`BOOKMARK` is dropped, `ERROR` reported); objects of other kinds
 * are yielded as skipped (not rejected); plain objects become
 * `ADDED`, or `DELETED` with `delete`; a `List` gives one event per item. Only ServiceEntry and
 * WorkloadEntry of networking.istio.io v1alpha3, v1beta1 and v1 are accepted; their specs are not
 * validated here. Whatever is rejected is yielded as an item with an error, and reading goes on.
 */
export async function* readInput(
  stream: AsyncIterable<Buffer | string>,
  opts: ReadInputOptions,
): AsyncIterable<InputItem> {
  for await (const items of readInputBatches(stream, opts)) yield* items;
}

/**
 * {@link readInput}, yielding the items of each chunk of the stream together (never an empty
 * array): a consumer that handles many small events then pays for one asynchronous step per
 * chunk instead of one per event.
 */
export async function* readInputBatches(
  stream: AsyncIterable<Buffer | string>,
  opts: ReadInputOptions,
): AsyncIterable<InputItem[]> {
  const decoder = new StringDecoder('utf8');
  const maxDocumentChars = opts.maxDocumentChars ?? DEFAULT_MAX_DOCUMENT_CHARS;
  let splitter: DocumentSplitter | undefined;
  let started = false;
  // Blank text before the first character that decides the format.
  let leadingNewlines = 0;
  let leadingTail = '';
  let index = 0;

  const interpretAll = (docs: RawDocument[]): InputItem[] =>
    docs.flatMap((doc) => interpret(doc, index++, opts));

  const feed = (chunk: string): InputItem[] => {
    let text = chunk;
    if (!started && text.length > 0) {
      started = true;
      if (text.charCodeAt(0) === BOM) text = text.slice(1);
    }
    if (splitter === undefined) {
      const first = text.search(/[^ \t\r\n]/);
      if (first < 0) {
        const lastNewline = text.lastIndexOf('\n');
        if (lastNewline >= 0) {
          leadingNewlines += countNewlines(text);
          leadingTail = text.slice(lastNewline + 1);
        } else {
          leadingTail = (leadingTail + text).slice(-MAX_LEADING_TAIL);
        }
        return [];
      }
      const startLine = 1 + leadingNewlines;
      splitter = text[first] === '{' || text[first] === '['
        ? new JsonDocumentSplitter(startLine, maxDocumentChars)
        : new YamlDocumentSplitter(startLine, maxDocumentChars);
      text = leadingTail + text;
      leadingTail = '';
    }
    return interpretAll(splitter.push(text));
  };

  // While every chunk of bytes has been ASCII, no character can be split between two, so an ASCII
  // chunk is decoded as Latin-1: the same string, several times faster than UTF-8 decoding (about
  // a thousand events per chunk). After the first other chunk the UTF-8 decoder takes every one.
  let asciiSoFar = true;
  const decode = (bytes: Buffer): string => {
    if (asciiSoFar && isAscii(bytes)) return bytes.toString('latin1');
    asciiSoFar = false;
    return decoder.write(bytes);
  };

  for await (const chunk of stream) {
    // A string after bytes: first flush any incomplete character left by the bytes.
    const text = typeof chunk === 'string' ? decoder.end() + chunk : decode(chunk);
    const items = text.length > 0 ? feed(text) : [];
    if (items.length > 0) yield items;
  }
  const last = decoder.end();
  const lastItems = last.length > 0 ? feed(last) : [];
  if (lastItems.length > 0) yield lastItems;
  const rest = splitter !== undefined ? interpretAll(splitter.end()) : [];
  if (rest.length > 0) yield rest;
}

const BOM = 0xfeff;
const MAX_LEADING_TAIL = 1024;
const ACCEPTED_KINDS: readonly string[] = ['ServiceEntry', 'WorkloadEntry'];
const ACCEPTED_API_VERSIONS: readonly string[] = ISTIO_VERSIONS.map((v) => `${ISTIO_GROUP}/${v}`);
const ACCEPTED = `only ServiceEntry and WorkloadEntry of ${ISTIO_GROUP} ${ISTIO_VERSIONS.join(', ')} are recorded`;
const EVENT_TYPES: readonly string[] = ['ADDED', 'MODIFIED', 'DELETED'];
const KUBECTL_EVENT_TYPES: readonly string[] = [...EVENT_TYPES, 'BOOKMARK', 'ERROR'];

interface Position {
  source: string;
  index: number;
  line: number;
  item?: number;
  chars?: number;
}

function interpret(doc: RawDocument, index: number, opts: ReadInputOptions): InputItem[] {
  const at: Position = { source: opts.source, index, line: doc.line, ...(doc.chars !== undefined && { chars: doc.chars }) };
  if (doc.error !== undefined) return [malformed(at, doc.error)];
  const value = doc.value;
  if (!isRecord(value)) return [unsupported(at, `${describe(value)} is not a Kubernetes object`)];
  if (isWatchEvent(value)) {
    const items = fromWatchEvent(value, at);
    const item = items[0];
    if (opts.keepText && doc.text !== undefined && item?.event) item.text = doc.text;
    return items;
  }
  if (value.kind === 'List' || (typeof value.kind === 'string' && value.kind.endsWith('List') && 'items' in value)) {
    return fromList(value, at, opts);
  }
  return [fromObject(value, at, opts.delete ? 'DELETED' : 'ADDED')];
}

/** `{type, object}` as kubectl prints watch events; a Kubernetes object always has a `kind`. */
function isWatchEvent(value: Record<string, unknown>): boolean {
  return !('kind' in value) && ('object' in value || KUBECTL_EVENT_TYPES.includes(value.type as string));
}

function fromWatchEvent(value: Record<string, unknown>, at: Position): InputItem[] {
  const { type, object } = value;
  if (type === 'BOOKMARK') return [];
  if (type === 'ERROR') {
    const status = isRecord(object) ? object : {};
    const parts = [status.reason, status.message].filter((p) => typeof p === 'string' && p !== '');
    const code = typeof status.code === 'number' ? ` (code ${status.code})` : '';
    const watchStatus = {
      ...(typeof status.code === 'number' && { code: status.code }),
      ...(typeof status.reason === 'string' && { reason: status.reason }),
      ...(typeof status.message === 'string' && { message: status.message }),
    };
    return [{ ...malformed(at, `the watch reported an error: ${parts.join(': ') || 'no message'}${code}`), watchStatus }];
  }
  if (typeof type !== 'string' || !EVENT_TYPES.includes(type)) {
    return [malformed(at, `watch event type ${JSON.stringify(type)} is not ADDED, MODIFIED, DELETED, BOOKMARK or ERROR`)];
  }
  if (!isRecord(object)) return [malformed(at, `${type} watch event has no object`)];
  return [fromObject(object, at, type as EventType)];
}

function fromList(list: Record<string, unknown>, at: Position, opts: ReadInputOptions): InputItem[] {
  const { items, kind, apiVersion } = list;
  if (!Array.isArray(items)) return [malformed(at, `${String(kind)} has no "items" array`)];
  // The API server leaves kind and apiVersion out of the items of a typed list (ServiceEntryList).
  const itemKind = kind === 'List' ? undefined : (kind as string).slice(0, -'List'.length);
  const type = opts.delete ? 'DELETED' : 'ADDED';
  const share = at.chars === undefined ? {} : { chars: Math.ceil(at.chars / Math.max(1, items.length)) };
  return items.map((item: unknown, i) => {
    const itemAt = { ...at, item: i, ...share };
    if (!isRecord(item)) return unsupported(itemAt, `${describe(item)} is not a Kubernetes object`);
    const object = { ...item };
    if (itemKind !== undefined && object.kind === undefined) object.kind = itemKind;
    if (itemKind !== undefined && object.apiVersion === undefined) object.apiVersion = apiVersion;
    return fromObject(object, itemAt, type);
  });
}

function fromObject(object: Record<string, unknown>, at: Position, type: EventType): InputItem {
  const { kind, apiVersion } = object;
  if (typeof kind !== 'string' || typeof apiVersion !== 'string') {
    const missing = [typeof apiVersion !== 'string' && 'apiVersion', typeof kind !== 'string' && 'kind'].filter(Boolean);
    return unsupported(at, `object${nameOf(object)} has no ${missing.join(' and ')}; ${ACCEPTED}`);
  }
  if (!ACCEPTED_KINDS.includes(kind)) {
    return { ...at, skipped: { code: 'INPUT_UNSUPPORTED_KIND', message: `${where(at)}: unsupported kind ${kind} (apiVersion ${apiVersion})${nameOf(object)}; ${ACCEPTED}` } };
  }
  // A ServiceEntry or WorkloadEntry meshfold cannot read is refused, not skipped: it is one of
  // the objects the log is about.
  if (!ACCEPTED_API_VERSIONS.includes(apiVersion)) {
    return unsupported(at, `unsupported kind ${kind} (apiVersion ${apiVersion})${nameOf(object)}; ${ACCEPTED}`);
  }
  return { ...at, event: { type, object: object as KubeObject } };
}

function malformed(at: Position, reason: string): InputRejected {
  return { ...at, error: { code: 'INPUT_MALFORMED', message: `${where(at)}: ${reason}` } };
}

function unsupported(at: Position, reason: string): InputRejected {
  return { ...at, error: { code: 'INPUT_UNSUPPORTED_KIND', message: `${where(at)}: ${reason}` } };
}

function where(at: Position): string {
  const item = at.item === undefined ? '' : `, item ${at.item}`;
  return `${at.source}: document ${at.index}${item} (line ${at.line})`;
}

function nameOf(object: Record<string, unknown>): string {
  const meta = isRecord(object.metadata) ? object.metadata : {};
  if (typeof meta.name !== 'string') return '';
  return typeof meta.namespace === 'string' ? ` "${meta.namespace}/${meta.name}"` : ` "${meta.name}"`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
