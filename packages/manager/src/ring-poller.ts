/**
 * One loop per thread reads every shared-memory transport of that thread.
 *
 * Waking a parked thread costs tens of microseconds on a virtual machine, more than a whole proxy
 * call; so after any traffic the loop stays hot for a short while, re-checking every ring between
 * turns of the event loop (setImmediate, so sockets, timers and promise callbacks still run). Once
 * nothing has moved for the hot window it parks on Atomics.waitAsync, one native waiter per ring,
 * and costs no CPU. It keeps the thread alive only while some transport has a reader waiting.
 */
import { waitAsync } from '@weft/atomics-sync-shim';
import { markParked } from './shared-ring.js';

// The hot window adapts like the shim's spin budget: it doubles when staying hot caught a message
// and halves when it did not, so a machine with no core to spare soon parks at once.
const MIN_HOT_MS = 0.01;
const MAX_HOT_MS = 1;
const SPIN_MS = 0.03;
const KEEP_ALIVE_MS = 2 ** 30;

export interface PolledRing {
  readonly i32: Int32Array;
  readonly dataSignal: number;
  /** The data signal's value when the ring was last drained. */
  readonly seenSignal: number;
  /** A reader is waiting: keep the thread alive. */
  readonly active: boolean;
  armed: boolean;
  /** Drains the ring; true if anything arrived. */
  poll(): boolean;
}

const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));

class RingPoller {
  private readonly members = new Set<PolledRing>();
  private running = false;
  private wake: (() => void) | undefined;
  private hotWindow = 0.2;
  private keeper: ReturnType<typeof setInterval> | undefined;

  add(ring: PolledRing): void {
    this.members.add(ring);
    this.kick();
  }

  remove(ring: PolledRing): void {
    this.members.delete(ring);
  }

  /** Something changed (a ring became active, or was written to): make sure the loop runs. */
  kick(): void {
    this.wakeParked();
    if (!this.running && this.members.size > 0) {
      this.running = true;
      void this.loop();
    }
  }

  private wakeParked(): void {
    const wake = this.wake;
    if (wake) {
      this.wake = undefined;
      wake();
    }
  }

  private async loop(): Promise<void> {
    let lastBusy = performance.now();
    let hotSince: number | undefined;
    try {
      while (this.members.size > 0) {
        let busy = false;
        for (const ring of this.members) if (ring.poll()) busy = true;
        const now = performance.now();
        if (busy) {
          if (hotSince !== undefined) this.hotWindow = Math.min(MAX_HOT_MS, this.hotWindow * 2);
          hotSince = undefined;
          lastBusy = now;
        } else if (hotSince === undefined) {
          hotSince = now;
        }
        if (now - lastBusy < this.hotWindow) {
          // A peer usually answers within microseconds: catch that without a trip round the loop.
          if (!busy && this.spinForSignal()) continue;
          await immediate();
          continue;
        }
        this.hotWindow = Math.max(MIN_HOT_MS, this.hotWindow / 2);
        hotSince = undefined;
        await this.park();
        lastBusy = performance.now();
      }
    } finally {
      this.running = false;
    }
  }

  /** Spins up to SPIN_MS for any ring's data signal to move; true if one did. */
  private spinForSignal(): boolean {
    const rings = [...this.members];
    const until = performance.now() + SPIN_MS;
    for (;;) {
      for (let round = 0; round < 64; round++) {
        for (const ring of rings) {
          if (Atomics.load(ring.i32, ring.dataSignal) !== ring.seenSignal) return true;
        }
      }
      if (performance.now() > until) return false;
    }
  }

  private park(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        this.keeper?.unref();
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
      let anyActive = false;
      for (const ring of this.members) {
        if (ring.active) anyActive = true;
        if (ring.armed) continue;
        ring.armed = true;
        // This waiter may outlive this park (the loop can be kicked awake by something else); it
        // then wakes whichever park is current, so no change of the word goes unnoticed.
        markParked(ring.i32, ring.dataSignal, true);
        void waitAsync(ring.i32, ring.dataSignal, ring.seenSignal, undefined, { spin: 0 }).then(() => {
          markParked(ring.i32, ring.dataSignal, false);
          ring.armed = false;
          this.wakeParked();
        });
      }
      if (anyActive) {
        // One timer for the thread's lifetime, ref'd only while parked for an active reader.
        this.keeper ??= setInterval(() => {}, KEEP_ALIVE_MS);
        this.keeper.ref();
      }
    });
  }
}

/** The poller of this thread. */
export const ringPoller = new RingPoller();
