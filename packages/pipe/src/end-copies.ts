/**
 * Who holds the copies of a pipe's ends, so that copies held by a thread that died are closed for it
 * (as an OS closes a dead process's file descriptors, which is how Python's receiver gets EOFError
 * when its child dies).
 *
 * The ends buffer (Int32 words), shared by both ends of one pipe:
 *
 * ```
 * word 0               open copies of end 0: copies held by threads plus copies in flight (encoded,
 *                      not yet decoded)
 * word 1               open copies of end 1
 * word 2 + 3s          slot s (0 <= s < HOLDER_SLOTS): owner id of a thread holding copies (0: free;
 *                      -1: being reaped), owner ids as @weft/lock's
 * word 3 + 3s, 4 + 3s  copies of end 0 and end 1 that this thread holds
 * ```
 *
 * A thread counts a copy in its slot when it makes or decodes one and uncounts it when it closes it
 * (before the open-copies word: a thread that dies between the two leaves one copy counted, so the
 * peer misses an EOF rather than getting one too early). A receiver that waits looks, every
 * OWNER_CHECK_MS, for slots of exited threads: it takes such a slot over (one compareExchange, so
 * exactly one thread does), subtracts its copies from the open-copies words and frees it. A thread
 * that finds no free slot (more than HOLDER_SLOTS threads hold copies at once) holds its copy
 * uncounted: it is closed when the thread closes it, never for it.
 */
import { currentOwnerId, hasThreadExited, threadIdOfOwner } from '@weft/lock';

/** Threads that can hold copies of one pipe's ends at once and be reaped when they die. */
export const HOLDER_SLOTS = 32;
/** Bytes of an ends buffer. */
export const ENDS_BYTES = 4 * (2 + 3 * HOLDER_SLOTS);
/** A waiting receiver looks for dead holders this often. */
export const OWNER_CHECK_MS = 50;

const REAPING = -1;

function ownerWord(slot: number): number {
  return 2 + 3 * slot;
}

/** Counts a copy of end `index` as held by this thread. @returns its slot, or -1 when untracked. */
export function countCopy(ends: Int32Array, index: 0 | 1): number {
  if (ends.length < 2 + 3 * HOLDER_SLOTS) return -1;
  let free = -1;
  for (let slot = 0; slot < HOLDER_SLOTS; slot++) {
    const owner = Atomics.load(ends, ownerWord(slot));
    if (owner === currentOwnerId) {
      Atomics.add(ends, ownerWord(slot) + 1 + index, 1);
      return slot;
    }
    if (owner === 0 && free < 0) free = slot;
  }
  for (let slot = Math.max(free, 0); slot < HOLDER_SLOTS; slot++) {
    if (Atomics.compareExchange(ends, ownerWord(slot), 0, currentOwnerId) === 0) {
      Atomics.add(ends, ownerWord(slot) + 1 + index, 1);
      return slot;
    }
  }
  return -1;
}

/** Uncounts a copy of end `index` that this thread held in `slot` (from `countCopy`). */
export function uncountCopy(ends: Int32Array, slot: number, index: 0 | 1): void {
  if (slot >= 0) Atomics.sub(ends, ownerWord(slot) + 1 + index, 1);
}

/**
 * Closes the copies held by threads that have exited.
 * @returns for each end, whether its last open copy was closed here (the caller closes its rings).
 */
export function reapDeadHolders(ends: Int32Array): [boolean, boolean] {
  const lastClosed: [boolean, boolean] = [false, false];
  if (ends.length < 2 + 3 * HOLDER_SLOTS) return lastClosed;
  for (let slot = 0; slot < HOLDER_SLOTS; slot++) {
    const word = ownerWord(slot);
    const owner = Atomics.load(ends, word);
    if (owner === 0 || owner === REAPING || !hasThreadExited(threadIdOfOwner(owner))) continue;
    if (Atomics.compareExchange(ends, word, owner, REAPING) !== owner) continue;
    for (const index of [0, 1] as const) {
      const copies = Atomics.exchange(ends, word + 1 + index, 0);
      if (copies > 0 && Atomics.sub(ends, index, copies) === copies) lastClosed[index] = true;
    }
    Atomics.store(ends, word, 0);
  }
  return lastClosed;
}
