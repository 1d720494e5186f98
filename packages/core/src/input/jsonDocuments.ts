import type { RawDocument } from './readInput.js';

/**
 * Incremental splitter for a stream of JSON values, as `kubectl get -w -o json
 * --output-watch-events` prints them (pretty-printed objects one after another), NDJSON,
 * or a top-level `[` array whose elements are the documents.
 *
 * Text is pushed chunk by chunk; only the document being scanned is kept in memory. The
 * scanner tracks strings, escapes and the bracket nesting of the current value to find where it
 * ends, then `JSON.parse`s it.
 *
 * Recovery from bad input, so that valid objects after it are not lost:
 * - text between top-level values that is not a value ("garbage") is one error document,
 *   skipped up to the next `{`;
 * - a value that closes but does not parse is one error document, skipped as a whole;
 * - a value that is structurally broken (a raw newline inside a string, a mismatched bracket,
 *   a `{` where no value can start, the input ending inside it, or the size limit) is one error
 *   document, and scanning resumes at the next `{` that starts a line (where kubectl and NDJSON
 *   start their objects) — or, if that `{` lies inside the broken text, from there, so an object
 *   printed after a truncated one is still read. With no such `{` the rest of the input is
 *   skipped after the one error.
 */
export class JsonDocumentSplitter {
  private mode: Mode = Mode.Top;
  /** Scanning happens inside a top-level `[` array, whose elements are the documents. */
  private inArray = false;
  /** Line number (1-based) of the next character. */
  private line: number;
  private prevNewline = true;
  /** Consecutive `{`s where the whole-object fast path did not apply. */
  private fastPathMisses = 0;

  // The current value (object, array or array scalar): its text so far and where it starts.
  private parts: string[] = [];
  private partsLength = 0;
  private docLine = 0;
  /** Closing brackets still expected, innermost last. */
  private closers: string[] = [];
  private inString = false;
  private escaped = false;
  /** Last non-whitespace character outside strings. */
  private lastSignificant = '';
  /** Offset in the current value of the first nested `{` that starts a line, or -1. */
  private lineStartBrace = -1;

  // Garbage between values: a bounded sample and its length.
  private junkSample = '';
  private junkLength = 0;

  constructor(
    startLine = 1,
    private readonly maxDocumentChars = DEFAULT_MAX_DOCUMENT_CHARS,
  ) {
    this.line = startLine;
  }

  push(chunk: string): RawDocument[] {
    const out: RawDocument[] = [];
    this.scan(chunk, out);
    return out;
  }

  end(): RawDocument[] {
    const out: RawDocument[] = [];
    for (;;) {
      if (this.mode === Mode.Container) {
        const text = this.takeDocument('');
        const rest = this.fail(text, () => parseFailure(text), Mode.Discard, out);
        // Resumed at a `{` starting a line inside it: scan that, which may end unterminated again.
        if (rest !== undefined) {
          this.scan(rest, out);
          continue;
        }
      } else if (this.mode === Mode.Primitive) {
        this.finishPrimitive(this.takeDocument(''), out);
        out.push({ line: this.line, error: UNTERMINATED_ARRAY });
      } else if (this.mode === Mode.ArrayValue || this.mode === Mode.ArraySeparator) {
        out.push({ line: this.line, error: UNTERMINATED_ARRAY });
      } else if (this.mode === Mode.Junk) {
        this.finishJunk(out);
      }
      this.mode = Mode.Top;
      this.inArray = false;
      return out;
    }
  }

  private scan(text: string, out: RawDocument[]): void {
    let rest: string | undefined = text;
    while (rest !== undefined) rest = this.scanOnce(rest, out);
  }

