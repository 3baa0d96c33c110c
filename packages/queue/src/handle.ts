/**
 * Queues cross threads as handles: the codec sends the ring's SharedArrayBuffer (by reference) and
 * the kind of queue, and the receiving thread rebuilds the same queue over the same memory.
 */
import { ByteRing } from './byte-ring.js';
import { JoinableQueue } from './joinable-queue.js';
import { LifoQueue } from './lifo-queue.js';
import { PriorityQueue } from './priority-queue.js';
import { attachQueue, Queue, ringOf } from './queue.js';
import { SimpleQueue } from './simple-queue.js';
import { registerHandleKind } from './wire.js';

type QueueKind = 'Queue' | 'JoinableQueue' | 'SimpleQueue' | 'LifoQueue' | 'PriorityQueue';

export interface QueueHandle {
  kind: QueueKind;
  buffer: SharedArrayBuffer;
  /** PriorityQueue's `compare`, as source. */
  compare: string | null;
}

function kindOf(queue: Queue<unknown>): QueueKind {
  if (queue instanceof PriorityQueue) return 'PriorityQueue';
  if (queue instanceof LifoQueue) return 'LifoQueue';
  if (queue instanceof SimpleQueue) return 'SimpleQueue';
  if (queue instanceof JoinableQueue) return 'JoinableQueue';
  return 'Queue';
}

function rebuildCompare(source: string): (a: unknown, b: unknown) => number {
  try {
    return new Function(`return (${source});`)() as (a: unknown, b: unknown) => number;
  } catch {
    // Method shorthand (`compare(a, b) { … }`) is not an expression on its own.
    return new Function(`return ({ ${source} });`)().compare as (a: unknown, b: unknown) => number;
  }
}

export function queueToHandle(queue: Queue<unknown>): QueueHandle {
  const compare = queue instanceof PriorityQueue && queue.compare ? queue.compare.toString() : null;
  return { kind: kindOf(queue), buffer: ringOf(queue).buffer, compare };
}

export function queueFromHandle(handle: QueueHandle): Queue<unknown> {
  const ring = ByteRing.attach(handle.buffer);
  switch (handle.kind) {
    case 'JoinableQueue':
      return attachQueue(() => new JoinableQueue(), ring);
    case 'SimpleQueue':
      return attachQueue(() => new SimpleQueue(), ring);
    case 'LifoQueue':
      return attachQueue(() => new LifoQueue(), ring);
    case 'PriorityQueue': {
      const compare = handle.compare === null ? undefined : rebuildCompare(handle.compare);
      return attachQueue(() => new PriorityQueue({ compare }), ring);
    }
    default:
      return attachQueue(() => new Queue(), ring);
  }
}

registerHandleKind<Queue<unknown>, QueueHandle>({
  name: '@weft/queue#Queue',
  type: Queue,
  toHandle: queueToHandle,
  fromHandle: queueFromHandle,
});
