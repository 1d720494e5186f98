import type { EventType } from '@meshfold/core';

const EVENT_TYPES: ReadonlySet<unknown> = new Set<EventType>(['ADDED', 'MODIFIED', 'DELETED']);

export function isEventType(value: unknown): value is EventType {
  return EVENT_TYPES.has(value);
}