  /** Scans `s`; returns text to scan next when recovery rewinds into text already seen. */
  private scanOnce(s: string, out: RawDocument[]): string | undefined {
    /** Where the current value's text starts in `s`. */
    let segStart = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      switch (this.mode) {
        case Mode.Top:
        case Mode.ArrayValue:
          if (isWhitespace(c)) break;
          if (c === OPEN_BRACKET && this.mode === Mode.Top) {
            this.inArray = true;
            this.mode = Mode.ArrayValue;
          } else if (c === OPEN_BRACE && this.mode === Mode.Top && this.prevNewline && this.fastPathMisses < FAST_PATH_GIVE_UP) {
            const end = this.wholeObject(s, i, out);
            if (end > 0) {
              i = end - 1;
              continue;
            }
            i--; // not a whole object: scan it character by character
            continue;
          } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
            this.startDocument(Mode.Container);
            this.closers = [c === OPEN_BRACE ? '}' : ']'];
            this.lastSignificant = String.fromCharCode(c);
            segStart = i;
          } else if (this.mode === Mode.Top) {
            this.mode = Mode.Junk;
            this.junkSample = '';
            this.junkLength = 0;
            this.docLine = this.line;
            i--; // the junk state takes this character
            continue;
          } else if (c === CLOSE_BRACKET) {
            this.leaveArray();
          } else if (c === COMMA) {
            out.push({ line: this.line, error: 'unexpected "," in the top-level array (an element is missing)' });
          } else {
            this.startDocument(Mode.Primitive);
            this.inString = c === QUOTE;
            segStart = i;
          }
          break;

        case Mode.ArraySeparator:
          if (isWhitespace(c)) break;
          if (c === COMMA) {
            this.mode = Mode.ArrayValue;
          } else if (c === CLOSE_BRACKET) {
            this.leaveArray();
          } else {
            out.push({
              line: this.line,
              error: `expected "," or "]" after an element of the top-level array, found ${JSON.stringify(s[i])}`,
            });
            this.leaveArray();
            i--; // read it again as top-level text
            continue;
          }
          break;

        case Mode.Junk:
          if (c === OPEN_BRACE) {
            this.finishJunk(out);
            this.mode = Mode.Top;
            i--;
            continue;
          }
          if (this.junkSample.length < JUNK_SAMPLE_CHARS) this.junkSample += s[i];
          this.junkLength++;
          break;

        case Mode.Discard:
          if (c === OPEN_BRACE && this.prevNewline) {
            this.mode = Mode.Top;
            i--;
            continue;
          }
          break;

        case Mode.Primitive:
          if (this.inString) {
            if (c === NEWLINE) {
              // A raw newline cannot be in a JSON string: report what we have.
              this.finishPrimitive(this.takeDocument(s.slice(segStart, i)), out);
              i--;
              continue;
            } else if (this.escaped) this.escaped = false;
            else if (c === BACKSLASH) this.escaped = true;
            else if (c === QUOTE) this.finishPrimitive(this.takeDocument(s.slice(segStart, i + 1)), out);
          } else if (isWhitespace(c) || c === COMMA || c === CLOSE_BRACKET || c === OPEN_BRACE || c === OPEN_BRACKET) {
            this.finishPrimitive(this.takeDocument(s.slice(segStart, i)), out);
            i--;
            continue;
          }
          break;

        case Mode.Container: {
          if (this.inString) {
            if (c === NEWLINE) {
              // JSON strings never hold a raw newline, escaped or not: the value is broken
              // (often cut off by a killed writer).
              const text = this.takeDocument(s.slice(segStart, i + 1));
              const rest = this.fail(text, () => parseFailure(text), Mode.Discard, out);
              if (rest !== undefined) return rest + s.slice(i + 1);
            } else if (this.escaped) this.escaped = false;
            else if (c === BACKSLASH) this.escaped = true;
            else if (c === QUOTE) {
              this.inString = false;
              this.lastSignificant = '"';
            }
            break;
          }
          if (isWhitespace(c)) break;
          if (c === QUOTE) {
            this.inString = true;
          } else if (c === OPEN_BRACE) {
            if (!VALUE_MAY_FOLLOW.includes(this.lastSignificant)) {
              // No value can start here: the current value is broken, and this `{` starts the next.
              const text = this.takeDocument(s.slice(segStart, i));
              const rest = this.fail(text, () => parseFailure(`${text}{`), this.valueMode(), out);
              if (rest !== undefined) return rest + s.slice(i);
              i--;
              continue;
            }
            if (this.prevNewline && this.lineStartBrace < 0) {
              this.lineStartBrace = this.partsLength + (i - segStart);
            }
            this.closers.push('}');
          } else if (c === OPEN_BRACKET) {
            this.closers.push(']');
          } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
            const expected = this.closers.pop();
            if (expected !== s[i]) {
              const text = this.takeDocument(s.slice(segStart, i + 1));
              const rest = this.fail(text, () => parseFailure(text), Mode.Discard, out);
              if (rest !== undefined) return rest + s.slice(i + 1);
              break;
            }
            if (this.closers.length === 0) {
              const text = this.takeDocument(s.slice(segStart, i + 1));
              let value: unknown;
              try {
                value = JSON.parse(text);
              } catch {
                const reason = parseFailure(text);
                const rest = this.fail(text, () => reason, this.inArray ? Mode.ArraySeparator : Mode.Top, out);
                if (rest !== undefined) return rest + s.slice(i + 1);
                break;
              }
              out.push({ line: this.docLine, value, chars: text.length, text });
              this.mode = this.inArray ? Mode.ArraySeparator : Mode.Top;
              break;
            }
          }
          this.lastSignificant = s[i]!;
          break;
        }
      }
      this.prevNewline = c === NEWLINE;
      if (c === NEWLINE) this.line++;
    }

    if (this.mode === Mode.Container || this.mode === Mode.Primitive) {
      if (segStart < s.length) {
        const tail = s.slice(segStart);
        this.parts.push(tail);
        this.partsLength += tail.length;
      }
      if (this.partsLength > this.maxDocumentChars) {
        const text = this.takeDocument('');
        const limit = `the value is longer than ${this.maxDocumentChars} characters; skipped to the next line starting with "{"`;
        return this.fail(text, () => limit, Mode.Discard, out);
      }
    }
    return undefined;
  }

  /**
   * kubectl prints every object with its closing `}` at the start of a line. If the text from a
   * line-starting `{` to the next such `}` parses, it is exactly the value the scanner would find
   * (a JSON value is never a proper prefix of another), so its characters need no scan. Returns
   * the offset after it, or -1 (then counted as a miss; after a few the fast path is left off, as
   * for NDJSON, where it never applies).
   */
  private wholeObject(s: string, start: number, out: RawDocument[]): number {
    const close = s.indexOf('\n}', start);
    if (close >= 0 && close + 2 - start <= Math.min(FAST_PATH_MAX_CHARS, this.maxDocumentChars)) {
      const text = s.slice(start, close + 2);
      try {
        const value: unknown = JSON.parse(text);
        out.push({ line: this.line, value, chars: text.length, text });
        this.line += countNewlines(text);
        this.prevNewline = false;
        this.fastPathMisses = 0;
        return close + 2;
      } catch {
        // Not one whole value: the scanner finds out what it is.
      }
    }
    this.fastPathMisses++;
    this.prevNewline = false; // the retry of this `{` takes the usual path
    return -1;
  }

  private startDocument(mode: Mode.Container | Mode.Primitive): void {
    this.mode = mode;
    this.parts = [];
    this.partsLength = 0;
    this.docLine = this.line;
    this.inString = false;
    this.escaped = false;
    this.lineStartBrace = -1;
  }

  /** The current value's full text: the kept parts plus `last`; clears the parts. */
  private takeDocument(last: string): string {
    const text = this.parts.length === 0 ? last : this.parts.join('') + last;
    this.parts = [];
    this.partsLength = 0;
    return text;
  }

  /** Where a new value may start: at top level, or as the next element of the array. */
  private valueMode(): Mode {
    return this.inArray ? Mode.ArrayValue : Mode.Top;
  }

  private leaveArray(): void {
    this.inArray = false;
    this.mode = Mode.Top;
  }

  /**
   * Reports the current value (`text`, all of whose characters have been counted) as broken.
   * If a nested `{` started a line inside it, that is where the next object most likely starts
   * (kubectl and NDJSON begin every object on a new line, never a nested one): only the text
   * before it is reported, and the rest is returned to be scanned again. Otherwise the whole text
   * is reported with `reason()` and scanning continues in `otherwise`.
   */
  private fail(text: string, reason: () => string, otherwise: Mode, out: RawDocument[]): string | undefined {
    if (this.lineStartBrace >= 0) {
      const failed = text.slice(0, this.lineStartBrace);
      out.push({ line: this.docLine, error: parseFailure(failed) });
      this.mode = this.valueMode();
      this.line = this.docLine + countNewlines(failed);
      this.prevNewline = true;
      return text.slice(this.lineStartBrace);
    }
    out.push({ line: this.docLine, error: reason() });
    this.mode = otherwise;
    if (otherwise === Mode.Discard) this.inArray = false;
    return undefined;
  }

  private finishPrimitive(text: string, out: RawDocument[]): void {
    try {
      out.push({ line: this.docLine, value: JSON.parse(text), chars: text.length });
    } catch {
      out.push({ line: this.docLine, error: parseFailure(text) });
    }
    this.mode = Mode.ArraySeparator;
  }

  private finishJunk(out: RawDocument[]): void {
    const trimmed = this.junkSample.trim();
    if (this.junkLength <= JUNK_SAMPLE_CHARS && trimmed !== '') {
      // A bare JSON scalar (`42`, `"x"`, `null`) is a value, just not a Kubernetes object.
      try {
        out.push({ line: this.docLine, value: JSON.parse(trimmed), chars: trimmed.length });
        return;
      } catch {
        // not JSON: garbage
      }
    }
    const shown = trimmed.length > JUNK_SHOWN_CHARS ? `${trimmed.slice(0, JUNK_SHOWN_CHARS)}...` : trimmed;
    out.push({
      line: this.docLine,
      error: `unexpected text between JSON values (${this.junkLength} characters, skipped to the next "{"): ${JSON.stringify(shown)}`,
    });
  }
}

