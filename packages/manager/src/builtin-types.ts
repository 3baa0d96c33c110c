/** The typeids every Manager serves, and how the server makes each. */

import { ServedArray, ServedDict, ServedList, ServedNamespace, ServedValue } from './served-collections.js';
import { ServedJoinableQueue, ServedQueue } from './served-queue.js';
import {
  ServedBarrier,
  ServedBoundedSemaphore,
  ServedCondition,
  ServedEvent,
  ServedLock,
  ServedRLock,
  ServedSemaphore,
} from './served-sync.js';
import type { ObjectFactory } from './server.js';

const object = (target: object) => ({ kind: 'object' as const, target });

type Init = ConstructorParameters<typeof ServedDict>[0];

export const BUILTIN_FACTORIES: Record<string, ObjectFactory> = {
  dict: ([init]) => object(new ServedDict(init as Init)),
  list: ([init]) => object(new ServedList((init as Iterable<unknown> | undefined) ?? [])),
  Namespace: ([init]) => object(new ServedNamespace(init as Record<string, unknown> | undefined)),
  Queue: ([options]) => object(new ServedQueue(options as { maxsize?: number } | undefined)),
  JoinableQueue: ([options]) => object(new ServedJoinableQueue(options as { maxsize?: number } | undefined)),
  Lock: () => object(new ServedLock()),
  RLock: () => object(new ServedRLock()),
  Semaphore: ([value]) => object(new ServedSemaphore(value as number | undefined)),
  BoundedSemaphore: ([value]) => object(new ServedBoundedSemaphore(value as number | undefined)),
  Event: () => object(new ServedEvent()),
  Condition: () => object(new ServedCondition()),
  Barrier: ([parties, options]) =>
    object(new ServedBarrier(parties as number, options as { timeout?: number })),
  Value: ([typecode, value]) => object(new ServedValue(typecode as string, value)),
  Array: ([typecode, values]) =>
    object(new ServedArray(typecode as string, values as Iterable<number> | number)),
};
