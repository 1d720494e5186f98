/**
 * Which seqs were appended by a writer that had already checked them with a given projector
 * version (ProjectedLog validates every event before appending it). A replay by the same version
 * need not validate those again; any other version, or a seq outside every range, is validated.
 * Kept in meta as JSON `[[from, to, version], …]`: appends of one writer extend the last range,
 * so the list only grows when checked and unchecked appends alternate.
 */
export interface CheckedRange {
  readonly from: number;
  readonly to: number;
  readonly version: string;
}

export const CHECKED_KEY = 'checked';

export function extendChecked(ranges: readonly CheckedRange[], from: number, to: number, version: string): CheckedRange[] {
  const last = ranges.at(-1);
  if (last && last.to === from - 1 && last.version === version) return [...ranges.slice(0, -1), { from: last.from, to, version }];
  return [...ranges, { from, to, version }];
}

export function encodeChecked(ranges: readonly CheckedRange[]): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(ranges.map(({ from, to, version }) => [from, to, version])));
}

/** Anything that is not a well-formed list reads as no ranges: the safe answer is to validate. */
export function decodeChecked(bytes: Uint8Array | undefined): CheckedRange[] {
  if (bytes === undefined) return [];
  try {
    const raw: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (!Array.isArray(raw)) return [];
    return raw.flatMap((r: unknown) =>
      Array.isArray(r) && Number.isSafeInteger(r[0]) && Number.isSafeInteger(r[1]) && typeof r[2] === 'string'
        ? [{ from: r[0] as number, to: r[1] as number, version: r[2] as string }] : []);
  } catch {
    return [];
  }
}

/**
 * `seq → checked by version?` for ascending seqs, as replay asks: a cursor over the ranges, so
 * each question costs a comparison or two.
 */
export function checkedCursor(ranges: readonly CheckedRange[], version: string): (seq: number) => boolean {
  const mine = ranges.filter((r) => r.version === version);
  let i = 0;
  return (seq) => {
    while (i < mine.length && mine[i]!.to < seq) i++;
    return i < mine.length && mine[i]!.from <= seq;
  };
}
