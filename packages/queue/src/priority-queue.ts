import type { GoesBefore, RingOrder } from './byte-ring.js';
import { pythonLess } from './python-order.js';
import { Queue, type QueueOptions } from './queue.js';
import { decodeItem } from './wire.js';

export interface PriorityQueueOptions<T> extends QueueOptions {
  /**
   * Orders items instead of Python's `<`: negative when `a` comes out first. It must be
   * self-contained (no free variables): a queue passed to another thread takes its source along and
   * rebuilds it there.
   */
  compare?: ((a: T, b: T) => number) | undefined;
}

/**
 * Python's `queue.PriorityQueue`: `get` takes the lowest item first. By default items compare like
 * Python's `<`: numbers, strings, and arrays element by element (`[priority, data]` pairs, Python's
 * tuples); items Python would not compare raise `TypeError` from `put`, and nothing is put. Items
 * that compare equal come out in the order they were put.
 */
export class PriorityQueue<T = unknown> extends Queue<T> {
  /** The `compare` option, if any (undefined: Python's order). */
  readonly compare: ((a: T, b: T) => number) | undefined;

  /**
   * @param options `{ maxsize, compare }` — or, like Python's `PriorityQueue(5)`, the maxsize itself.
   */
  constructor(options: PriorityQueueOptions<T> | number = {}) {
    super(options);
    this.compare = typeof options === 'number' ? undefined : options.compare;
  }

  protected override ringOrder(): RingOrder {
    return 'sorted';
  }

  protected override placement(item: T): GoesBefore {
    const compare = this.compare;
    if (compare) return (existing) => compare(item, decodeItem(existing) as T) < 0;
    return (existing) => pythonLess(item, decodeItem(existing));
  }
}
