import { isMap, isScalar, Lexer, LineCounter, parseDocument, visit, type Document, type DocumentOptions, type ParseOptions, type SchemaOptions, type Tags } from 'yaml';
import { DEFAULT_MAX_DOCUMENT_CHARS } from './jsonDocuments.js';
import type { RawDocument } from './readInput.js';

/**
 * Incremental splitter for multi-document YAML: text is pushed chunk by chunk, cut into
 * documents at `---` / `...` marker lines (column 0, as the YAML spec reserves them: they cannot
 * occur inside any scalar), and each document is parsed on its own with `yaml`. Only the current
 * document is kept in memory.
 *
 * Documents with no content (blank, comments only, or `null`) are skipped and not reported.
 * `%` directives before a `---` stay with the document they introduce.
 *
 * Each document is read as kubectl reads it (sigs.k8s.io/yaml, which uses go-yaml v2): see
 * {@link KUBECTL_YAML} and {@link goYamlFlowScalars}.
 */
export class YamlDocumentSplitter {
  /** Number (1-based) of the next complete line. */
  private lineNo: number;
  private lineParts: string[] = [];
  private lineLength = 0;

  private doc: string[] = [];
  private docLength = 0;
  private docLine: number;
  private hasContent = false;
  private hasDirective = false;
  private hasStartMarker = false;
  /** The current document was too long: drop lines until the next marker. */
  private skipping = false;

  constructor(
    startLine = 1,
    private readonly maxDocumentChars = DEFAULT_MAX_DOCUMENT_CHARS,
  ) {
    this.lineNo = startLine;
    this.docLine = startLine;
  }

  push(chunk: string): RawDocument[] {
    const out: RawDocument[] = [];
    let from = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', from)) {
      let line = chunk.slice(from, nl + 1);
      if (this.lineParts.length > 0) {
        line = this.lineParts.join('') + line;
        this.lineParts = [];
        this.lineLength = 0;
      }
      from = nl + 1;
      this.onLine(line, out);
    }
    if (from < chunk.length) {
      const tail = chunk.slice(from);
      this.lineParts.push(tail);
      this.lineLength += tail.length;
      if (!this.skipping && this.docLength + this.lineLength > this.maxDocumentChars) this.tooLong(out);
      if (this.skipping && this.lineLength > MARKER_HEAD_CHARS) {
        // Skipped text is not kept; its start is enough to see whether it is a marker.
        this.lineParts = [this.lineParts.join('').slice(0, MARKER_HEAD_CHARS)];
        this.lineLength = MARKER_HEAD_CHARS;
      }
    }
    return out;
  }

  end(): RawDocument[] {
    const out: RawDocument[] = [];
    if (this.lineParts.length > 0) {
      const last = this.lineParts.join('');
      this.lineParts = [];
      this.lineLength = 0;
      this.onLine(last, out);
    }
    if (!this.skipping) this.finish(out);
    this.startDocument(this.lineNo);
    return out;
  }

  private onLine(line: string, out: RawDocument[]): void {
    const n = this.lineNo++;
    if (DOC_START.test(line)) {
      if (this.skipping || this.hasStartMarker || this.hasContent || !this.hasDirective) {
        if (!this.skipping) this.finish(out);
        this.startDocument(n);
      } // else: the directives read so far belong to the document this marker starts
      this.hasStartMarker = true;
      this.append(line, n);
      if (!NO_CONTENT.test(line.slice(3))) this.hasContent = true;
      return;
    }
    if (DOC_END.test(line)) {
      if (!this.skipping) {
        this.append(line, n);
        this.finish(out);
      }
      this.startDocument(n + 1);
      return;
    }
    if (this.skipping) return;
    const blank = NO_CONTENT.test(line);
    // Blank and comment lines before a document's first line are not part of it.
    if (blank && this.doc.length === 0) return;
    this.append(line, n);
    if (!blank) {
      if (line.startsWith('%') && !this.hasStartMarker && !this.hasContent) this.hasDirective = true;
      else this.hasContent = true;
    }
    if (this.docLength > this.maxDocumentChars) this.tooLong(out);
  }

  private append(line: string, lineNo: number): void {
    if (this.doc.length === 0) this.docLine = lineNo;
    this.doc.push(line);
    this.docLength += line.length;
  }

  private startDocument(line: number): void {
    this.doc = [];
    this.docLength = 0;
    this.docLine = line;
    this.hasContent = false;
    this.hasDirective = false;
    this.hasStartMarker = false;
    this.skipping = false;
  }

  private tooLong(out: RawDocument[]): void {
    out.push({
      line: this.docLine,
      error: `the document is longer than ${this.maxDocumentChars} characters; skipped to the next "---"`,
    });
    this.doc = [];
    this.docLength = 0;
    this.skipping = true;
  }

  /** Parses the current document, if it has content, and reports it. */
  private finish(out: RawDocument[]): void {
    if (!this.hasContent) return;
    const text = goYamlFlowScalars(this.doc.join(''));
    const lineCounter = new LineCounter();
    const document = parseDocument(text, { ...KUBECTL_YAML, lineCounter, prettyErrors: false });
    const problem = document.errors[0];
    const duplicate = problem ? undefined : duplicateKey(document);
    if (duplicate) {
      const at = lineCounter.linePos(duplicate.offset);
      out.push({
        line: this.docLine,
        error: `invalid YAML: the key ${JSON.stringify(duplicate.key)} appears twice in one mapping (at line ${this.docLine + at.line - 1}, column ${at.col})`,
      });
      return;
    }
    if (problem) {
      const at = lineCounter.linePos(problem.pos[0]);
      out.push({
        line: this.docLine,
        error: `invalid YAML: ${problem.message} (at line ${this.docLine + at.line - 1}, column ${at.col})`,
      });
      return;
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      out.push({ line: this.docLine, error: `invalid YAML: ${(err as Error).message}` });
      return;
    }
    if (value === null || value === undefined) return; // `~` or a lone tag: nothing to record
    out.push({ line: this.docLine, value, chars: text.length });
  }
}

