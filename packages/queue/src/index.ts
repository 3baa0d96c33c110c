export { Queue, type QueueOptions, type PutOptions, type GetOptions, type JoinOptions } from './queue.js';
export { JoinableQueue } from './joinable-queue.js';
export { SimpleQueue } from './simple-queue.js';
export { LifoQueue } from './lifo-queue.js';
export { PriorityQueue, type PriorityQueueOptions } from './priority-queue.js';
export { Empty, Full, QueueClosed, ShutDown, ValueError } from './errors.js';
export { pythonLess, pythonEquals } from './python-order.js';
export { queueToHandle, queueFromHandle, type QueueHandle } from './handle.js';
export {
  ByteRing,
  FlaggedRecord,
  MAX_CAPACITY,
  PUSHED,
  FULL,
  CLOSED,
  EMPTY,
  NO_READER,
  type RingOrder,
  type RingWaitOptions,
  type PushOutcome,
  type PopOutcome,
  type GoesBefore,
} from './byte-ring.js';
