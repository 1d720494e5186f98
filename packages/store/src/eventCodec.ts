import type { LoggedEvent } from '@meshfold/core';
import { isEventType } from './isEventType.js';
import { isRecord } from './isRecord.js';
import { corruptValue, decodeValue, encodeValue, packValue } from './valueCodec.js';

/** Only the four logged fields are written, so extra caller properties never reach the log. */
export function encodeEvent({ seq, time, type, object }: LoggedEvent): Uint8Array {
  return encodeValue({ seq, time, type, object });
}

/** {@link encodeEvent} without the format byte, in msgpackr's buffer (see `packValue`). */
export function packEvent({ seq, time, type, object }: LoggedEvent): Uint8Array {
  return packValue({ seq, time, type, object });
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
  return undefined;
}

/** The object of an event's bytes that {@link decodeEvent} already accepted once. */
export function objectOfDecodedEvent(bytes: Uint8Array): LoggedEvent['object'] {
  return (decodeValue(bytes, { keyspace: 'events', seq: 0 }) as LoggedEvent).object;
}