/**
 * YAML as go-yaml v2 resolves it: the YAML 1.1 scalars (`yes`/`no`/`on`/`off`/`y`/`n` are
 * booleans, `0777` is octal) and merge keys (`<<: *defaults`), but neither base-60 numbers
 * (`1:20` stays a string) nor timestamps (go-yaml leaves them strings when the target is not a
 * time, as it is not for kubectl's untyped read). Floats are go-yaml's: digits on at least one
 * side of the dot, so a lone `.` stays a string; Go's `0o17` is an octal int.
 */
export const KUBECTL_YAML: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  merge: true,
  // The package compares every key with every other (quadratic: a 50 000-key mapping took
  // seconds); `duplicateKey` checks the same rule with a set.
  uniqueKeys: false,
  customTags: (tags: Tags) => [
    ...tags.filter((t) => !(typeof t === 'object' && (t.format === 'TIME' || t.tag === 'tag:yaml.org,2002:timestamp'
      || (t.tag === FLOAT_TAG && (t.format === 'EXP' || t.format === undefined) && !String(t.test).includes('inf'))))),
    { tag: FLOAT_TAG, default: true, test: GO_YAML_FLOAT, resolve: (s: string) => Number(s.replaceAll('_', '')) },
    { tag: 'tag:yaml.org,2002:int', format: 'OCT', default: true, test: /^[-+]?0o[0-7_]+$/,
      resolve: (s: string) => (s.startsWith('-') ? -1 : 1) * parseInt(s.replace(/^[-+]?0o/, '').replaceAll('_', ''), 8) },
  ],
};

const FLOAT_TAG = 'tag:yaml.org,2002:float';
/** go-yaml v2's `yamlStyleFloat`, matched after it drops underscores (so at least one digit). */
const GO_YAML_FLOAT = /^(?=[^0-9]*[0-9])[-+]?(\.[0-9_]+|[0-9_]+(\.[0-9_]*)?)([eE][-+]?[0-9_]+)?$/;

