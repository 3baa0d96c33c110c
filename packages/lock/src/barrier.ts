/**
 * Barrier: Python's `threading.Barrier` across worker threads — Python's own state machine, over a
 * Condition whose lock guards the words below.
 *
 * Shared memory (Int32Array over a 16-byte SharedArrayBuffer), plus the Condition's and its Lock's:
 *
 *   [0]  phase     FILLING 0 | DRAINING 1 | RESETTING -1 | BROKEN -2
 *   [1]  count     parties inside wait() in this cycle (arrived, or still draining out)
 *   [2]  parties   fixed at construction
 *   [3]  timeout   default wait timeout in ms, -1 for none
 *
 * As in Python, a cycle's waiters drain out (DRAINING) before the next cycle may start filling, so a
 * fast thread cannot lap a slow one; and breaking the barrier wakes every waiter with BrokenBarrierError.
 */

import { Condition, type ConditionHandle } from './condition.js';
import { BrokenBarrierError, ValueError } from './errors.js';
import { bufferOf, registerKind } from './handle-kinds.js';
import { Lock } from './lock.js';
import { deadlineOf, remainingUntil, throwIfAborted, type WaitOptions } from './wait-options.js';

const PHASE = 0;
const COUNT = 1;
const PARTIES = 2;
const TIMEOUT = 3;

const FILLING = 0;
const DRAINING = 1;
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
    this.state = new Int32Array(new SharedArrayBuffer(16));
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
    barrier.state = new Int32Array(bufferOf(handle, 'Barrier', 16), 0, 4);
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

  /** Called holding the lock, after arriving as the last party. */
  private trip(): void {
    try {
      this.action?.();
      this.setPhase(DRAINING);
    } catch (error) {
      this.setPhase(BROKEN);
      throw error;
    }
  }

  /** Called holding the lock by every party on its way out. */
  private exit(): void {
    const count = Atomics.sub(this.state, COUNT, 1) - 1;
    if (count === 0) {
      const phase = this.phase();
      if (phase === RESETTING || phase === DRAINING) this.setPhase(FILLING);
    }
  }

  /**
   * Waits until `parties` threads have called `wait`, without blocking the event loop.
   * @returns this thread's arrival index, 0 .. parties-1 (the last to arrive gets parties-1).
   * @throws BrokenBarrierError if the barrier is or becomes broken (abort, reset, a waiter's timeout —
   *   which also breaks it for everyone, as in Python — or the action throwing); the action's own error
   *   for the thread that ran it; ValueError for a bad timeout; rejects with `signal.reason` on abort
   *   (which breaks the barrier too, since the cycle can no longer complete as planned).
   */
  async wait(options: WaitOptions = {}): Promise<number> {
    const deadline = this.deadline(options);
    throwIfAborted(options.signal);
    const condition = this.condition;
    await condition.acquire();
    try {
      while (this.phase() === DRAINING || this.phase() === RESETTING) {
        await condition.wait({ timeout: this.timeoutLeft(deadline), signal: options.signal });
        if (remainingUntil(deadline) <= 0 && (this.phase() === DRAINING || this.phase() === RESETTING)) {
          throw new BrokenBarrierError('timed out waiting for the previous barrier cycle to drain');
        }
      }
      if (this.phase() === BROKEN) throw new BrokenBarrierError();
      const index = Atomics.add(this.state, COUNT, 1);
      try {
        if (index + 1 === this.parties) {
          this.trip();
        } else {
          let passed: number;
          try {
            passed = (await condition.waitFor(() => this.phase() !== FILLING, {
              timeout: this.timeoutLeft(deadline),
              signal: options.signal,
            }))
              ? 1
              : 0;
          } catch (error) {
            this.setPhase(BROKEN);
            throw error;
          }
          if (!passed) {
            this.setPhase(BROKEN);
            throw new BrokenBarrierError('timed out waiting at the barrier');
          }
          if (this.phase() < 0) throw new BrokenBarrierError();
        }
        return index;
      } finally {
        this.exit();
      }
    } finally {
      condition.release();
    }
  }

  /** Blocking twin of `wait`. */
  waitSync(options: WaitOptions = {}): number {
    const deadline = this.deadline(options);
    throwIfAborted(options.signal);
    const condition = this.condition;
    condition.acquireSync();
    try {
      while (this.phase() === DRAINING || this.phase() === RESETTING) {
        condition.waitSync({ timeout: this.timeoutLeft(deadline) });
        if (remainingUntil(deadline) <= 0 && (this.phase() === DRAINING || this.phase() === RESETTING)) {
          throw new BrokenBarrierError('timed out waiting for the previous barrier cycle to drain');
        }
      }
      if (this.phase() === BROKEN) throw new BrokenBarrierError();
      const index = Atomics.add(this.state, COUNT, 1);
      try {
        if (index + 1 === this.parties) {
          this.trip();
        } else {
          const passed = condition.waitForSync(() => this.phase() !== FILLING, {
            timeout: this.timeoutLeft(deadline),
          });
          if (!passed) {
            this.setPhase(BROKEN);
            throw new BrokenBarrierError('timed out waiting at the barrier');
          }
          if (this.phase() < 0) throw new BrokenBarrierError();
        }
        return index;
      } finally {
        this.exit();
      }
    } finally {
      condition.release();
    }
  }

  /**
   * Returns the barrier to its initial state; threads waiting in it get BrokenBarrierError.
   * Blocks the calling thread briefly for the internal lock (never across a wait).
   */
  reset(): void {
    this.condition.withLockSync(() => {
      if (Atomics.load(this.state, COUNT) > 0) {
        const phase = this.phase();
        if (phase === FILLING || phase === BROKEN) this.setPhase(RESETTING);
        else this.condition.notifyAll();
      } else {
        this.setPhase(FILLING);
      }
    });
  }

  /** Breaks the barrier: current and future `wait` calls throw BrokenBarrierError until `reset()`. */
  abort(): void {
    this.condition.withLockSync(() => this.setPhase(BROKEN));
  }
}

registerKind<Barrier, BarrierHandle>({
  name: '@weft/lock#Barrier',
  type: Barrier,
  toHandle: (barrier: Barrier) => barrier.toHandle(),
  fromHandle: (handle: BarrierHandle) => Barrier.fromHandle(handle),
});
