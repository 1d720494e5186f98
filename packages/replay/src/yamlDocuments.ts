import { LineCounter, parseDocument } from 'yaml';
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
    const text = this.doc.join('');
    const lineCounter = new LineCounter();
    const document = parseDocument(text, { lineCounter, prettyErrors: false });
    const problem = document.errors[0];
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
    out.push({ line: this.docLine, value });
  }
}

const DOC_START = /^---(?:[ \t\r\n]|$)/;
const DOC_END = /^\.\.\.(?:[ \t\r\n]|$)/;
/** A blank or comment-only line (with its line break). */
const NO_CONTENT = /^[ \t]*(?:#.*)?\r?\n?$/;
const MARKER_HEAD_CHARS = 8;
/** Bounds alias expansion ("billion laughs"), as `yaml` does by default. */
const MAX_ALIAS_COUNT = 100;
