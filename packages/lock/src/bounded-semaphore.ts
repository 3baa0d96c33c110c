/**
 * BoundedSemaphore: a Semaphore that refuses to be released above its initial value (Python's
 * `threading.BoundedSemaphore`), catching a release without a matching acquire.
 *
 * Shared memory: Semaphore's layout (semaphore.ts) with [2] bounded = 1 and [3] bound = initial value.
 */

import { ValueError } from './errors.js';
import { registerKind } from './handle-kinds.js';
import {
  SEMAPHORE_BOUND,
  SEMAPHORE_BOUNDED,
  SEMAPHORE_VALUE,
  Semaphore,
  type SemaphoreHandle,
  setBoundedPrototype,
} from './semaphore.js';

export class BoundedSemaphore extends Semaphore {
  /** @throws ValueError if `value` is negative or not an integer. */
  constructor(value = 1) {
    super(value);
    this.state[SEMAPHORE_BOUNDED] = 1;
  }

  /** Rebuilds a BoundedSemaphore over `handle`'s memory. @throws TypeError */
  static override fromHandle(handle: SemaphoreHandle): BoundedSemaphore {
    const semaphore = Semaphore.fromHandle(handle);
    if (!(semaphore instanceof BoundedSemaphore)) throw new TypeError('not a BoundedSemaphore handle');
    return semaphore;
  }

  /** The ceiling: the initial value. */
  get bound(): number {
    return this.state[SEMAPHORE_BOUND]!;
  }

  /** @internal @throws ValueError ('Semaphore released too many times') above the bound; nothing is added. */
  protected override addPermits(n: number): void {
    const bound = this.state[SEMAPHORE_BOUND]!;
    for (;;) {
      const value = Atomics.load(this.state, SEMAPHORE_VALUE);
      if (value + n > bound) throw new ValueError('Semaphore released too many times', 'ERR_OVER_RELEASE');
      if (Atomics.compareExchange(this.state, SEMAPHORE_VALUE, value, value + n) === value) return;
    }
  }
}

setBoundedPrototype(BoundedSemaphore.prototype);

registerKind<BoundedSemaphore, SemaphoreHandle>({
  name: '@weft/lock#BoundedSemaphore',
  type: BoundedSemaphore,
  toHandle: (semaphore) => semaphore.toHandle(),
  fromHandle: (handle) => BoundedSemaphore.fromHandle(handle),
});
