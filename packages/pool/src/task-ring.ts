/**
 * The task ring: where the main thread publishes tasks and idle workers take them (workers pull).
 *
 * control (Int32Array over a SharedArrayBuffer):
 *   word 0  TAIL         slots published; written by the main thread only, then notified
 *   word 1  HEAD         slots claimed; a worker claims slot HEAD with compareExchange(HEAD, h, h + 1)
 *   word 2  SLEEPERS     workers parked on TAIL; the main thread notifies only when it is not 0
 *   word 3  RESULTS      bumped by a worker after it publishes a result; the main thread parks on it
 *   word 4  MAIN_PARKED  1 while the main thread waits on RESULTS; the first worker to see it notifies
 *   word 5  SHUTDOWN     1: workers leave their loop
 *   word 6  LOOKING      workers awake between tasks (claiming or spinning), not running one and not
 *                        parked; while one is looking the main thread need not notify (it will see
 *                        the task), and a worker that claims a task with more queued behind it
 *                        wakes a sleeper itself. May undercount (never overcount) after a crash.
 *   word 7  WAKING       1 from a notify of the main thread until a sleeper leaves its park (any
 *                        sleeper clears it): a woken worker is on its way, so the main thread does
 *                        not notify again meanwhile; once awake, that worker wakes more if needed.
 *                        A worker entering its park clears it too, so that a notify that found no
 *                        sleeper left (the last one was leaving) cannot silence the next ones.
 *   word 16 + 8 * slot   slot words:
 *     +0 state   EMPTY -> FILLED (main) -> CLAIMING -> TAKEN (worker) -> EMPTY (main, reclaim)
 *                FILLED -> CANCELLED (main, cancel) -> SKIPPED (worker) -> EMPTY
 *     +1 task id  +2 function id  +3 mode  +4 payload offset  +5 payload size  +6 payload tag  +7 flags
 *
 * arena: a growable SharedArrayBuffer holding the payloads (args, chunks). The main thread allocates
 * in slot order and frees in slot order (on reclaim), so it is a circular buffer whose oldest live
 * region always belongs to the oldest unreclaimed slot. It grows (in place: views track the length)
 * while it has not wrapped; a payload that fits nowhere waits in the main thread's backlog.
 *
 * Indices count up forever as int32 (wrapping at 2^31 is harmless: only equality and masks are used).
 * Every cross-thread handoff goes through a seq-cst Atomics store/load on the word that publishes it.
 */
import { type Encoded, type MemoryViews, viewsOf, writePayload } from './payload.js';

export const TAIL = 0;
export const HEAD = 1;
export const SLEEPERS = 2;
export const RESULTS = 3;
export const MAIN_PARKED = 4;
export const SHUTDOWN = 5;
export const LOOKING = 6;
export const WAKING = 7;

const SLOTS_BASE = 16;
const SLOT_WORDS = 8;
export const SLOT_STATE = 0;
export const SLOT_TASK = 1;
export const SLOT_FUNCTION = 2;
export const SLOT_MODE = 3;
export const SLOT_OFFSET = 4;
export const SLOT_SIZE = 5;
export const SLOT_TAG = 6;
export const SLOT_FLAGS = 7;

export const EMPTY = 0;
export const FILLED = 1;
export const CLAIMING = 2;
export const TAKEN = 3;
export const CANCELLED = 4;
export const SKIPPED = 5;

/** Slot flag: the main thread wants to hear when a worker takes the task (onStart). */
export const FLAG_REPORT_START = 1;

export const SLOT_COUNT = 65536;
const INITIAL_ARENA = 1 << 20;
const MAX_ARENA = 1 << 30;

export function slotWord(slot: number, word: number): number {
  return SLOTS_BASE + (slot & (SLOT_COUNT - 1)) * SLOT_WORDS + word;
}

/** A growable SharedArrayBuffer (ES2024; typed here because the compiler's lib predates it). */
export interface GrowableSharedArrayBuffer extends SharedArrayBuffer {
  readonly maxByteLength: number;
  grow(newLength: number): void;
}

export interface RingMemory {
  control: SharedArrayBuffer;
  arena: GrowableSharedArrayBuffer;
}

const GrowableSAB = SharedArrayBuffer as unknown as new (
  length: number,
  options: { maxByteLength: number },
) => GrowableSharedArrayBuffer;

export function createRingMemory(): RingMemory {
  return {
    control: new SharedArrayBuffer((SLOTS_BASE + SLOT_COUNT * SLOT_WORDS) * 4),
    arena: new GrowableSAB(INITIAL_ARENA, { maxByteLength: MAX_ARENA }),
  };
}

const align8 = (n: number) => (n + 7) & ~7;

/** The main thread's side: publish, cancel, reclaim. */
export class TaskRingWriter {
  readonly control: Int32Array;
  private tail = 0;
  private reclaimed = 0;
  private arenaHead = 0;
  private arenaTail = 0;
  private wrapped = false;
  private readonly views: MemoryViews;

