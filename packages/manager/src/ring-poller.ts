/**
 * One loop per thread reads every shared-memory transport of that thread.
 *
 * Waking a parked thread costs tens of microseconds on a virtual machine, more than a whole proxy
 * call; so while traffic flows the loop stays hot, re-checking every ring between turns of the event
 * loop (setImmediate, so sockets, timers and promise callbacks still run) and spinning briefly on the
 * rings' signal words. Once nothing has moved for the hot window it parks on Atomics.waitAsync, one
 * native waiter per ring, and costs no CPU. It keeps the thread alive only while some transport has a
 * reader waiting.
 */
import { waitAsync } from '@weft/atomics-sync-shim';
import { markParked } from './shared-ring.js';

// Staying hot pays only while it catches the peer's answers soon. The loop keeps a running win
// rate: a frame caught while hot within WIN_MS (about what parking and waking would have cost) is
// a win; one caught later, or one that came after parking but within MAX_HOT_MS, is a loss (the
// window was too short, or the peer was slow to run, as on a machine with more busy threads than
// cores, where a spinning thread only holds off the peer it waits for); one that came later still
// says nothing (the thread was idle) and halves the window, so an idle thread soon parks at once.
// While the rate is below HOT_RATE the thread parks right after its turn, but tries the full
// window again every PROBE_EVERY waits, and a probe that wins puts it back on trial.
const MIN_HOT_MS = 0;
const MAX_HOT_MS = 0.1;
/** Win rate needed to stay hot: a lost wait costs a whole window, a won one saves only a wake-up. */
const HOT_RATE = 0.85;
/** Where a winning probe puts the rate: a couple of losses in a row send the thread back to parking. */
const TRIAL_RATE = 0.9;
/** Weight of each wait in the running rate: a hiccup or two (a GC pause) does not end a hot run. */
const RATE_STEP = 1 / 32;
const SPIN_MS = 0.05;
const WIN_MS = 0.05;
const PROBE_EVERY = 32;
const KEEP_ALIVE_MS = 2 ** 30;

type NativeWaitAsync = (
  i32: Int32Array,
  index: number,
  value: number,
) => { async: false; value: string } | { async: true; value: Promise<string> };
const nativeWaitAsync = (Atomics as unknown as { waitAsync?: NativeWaitAsync }).waitAsync;

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
  private hotWindow = MAX_HOT_MS / 4;
  private winRate = 1;
  private sinceProbe = 0;
  private probing = false;
  /** The last park was ended by this thread's own doing (a reader began to wait, a ring came). */
  private kicked = false;
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
    if (this.wake) this.kicked = true;
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
    // When this thread last finished its own work and began waiting for a peer.
    let waitingSince = performance.now();
    let parked = false;
    let hotUntil = 0;
    try {
      while (this.members.size > 0) {
        let busy = false;
        for (const ring of this.members) if (ring.poll()) busy = true;
        if (busy) {
          this.learn(performance.now() - waitingSince, parked);
          parked = false;
          // Let the frames' readers (promise callbacks) run, then wait for the peer's next move.
          await immediate();
          waitingSince = performance.now();
          hotUntil = 0;
          continue;
        }
        if (hotUntil === 0) hotUntil = waitingSince + this.window();
        if (!parked && performance.now() < hotUntil) {
          // A peer usually answers within microseconds: catch that without a trip round the loop.
          if (this.spinForSignal(hotUntil)) continue;
          // Still hot: go round the event loop once and look again. Past the window: park now.
          if (performance.now() < hotUntil) {
            await immediate();
            continue;
          }
        }
        parked = true;
        await this.park();
        if (this.kicked) {
          // This thread just sent something and waits for the answer: a new turn.
          this.kicked = false;
          parked = false;
          waitingSince = performance.now();
          hotUntil = 0;
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** The window to stay hot for after this thread's turn. */
  private window(): number {
    if (this.winRate >= HOT_RATE) return this.hotWindow;
    if (++this.sinceProbe < PROBE_EVERY) return MIN_HOT_MS;
    this.sinceProbe = 0;
    this.probing = true;
    return MAX_HOT_MS;
  }

  /** Learns from a frame that came `gapMs` after this thread's turn, caught while hot or not. */
  private learn(gapMs: number, afterPark: boolean): void {
    const probe = this.probing;
    this.probing = false;
    if (gapMs <= MAX_HOT_MS) {
      this.hotWindow = Math.min(MAX_HOT_MS, Math.max(this.hotWindow, gapMs * 2));
      if (!afterPark && gapMs <= WIN_MS) {
        this.winRate = probe
          ? Math.max(TRIAL_RATE, this.winRate)
          : this.winRate + (1 - this.winRate) * RATE_STEP;
      } else {
        this.winRate -= this.winRate * RATE_STEP;
      }
    } else if (afterPark) {
      this.hotWindow = Math.max(MIN_HOT_MS, this.hotWindow / 2);
    } else {
      this.winRate -= this.winRate * RATE_STEP;
    }
  }

  /** Spins up to SPIN_MS (and not past `hotUntil`) for any ring's data signal to move; true if one did. */
  private spinForSignal(hotUntil: number): boolean {
    const until = Math.min(hotUntil, performance.now() + SPIN_MS);
    for (;;) {
      for (let round = 0; round < 64; round++) {
        for (const ring of this.members) {
          if (Atomics.load(ring.i32, ring.dataSignal) !== ring.seenSignal) return true;
        }
      }
      if (performance.now() > until) return false;
    }
  }

  private park(): Promise<void> {
    // Say "parked" on every ring first, then look once more: a writer changes the word before it
    // reads the flag, so either we see its change here or it sees the flag and notifies.
    for (const ring of this.members) markParked(ring.i32, ring.dataSignal, true);
    for (const ring of this.members) {
      if (Atomics.load(ring.i32, ring.dataSignal) !== ring.seenSignal) {
        this.unmarkAll();
        return Promise.resolve();
      }
    }
    return new Promise<void>((resolve) => {
      const done = () => {
        this.keeper?.unref();
        this.wake = undefined;
        // Hot again: writers need not notify (a waiter still armed stays so, silently, until the
        // next park marks its ring again).
        this.unmarkAll();
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
        const woken = () => {
          ring.armed = false;
          this.wakeParked();
        };
        // The platform's own waiter where there is one: the fewest steps between a notify and us.
        const native = nativeWaitAsync?.(ring.i32, ring.dataSignal, ring.seenSignal);
        if (native === undefined) {
          void waitAsync(ring.i32, ring.dataSignal, ring.seenSignal, undefined, { spin: 0 }).then(woken);
        } else if (native.async) void native.value.then(woken);
        else queueMicrotask(woken); // the word moved since we looked
      }
      if (anyActive) {
        // One timer for the thread's lifetime, ref'd only while parked for an active reader.
        this.keeper ??= setInterval(() => {}, KEEP_ALIVE_MS);
        this.keeper.ref();
      }
    });
  }

  private unmarkAll(): void {
    for (const ring of this.members) markParked(ring.i32, ring.dataSignal, false);
  }
}

/** The poller of this thread. */
export const ringPoller = new RingPoller();