/** The `yaml` lexer's markers, which take no room in the source: document, flow end, scalar. */
const SCALAR_MARK = '\u001f';
const ZERO_LENGTH = new Set(['\u0002', '\u0018', SCALAR_MARK]);
const FLOW_INDICATORS = new Set([',', '[', ']', '{', '}', '?']);

/**
 * go-yaml v2 ends a plain scalar inside `[...]` or `{...}` only at `: ` or a flow indicator, so
 * a `:` followed by `,` `]` `}` … belongs to the scalar: `[1.2.3.4, 2001:db8::]` is two
 * strings. YAML 1.2 (and the `yaml` package) reads that `:` as a mapping indicator instead. Such
 * scalars are quoted before parsing, which keeps every line where it was (positions in errors
 * stay right). A plain scalar with a `:` resolves to a string in go-yaml, so quoting it changes
 * nothing else.
 */
export function goYamlFlowScalars(text: string): string {
  if (!text.includes('[') && !text.includes('{')) return text;
  const tokens = [...new Lexer().lex(text)];
  const cuts: [number, number][] = [];
  let offset = 0;
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const start = offset;
    offset += tokens[i - 1] === SCALAR_MARK || !ZERO_LENGTH.has(t) ? t.length : 0;
    if (t === '[' || t === '{') depth++;
    else if ((t === ']' || t === '}') && depth > 0) depth--;
    if (depth === 0 || tokens[i - 1] !== SCALAR_MARK || t === '' || /^["'\n]/.test(t) || t.includes('\n')) continue;
    // A plain scalar; go-yaml would keep the ':' right after it when a flow indicator follows.
    let j = i + 1;
    let end = offset;
    while (tokens[j] === ':' && nextSignificant(tokens, j + 1) !== undefined && FLOW_INDICATORS.has(nextSignificant(tokens, j + 1)!)) {
      end++;
      j++;
    }
    if (end > offset) {
      cuts.push([start, end]);
      // The ':' tokens now belong to the scalar; the empty scalars after them are skipped as markers.
      for (; i + 1 < j; i++) offset += tokens[i + 1]!.length;
    }
  }
  let out = '';
  let from = 0;
  for (const [a, b] of cuts) {
    out += text.slice(from, a) + JSON.stringify(text.slice(a, b));
    from = b;
  }
  return out + text.slice(from);
}

/**
 * The next token that takes room in the source (not a marker or an empty scalar): whitespace
 * counts, since a ':' followed by a blank is a value indicator for go-yaml too.
 */
function nextSignificant(tokens: string[], from: number): string | undefined {
  for (let k = from; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (ZERO_LENGTH.has(t) || t === '') continue;
    return t;
  }
  return undefined;
}

const DOC_START = /^---(?:[ \t\r\n]|$)/;
const DOC_END = /^\.\.\.(?:[ \t\r\n]|$)/;
/** A blank or comment-only line (with its line break). */
const NO_CONTENT = /^[ \t]*(?:#.*)?\r?\n?$/;
const MARKER_HEAD_CHARS = 8;
/** Bounds alias expansion ("billion laughs"), as `yaml` does by default. */
const MAX_ALIAS_COUNT = 100;

/**
 * The first key that appears twice in one mapping, with its offset in the document text, or
 * undefined. One pass with a set per mapping. Merge keys (`<<`) may repeat.
 */
function duplicateKey(document: Document): { key: string; offset: number } | undefined {
  let found: { key: string; offset: number } | undefined;
  visit(document, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : isMap(pair.key) ? undefined : String(pair.key);
        if (key === undefined || key === '<<') continue;
        if (seen.has(key)) {
          found = { key, offset: (isScalar(pair.key) ? pair.key.range?.[0] : undefined) ?? 0 };
          return visit.BREAK;
        }
        seen.add(key);
      }
      return undefined;
    },
  });
  return found;
}
