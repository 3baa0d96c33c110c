export {
  ByteRing,
  CLOSED,
  EMPTY,
  FlaggedRecord,
  FULL,
  type GoesBefore,
  MAX_CAPACITY,
  NO_READER,
  PACE_HIGH,
  PACE_LOW,
  type PaceOutcome,
  type PopOutcome,
  PUSHED,
  type PushOutcome,
  type RecordWriter,
  type RingOrder,
  type RingWaitOptions,
  TAKE_CLOSED,
  TAKE_EMPTY,
  type Take,
  type TakeOutcome,
} from './byte-ring.js';
export { Empty, Full, QueueClosed, ShutDown, ValueError } from './errors.js';
export { type QueueHandle, queueFromHandle, queueToHandle } from './handle.js';
export { JoinableQueue } from './joinable-queue.js';
export { LifoQueue } from './lifo-queue.js';
export { PriorityQueue, type PriorityQueueOptions } from './priority-queue.js';
export { pythonEquals, pythonLess } from './python-order.js';
export { type GetOptions, type JoinOptions, type PutOptions, Queue, type QueueOptions } from './queue.js';
export { SimpleQueue } from './simple-queue.js';
