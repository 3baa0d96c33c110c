export { ValueError } from '@weft/atomics-sync-shim';

/** Raised by a nonblocking or timed-out `get` on an empty queue (Python's `queue.Empty`). */
export class Empty extends Error {
  constructor(message = 'queue is empty') {
    super(message);
    this.name = 'Empty';
  }
}

/** Raised by a nonblocking or timed-out `put` on a full queue (Python's `queue.Full`). */
export class Full extends Error {
  constructor(message = 'queue is full') {
    super(message);
    this.name = 'Full';
  }
}

/**
 * Raised by `put` on a closed queue, and by `get` once a closed queue is drained — including
 * getters that were already waiting when it closed. Python 3.13 calls this `queue.ShutDown`
 * (exported here under that name too).
 */
export class QueueClosed extends Error {
  constructor(message = 'queue is closed') {
    super(message);
    this.name = 'QueueClosed';
  }
}

/** Python's name for `QueueClosed` (`queue.ShutDown`, Python 3.13). */
export const ShutDown = QueueClosed;
