const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** The shape `parseRfc3339` accepts, in words, for messages that reject a time. */
export const RFC3339_RULE = 'YYYY-MM-DDTHH:MM:SS[.fraction] on a calendar day, with a zone: Z or +HH:MM / -HH:MM';

/**
 * Epoch milliseconds of an RFC 3339 timestamp, or undefined when `text` is not one.
 * `Date.parse` alone accepts many other shapes (a time without a zone, read as local time, or
 * 24:00 for the next midnight) and rolls Feb 30 over to March, which would silently move an as-of
 * query, so the shape, the day and the hour are checked first. The CLI, the inspector and the store all read times with this function, so
 * none of them accepts a time another rejects.
 */
export function parseRfc3339(text: string): number | undefined {
  const match = RFC3339.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour] = match.map(Number) as [number, number, number, number, number];
  if (!isCalendarDay(year, month, day) || hour > 23) return undefined;
  const ms = Date.parse(text.toUpperCase().replace(' ', 'T'));
  return Number.isNaN(ms) ? undefined : ms;
}

function isCalendarDay(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
