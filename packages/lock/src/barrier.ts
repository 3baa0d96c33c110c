/**
 * Barrier: Python's `threading.Barrier` across worker threads, over a Condition whose lock guards the
 * words below.
 *
 * Shared memory (Int32Array over a 20-byte SharedArrayBuffer), plus the Condition's and its Lock's:
 *
 *   [0]  phase        FILLING 0 | RESETTING -1 | BROKEN -2
 *   [1]  count        parties waiting in the current cycle
 *   [2]  parties      fixed at construction
 *   [3]  timeout      default wait timeout in ms, -1 for none
 *   [4]  generation   +1 each time the barrier trips (and only then)
 *
 * Python's state machine with one change: where CPython keeps a DRAINING phase (the next cycle may not
 * start until every released thread has left), a waiter here remembers the generation it arrived in and
 * has passed exactly when that generation has moved on. The generation moves only by a trip, so a
 * waiter woken late cannot mistake a later break or reset for its release, and the thread that trips
 * the barrier may start the next cycle at once: one hand-off per cycle instead of two. Breaking (abort,
 * a timeout, a failing action) and reset() work as in Python: every waiter of the current cycle gets
 * BrokenBarrierError, and a reset that finds waiters lets them leave (RESETTING) before a new cycle.
 */
import { Condition, type ConditionHandle } from './condition.js';
import { BrokenBarrierError, OwnerDiedError, ValueError } from './errors.js';
import { bufferOf, registerKind } from './handle-kinds.js';
import { Lock } from './lock.js';
import { deadlineOf, remainingUntil, throwIfAborted, type WaitOptions } from './wait-options.js';

const PHASE = 0;
const COUNT = 1;
const PARTIES = 2;
const TIMEOUT = 3;
const GENERATION = 4;
const WORDS = 5;

const FILLING = 0;
const RESETTING = -1;
const BROKEN = -2;

export interface BarrierOptions {
  /**
   * Called by the last thread to arrive, before any waiter is released; if it throws, the barrier
   * breaks and that error reaches the caller. A function cannot cross to another thread: a Barrier
   * rebuilt in a worker has no action unless that worker gives it one (`Barrier.fromHandle(h, { action })`).
   */
  action?: (() => void) | undefined;
  /** Default timeout of `wait()` in ms (absent: forever). */
  timeout?: number | undefined;
}

/** What `toHandle` returns and `fromHandle` takes. */
export interface BarrierHandle {
  buffer: SharedArrayBuffer;
  condition: ConditionHandle;
}

export class Barrier {
  private state!: Int32Array;
  private condition!: Condition;
  private action: (() => void) | undefined;

  /** @throws ValueError if `parties` is not a positive integer or `timeout` is bad. */
  constructor(parties: number, options: BarrierOptions = {}) {
    if (!Number.isInteger(parties) || parties < 1 || parties > 0x7fffffff) {
      throw new ValueError(
        `parties must be a positive integer, got ${String(parties)}`,
        'ERR_BARRIER_PARTIES',
      );
    }
    if (options.timeout !== undefined) deadlineOf(options.timeout);
    this.state = new Int32Array(new SharedArrayBuffer(4 * WORDS));
    this.state[PARTIES] = parties;
    const timeout = options.timeout;
    this.state[TIMEOUT] =
      timeout === undefined || timeout === Number.POSITIVE_INFINITY
        ? -1
        : Math.min(0x7fffffff, Math.ceil(timeout));
    this.condition = new Condition(new Lock());
    this.action = options.action;
  }

  /** Rebuilds a Barrier over `handle`'s memory; `options.action` gives this thread's copy an action. */
  static fromHandle(handle: BarrierHandle, options: Pick<BarrierOptions, 'action'> = {}): Barrier {
    const barrier = Object.create(Barrier.prototype) as Barrier;
    barrier.state = new Int32Array(bufferOf(handle, 'Barrier', 4 * WORDS), 0, WORDS);
    barrier.condition = Condition.fromHandle(handle.condition);
    barrier.action = options.action;
    return barrier;
  }

  /** The barrier's shared memory, for `fromHandle` in another thread (the action stays here). */
  toHandle(): BarrierHandle {
    return { buffer: this.state.buffer as SharedArrayBuffer, condition: this.condition.toHandle() };
  }

  /** The number of threads required to pass the barrier. */
  get parties(): number {
    return this.state[PARTIES]!;
  }

  /** The number of threads waiting in the current cycle (a snapshot). */
  get nWaiting(): number {
    return Atomics.load(this.state, PHASE) === FILLING ? Atomics.load(this.state, COUNT) : 0;
  }

  /** Whether the barrier is broken (until `reset()`). */
  get broken(): boolean {
    return Atomics.load(this.state, PHASE) === BROKEN;
  }

  private phase(): number {
    return Atomics.load(this.state, PHASE);
  }

  private setPhase(phase: number): void {
    Atomics.store(this.state, PHASE, phase);
    this.condition.notifyAll();
  }

  private deadline(options: WaitOptions): number {
    if (options.timeout !== undefined) return deadlineOf(options.timeout);
    const fallback = this.state[TIMEOUT]!;
    return fallback < 0 ? Number.POSITIVE_INFINITY : deadlineOf(fallback);
  }

  private timeoutLeft(deadline: number): number | undefined {
    return deadline === Number.POSITIVE_INFINITY ? undefined : remainingUntil(deadline);
  }

  private generation(): number {
    return Atomics.load(this.state, GENERATION);
  }

  /** Holding the lock, as the last party: run the action, then release this cycle. */
  private trip(): void {
    try {
      this.action?.();
    } catch (error) {
      this.leave();
      this.setPhase(BROKEN);
      throw error;
    }
    Atomics.store(this.state, COUNT, 0);
    Atomics.add(this.state, GENERATION, 1);
    this.condition.notifyAll();
  }

