/**
 * Event: Python's `threading.Event` across worker threads.
 *
 * Shared memory (Int32Array over an 8-byte SharedArrayBuffer):
 *
 *   [0]  flag         1 set, 0 clear
 *   [1]  generation   +1 on every set(); waiters park on it
 *
 * Waiters park on the generation, not the flag: a `set()` followed at once by `clear()` still changes
 * the generation, so every thread that was waiting is released (and returns true), as in Python.
 */
import { wait, waitAsync } from '@weft/atomics-sync-shim';
import { bufferOf, registerKind } from './handle-kinds.js';
import { deadlineOf, remainingUntil, throwIfAborted, type WaitOptions } from './wait-options.js';

const FLAG = 0;
const GENERATION = 1;

/** What `toHandle` returns and `fromHandle` takes. */
export interface EventHandle {
  buffer: SharedArrayBuffer;
}

export class Event {
  private state!: Int32Array;

  constructor() {
    this.state = new Int32Array(new SharedArrayBuffer(8));
  }

  /** Rebuilds an Event over `handle`'s memory. @throws TypeError */
  static fromHandle(handle: EventHandle): Event {
    const event = Object.create(Event.prototype) as Event;
    event.state = new Int32Array(bufferOf(handle, 'Event', 8), 0, 2);
    return event;
  }

  /** The event's shared memory, for `fromHandle` in another thread. */
  toHandle(): EventHandle {
    return { buffer: this.state.buffer as SharedArrayBuffer };
  }

  /** Whether the flag is set. */
  isSet(): boolean {
    return Atomics.load(this.state, FLAG) === 1;
  }

  /** Sets the flag and wakes every waiter, in every thread. */
  set(): void {
    Atomics.store(this.state, FLAG, 1);
    Atomics.add(this.state, GENERATION, 1);
    Atomics.notify(this.state, GENERATION);
  }

  /** Clears the flag; later `wait` calls block until the next `set()`. */
  clear(): void {
    Atomics.store(this.state, FLAG, 0);
  }

  /**
   * Waits until the flag is set, without blocking the event loop.
   * @returns true when set (at once if already set); false when `timeout` passes first.
   * @throws ValueError for a bad timeout; rejects with `signal.reason` on abort.
   */
  async wait(options: WaitOptions = {}): Promise<boolean> {
    const deadline = deadlineOf(options.timeout);
    throwIfAborted(options.signal);
    const generation = Atomics.load(this.state, GENERATION);
    if (this.isSet()) return true;
    for (;;) {
      const left = remainingUntil(deadline);
      if (left <= 0) return this.isSet();
      await waitAsync(this.state, GENERATION, generation, left, { signal: options.signal, keepAlive: true });
      if (Atomics.load(this.state, GENERATION) !== generation) return true;
    }
  }

  /** Blocking twin of `wait`. */
  waitSync(options: WaitOptions = {}): boolean {
    const deadline = deadlineOf(options.timeout);
    throwIfAborted(options.signal);
    const generation = Atomics.load(this.state, GENERATION);
    if (this.isSet()) return true;
    for (;;) {
      const left = remainingUntil(deadline);
      if (left <= 0) return this.isSet();
      wait(this.state, GENERATION, generation, left);
      if (Atomics.load(this.state, GENERATION) !== generation) return true;
    }
  }
}

registerKind<Event, EventHandle>({
  name: '@weft/lock#Event',
  type: Event,
  toHandle: (event) => event.toHandle(),
  fromHandle: (handle) => Event.fromHandle(handle),
});
