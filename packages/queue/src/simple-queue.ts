import { Queue } from './queue.js';

/** Python's `SimpleQueue`: an unbounded FIFO queue. */
export class SimpleQueue<T = unknown> extends Queue<T> {
  constructor() {
    super({ maxsize: 0 });
  }
}
