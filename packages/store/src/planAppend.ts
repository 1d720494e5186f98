import { MeshfoldError, parseRfc3339, type EventOrigin, type LoggedEvent, type WatchEvent } from '@meshfold/core';
import { originProblem, packEvent } from './eventCodec.js';
import { isEventType } from './isEventType.js';
import { isRecord } from './isRecord.js';
import { SliceBuilder } from './SliceBuilder.js';
import { valueHeader } from './valueCodec.js';

/** Shared: each plan fills and empties it within one synchronous call. */
const values = new SliceBuilder();

/** An event to append; `time` (RFC 3339) defaults to the clock at append. */
export interface AppendEvent extends WatchEvent {
  time?: string;
  /** Set only by a relist: see {@link EventOrigin}. */
  origin?: EventOrigin;
}

/** Everything an append writes, computed before anything is written. */
export interface AppendPlan {
  events: LoggedEvent[];
  values: Uint8Array[];
  epochMs: number[];
  /** The time of the last event, which the next append may not go below. */
  lastEpochMs: number;
}

/**
 * Assigns seqs and times and encodes every event up front, so that an event that is invalid
 * or cannot be encoded fails the whole append before a single byte is written.
 * Times must not go backwards: the time index answers "last seq at or before T" with one
 * seek only while time order equals seq order. Clock times are held at the last time for
 * the same reason, so a clock stepping back never fails a recording.
 */
export function planAppend(
  inputs: readonly AppendEvent[],
  firstSeq: number,
  lastEpochMs: number,
  now: number,
): AppendPlan {
  if (!Array.isArray(inputs)) throw malformed('append expects an array of events');
  const plan: AppendPlan = { events: [], values: [], epochMs: [], lastEpochMs };
  try {
    inputs.forEach((input, index) => addEvent(plan, input, index, firstSeq + index, now));
  } finally {
    // Emptied on failure too, so no half-planned bytes reach the next plan.
    plan.values = values.finish();
  }
  return plan;
}

function addEvent(plan: AppendPlan, input: AppendEvent, index: number, seq: number, now: number): void {
  checkShape(input, index);
  const epochMs = input.time === undefined ? Math.max(now, plan.lastEpochMs) : givenTime(input.time, index, plan.lastEpochMs);
  const time = input.time ?? new Date(epochMs).toISOString();
  const event: LoggedEvent = input.origin === undefined
    ? { seq, time, type: input.type, object: input.object }
    : { seq, time, type: input.type, object: input.object, origin: input.origin };
  const body = encode(event, index);
  values.add(valueHeader(body), body);
  plan.events.push(event);
  plan.epochMs.push(epochMs);
  plan.lastEpochMs = epochMs;
}

function checkShape(input: AppendEvent, index: number): void {
  if (!isRecord(input)) throw malformed(`append: event [${index}] is not an object`);
  if (!isEventType(input.type)) {
    throw malformed(`append: event [${index}] has type ${String(input.type)}, expected ADDED, MODIFIED or DELETED`);
  }
  if (!isRecord(input.object)) throw malformed(`append: event [${index}] has no object`);
  const origin = input.origin === undefined ? undefined : originProblem(input.origin);
  if (origin) throw malformed(`append: event [${index}] origin ${origin}`);
}

/**
 * The last time string read and its epoch ms: a batch's events mostly carry the same time (a
 * recorder stamps them as read), so each distinct string is parsed once.
 */
let lastTime: { text: string; epochMs: number | undefined } = { text: '', epochMs: undefined };

function parsedTime(text: string): number | undefined {
  if (text !== lastTime.text) lastTime = { text, epochMs: parseRfc3339(text) };
  return lastTime.epochMs;
}

function givenTime(time: unknown, index: number, lastEpochMs: number): number {
  const epochMs = typeof time === 'string' ? parsedTime(time) : undefined;
  if (epochMs === undefined || epochMs < 0) {
    throw malformed(`append: event [${index}] time ${String(time)} is not an RFC 3339 time after 1970`);
  }
  if (epochMs < lastEpochMs) {
    throw malformed(
      `append: event [${index}] time ${time as string} is before the previous event's time ${new Date(lastEpochMs).toISOString()}`,
    );
  }
  return epochMs;
}

function encode(event: LoggedEvent, index: number): Uint8Array {
  try {
    return packEvent(event);
  } catch (err) {
    throw malformed(`append: event [${index}] cannot be encoded (${(err as Error).message})`);
  }
}

function malformed(message: string): MeshfoldError {
  return new MeshfoldError('INPUT_MALFORMED', message);
}
