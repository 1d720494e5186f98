import type { LoggedEvent } from '@meshfold/core';
import { isEventType } from './isEventType.js';
import { isRecord } from './isRecord.js';
import { corruptValue, decodeValue, encodeValue, packValue } from './valueCodec.js';

/**
 * Only the logged fields are written, so extra caller properties never reach the log. `origin`
 * only when there is one: events seen on a watch are stored exactly as before it existed.
 */
function stored({ seq, time, type, object, origin }: LoggedEvent): LoggedEvent {
  return origin === undefined ? { seq, time, type, object } : { seq, time, type, object, origin: { sync: origin.sync } };
}

export function encodeEvent(event: LoggedEvent): Uint8Array {
  return encodeValue(stored(event));
}

/** {@link encodeEvent} without the format byte, in msgpackr's buffer (see `packValue`). */
export function packEvent(event: LoggedEvent): Uint8Array {
  return packValue(stored(event));
}

/**
 * Bytes that happen to be valid msgpack are not yet an event (a lone byte decodes to a number),
 * so the shape is checked too, and the stored seq must equal the key's.
 */
export function decodeEvent(bytes: Uint8Array, seq: number): LoggedEvent {
  const origin = { keyspace: 'events', seq } as const;
  const value = decodeValue(bytes, origin);
  const why = shapeProblem(value, seq);
  if (why) throw corruptValue(origin, why);
  return value as LoggedEvent;
}

function shapeProblem(value: unknown, seq: number): string | undefined {
  if (!isRecord(value)) return 'not an event object';
  if (value.seq !== seq) return `it says seq ${String(value.seq)}`;
  if (typeof value.time !== 'string') return 'time is not a string';
  if (!isEventType(value.type)) return `unknown type ${String(value.type)}`;
  if (!isRecord(value.object)) return 'object is not an object';
  if (value.origin !== undefined && originProblem(value.origin)) return `origin ${originProblem(value.origin)}`;
  return undefined;
}

/** Why an event's `origin` is not `{sync: seq}`, or undefined when it is. */
export function originProblem(origin: unknown): string | undefined {
  if (!isRecord(origin)) return 'is not an object';
  if (!Number.isSafeInteger(origin.sync) || (origin.sync as number) < 1) return `sync is not a seq: ${String(origin.sync)}`;
  return undefined;
}