  constructor(readonly memory: RingMemory) {
    this.control = new Int32Array(memory.control);
    this.views = viewsOf(memory.arena);
  }

  /** Whether nothing is published and unreclaimed. */
  get idle(): boolean {
    return this.reclaimed === this.tail;
  }

  /**
   * Publishes one task; returns its slot index, or -1 when the ring or the arena is full right now.
   * @throws RangeError when the payload is larger than the arena can ever grow.
   */
  publish(taskId: number, functionId: number, mode: number, flags: number, payload: Encoded): number {
    const c = this.control;
    if (((this.tail - this.reclaimed) | 0) >= SLOT_COUNT) return -1;
    const offset = this.allocate(payload.size);
    if (offset < 0) return -1;
    writePayload(this.views, offset, payload);
    const slot = this.tail;
    const base = slotWord(slot, 0);
    c[base + SLOT_TASK] = taskId;
    c[base + SLOT_FUNCTION] = functionId;
    c[base + SLOT_MODE] = mode;
    c[base + SLOT_OFFSET] = offset;
    c[base + SLOT_SIZE] = payload.size;
    c[base + SLOT_TAG] = payload.tag;
    c[base + SLOT_FLAGS] = flags;
    Atomics.store(c, base + SLOT_STATE, FILLED);
    this.tail = (slot + 1) | 0;
    Atomics.store(c, TAIL, this.tail);
    // A worker that is looking sees this task without a wake-up (see LOOKING): a notify of a parked
    // worker costs the main thread microseconds, more than the task itself.
    // Set before the notify, cleared by whichever sleeper leaves its park, so it is never left set
    // with no worker on its way.
    if (Atomics.load(c, SLEEPERS) !== 0 && Atomics.load(c, LOOKING) <= 0 && Atomics.load(c, WAKING) === 0) {
      Atomics.store(c, WAKING, 1);
      Atomics.notify(c, TAIL, 1);
    }
    return slot;
  }

  /** Withdraws a task no worker has taken yet; false if a worker already has it. */
  cancel(slot: number, taskId: number): boolean {
    const c = this.control;
    const base = slotWord(slot, 0);
    if (c[base + SLOT_TASK] !== taskId) return false;
    return Atomics.compareExchange(c, base + SLOT_STATE, FILLED, CANCELLED) === FILLED;
  }

  /** State of the slot that held `taskId` (EMPTY once reclaimed or reused). */
  stateOf(slot: number, taskId: number): number {
    const base = slotWord(slot, 0);
    if (this.control[base + SLOT_TASK] !== taskId) return EMPTY;
    return Atomics.load(this.control, base + SLOT_STATE);
  }

  /** Marks a slot a dead worker was claiming as done with, so reclaiming can pass it. */
  abandon(slot: number): void {
    Atomics.store(this.control, slotWord(slot, SLOT_STATE), SKIPPED);
  }

  /** Frees the slots (and arena regions) of tasks workers have taken; returns how many. */
  reclaim(): number {
    const c = this.control;
    const head = Atomics.load(c, HEAD);
    let freed = 0;
    while (this.reclaimed !== head) {
      const base = slotWord(this.reclaimed, 0);
      const state = Atomics.load(c, base + SLOT_STATE);
      if (state !== TAKEN && state !== SKIPPED) break;
      c[base + SLOT_STATE] = EMPTY;
      this.reclaimed = (this.reclaimed + 1) | 0;
      freed++;
    }
    if (freed > 0) {
      if (this.reclaimed === this.tail) {
        this.arenaHead = 0;
        this.arenaTail = 0;
        this.wrapped = false;
      } else {
        const oldest = c[slotWord(this.reclaimed, SLOT_OFFSET)]!;
        if (oldest < this.arenaTail) this.wrapped = false;
        this.arenaTail = oldest;
      }
    }
    return freed;
  }

  private allocate(size: number): number {
    const need = Math.max(8, align8(size));
    const arena = this.memory.arena;
    if (this.reclaimed === this.tail) {
      this.arenaHead = 0;
      this.arenaTail = 0;
      this.wrapped = false;
    }
    let offset: number;
    if (!this.wrapped) {
      if (arena.byteLength - this.arenaHead >= need) offset = this.arenaHead;
      else if (this.arenaTail > need) {
        offset = 0;
        this.wrapped = true;
      } else {
        const wanted = this.arenaHead + need;
        if (wanted > arena.maxByteLength) {
          if (this.reclaimed === this.tail)
            throw new RangeError(`a task payload of ${size} bytes is too large`);
          return -1;
        }
        arena.grow(Math.min(arena.maxByteLength, Math.max(wanted, arena.byteLength * 2)));
        offset = this.arenaHead;
      }
    } else {
      if (this.arenaHead + need >= this.arenaTail) return -1;
      offset = this.arenaHead;
    }
    this.arenaHead = offset + need;
    return offset;
  }
}
