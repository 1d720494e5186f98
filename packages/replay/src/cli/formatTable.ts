import { escapeControls } from '../io/terminalSafe.js';

/**
 * Aligned columns separated by at least `gap` spaces: two as kubectl prints them; istioctl's
 * `proxy-config` tables use a tabwriter with padding 5.
 */
export function formatTable(headers: readonly string[], table: readonly (readonly string[])[], gap = 2): string {
  // Cells come from the log (names, labels): a control character in one must not reach the terminal.
  const rows = table.map((r) => r.map(escapeControls));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join(' '.repeat(gap)).trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}