/** Default bound on one document: a large `List` still fits, a runaway value does not. */
export const DEFAULT_MAX_DOCUMENT_CHARS = 256 * 1024 * 1024;
/** Longest text the fast path tries to parse whole; a longer object is scanned. */
const FAST_PATH_MAX_CHARS = 1 << 20;
/** Misses in a row after which an input is taken not to be kubectl's pretty-printed stream. */
const FAST_PATH_GIVE_UP = 3;

const enum Mode {
  /** Between top-level values. */
  Top,
  /** Inside a top-level `[`, where an element or `]` is expected. */
  ArrayValue,
  /** Inside a top-level `[`, after an element, where `,` or `]` is expected. */
  ArraySeparator,
  /** Scanning an object or array value. */
  Container,
  /** Scanning a scalar element of a top-level array. */
  Primitive,
  /** Skipping text that is not a JSON value, up to the next `{`. */
  Junk,
  /** Skipping the rest of a broken value, up to the next `{` that starts a line. */
  Discard,
}

const NEWLINE = 0x0a;
const QUOTE = 0x22;
const COMMA = 0x2c;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
/** A nested value can only start after one of these (or after the opening `[` itself). */
const VALUE_MAY_FOLLOW = ':,[';
const JUNK_SAMPLE_CHARS = 1024;
const JUNK_SHOWN_CHARS = 40;
const UNTERMINATED_ARRAY = 'the input ends inside a top-level array (missing "]")';

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === NEWLINE || c === 0x0d || c === 0x09;
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The parser's own reason why `text` is not JSON. */
function parseFailure(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return `invalid JSON: ${(err as Error).message}`;
  }
  return 'invalid JSON'; // not reached for the texts passed here
}
