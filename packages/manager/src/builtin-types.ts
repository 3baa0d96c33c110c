/** The typeids every Manager serves, and how the server makes each, within the server's limits. */
import { MemoryError } from './errors.js';
import type { ResolvedLimits } from './limits.js';

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

/** Bytes an item of a manager Array costs the server (a JavaScript number). */
const ARRAY_ITEM_BYTES = 8;

/**
 * Checks a length a client asks for before anything is allocated: one call must not take the host's
 * memory (`Array('d', 4e8)` would need 3.2 GB).
 * @throws MemoryError past `limits.maxObjectBytes`; ValueError-like TypeError for a bad length.
 */
function checkArrayLength(length: number, limits: ResolvedLimits): void {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new TypeError(`an Array's length must be a non-negative integer, got ${length}`);
  }
  if (length * ARRAY_ITEM_BYTES > limits.maxObjectBytes) {
    throw new MemoryError(
      `Array of ${length} items (${length * ARRAY_ITEM_BYTES} bytes) is over this server's limit of ` +
        `${limits.maxObjectBytes} bytes an object (limits.maxObjectBytes)`,
    );
  }
}

export function builtinFactories(limits: ResolvedLimits): Record<string, ObjectFactory> {
  return {
    ...BUILTIN_FACTORIES,
    Array: (args) => {
      if (typeof args[1] === 'number') checkArrayLength(args[1], limits);
      return BUILTIN_FACTORIES.Array!(args);
    },
  };
}

const BUILTIN_FACTORIES: Record<string, ObjectFactory> = {
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