  /** Holding the lock: a waiter of the current cycle leaves without passing. */
  private leave(): void {
    const count = Atomics.sub(this.state, COUNT, 1) - 1;
    if (count === 0 && this.phase() === RESETTING) this.setPhase(FILLING);
  }

  /** Holding the lock, after waiting: pass, or leave with the right error. */
  private settle(generation: number, index: number, waited: boolean): number {
    if (this.generation() !== generation) return index;
    this.leave();
    if (!waited) {
      if (this.phase() === FILLING) this.setPhase(BROKEN);
      throw new BrokenBarrierError('timed out waiting at the barrier');
    }
    throw new BrokenBarrierError();
  }

  /**
   * Waits until `parties` threads have called `wait`, without blocking the event loop.
   * @returns this thread's arrival index, 0 .. parties-1 (the last to arrive gets parties-1).
   * @throws BrokenBarrierError if the barrier is or becomes broken (abort, reset, a waiter's timeout —
   *   which also breaks it for everyone, as in Python — or the action throwing); the action's own error
   *   for the thread that ran it; ValueError for a bad timeout; rejects with `signal.reason` on abort,
   *   which breaks the barrier (the cycle can no longer complete as planned) unless it had just passed.
   */
  async wait(options: WaitOptions = {}): Promise<number> {
    const deadline = this.deadline(options);
    throwIfAborted(options.signal);
    const condition = this.condition;
    // Taken synchronously when free: the arrival is then counted before `wait()` returns, so that a
    // reset() or abort() that this thread calls next breaks this wait, as it would in Python.
    if (!condition.acquireSync({ blocking: false })) await condition.acquire();
    // False once an OwnerDiedError says the lock's holder died while this wait re-took it (not held).
    let held = true;
    try {
      while (this.phase() === RESETTING) {
        await condition.wait({ timeout: this.timeoutLeft(deadline), signal: options.signal });
        if (remainingUntil(deadline) <= 0 && this.phase() === RESETTING) {
          throw new BrokenBarrierError('timed out waiting for the barrier to finish resetting');
        }
      }
      if (this.phase() === BROKEN) throw new BrokenBarrierError();
      const generation = this.generation();
      const index = Atomics.add(this.state, COUNT, 1);
      if (index + 1 === this.parties) {
        this.trip();
        return index;
      }
      let waited: boolean;
      try {
        waited = await condition.waitFor(() => this.generation() !== generation || this.phase() !== FILLING, {
          timeout: this.timeoutLeft(deadline),
          signal: options.signal,
        });
      } catch (error) {
        // The lock's holder died while this wait was re-taking it: it is not held here, touch nothing.
        if (error instanceof OwnerDiedError) throw error;
        if (this.generation() !== generation) return index;
        this.leave();
        if (this.phase() === FILLING) this.setPhase(BROKEN);
        throw error;
      }
      return this.settle(generation, index, waited);
    } catch (error) {
      if (error instanceof OwnerDiedError) held = false;
      throw error;
    } finally {
      if (held) condition.release();
    }
  }

  /** Blocking twin of `wait`. */
  waitSync(options: WaitOptions = {}): number {
    const deadline = this.deadline(options);
    throwIfAborted(options.signal);
    const condition = this.condition;
    condition.acquireSync();
    let held = true;
    try {
      while (this.phase() === RESETTING) {
        condition.waitSync({ timeout: this.timeoutLeft(deadline) });
        if (remainingUntil(deadline) <= 0 && this.phase() === RESETTING) {
          throw new BrokenBarrierError('timed out waiting for the barrier to finish resetting');
        }
      }
      if (this.phase() === BROKEN) throw new BrokenBarrierError();
      const generation = this.generation();
      const index = Atomics.add(this.state, COUNT, 1);
      if (index + 1 === this.parties) {
        this.trip();
        return index;
      }
      const waited = condition.waitForSync(
        () => this.generation() !== generation || this.phase() !== FILLING,
        {
          timeout: this.timeoutLeft(deadline),
        },
      );
      return this.settle(generation, index, waited);
    } catch (error) {
      if (error instanceof OwnerDiedError) held = false;
      throw error;
    } finally {
      if (held) condition.release();
    }
  }

  /**
   * Returns the barrier to its initial state; threads waiting in it get BrokenBarrierError.
   * Blocks the calling thread briefly for the internal lock (never across a wait).
   */
  reset(): void {
    this.underLock(() => {
      if (Atomics.load(this.state, COUNT) > 0) this.setPhase(RESETTING);
      else this.setPhase(FILLING);
    });
  }

  /** Breaks the barrier: current and future `wait` calls throw BrokenBarrierError until `reset()`. */
  abort(): void {
    this.underLock(() => this.setPhase(BROKEN));
  }

  /**
   * Runs `change` holding the internal lock. When this thread holds it already, the holder is one of
   * its own async `wait()` calls, suspended between two steps (it never holds the lock across a
   * wait, only across the turn of the event loop that resumes it): blocking for it would freeze the
   * thread for good, and `change` may run now, since that wait looks at the state again when it
   * resumes.
   */
  private underLock(change: () => void): void {
    const lock = this.condition;
    if (lock.isOwnedByCurrentThread()) change();
    else lock.withLockSync(change);
  }
}

registerKind<Barrier, BarrierHandle>({
  name: '@weft/lock#Barrier',
  type: Barrier,
  toHandle: (barrier: Barrier) => barrier.toHandle(),
  fromHandle: (handle: BarrierHandle) => Barrier.fromHandle(handle),
});
