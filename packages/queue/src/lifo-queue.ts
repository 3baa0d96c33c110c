import type { RingOrder } from './byte-ring.js';
import { Queue } from './queue.js';

/** Python's `queue.LifoQueue`: `get` takes the item put last (a stack). */
export class LifoQueue<T = unknown> extends Queue<T> {
  protected override ringOrder(): RingOrder {
    return 'lifo';
  }
}
