/** Longest line written to a terminal whole; longer ones are cut, saying by how much. */
export const MAX_LINE_CHARS = 4096;

// C0 and C1 controls and DEL, except tab and newline: an input's names and values reach messages,
// and an ESC sequence in them would drive the reader's terminal.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `text` with every control character but tab and newline written as `\xNN`. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * `text` as it may be shown to a person: control characters written as `\xNN`, and each line
 * cut to {@link MAX_LINE_CHARS} characters with a note of how many were left out.
 */
export function terminalSafe(text: string): string {
  const visible = escapeControls(text);
  if (visible.length <= MAX_LINE_CHARS) return visible;
  return visible.split('\n').map((line) =>
    (line.length <= MAX_LINE_CHARS ? line : `${line.slice(0, MAX_LINE_CHARS)}… (${line.length - MAX_LINE_CHARS} more characters)`)).join('\n');
}
