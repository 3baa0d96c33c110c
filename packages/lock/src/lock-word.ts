/**
 * The mutex engine shared by Lock and RLock: one Int32 word, futex style.
 *
 *   word = 0              unlocked
 *   word = owner          locked by `owner` (an even owner id, see thread-identity.ts), nobody parked
 *   word = owner | 1      locked, and some thread may be parked: the releaser must notify
 *
 * Keeping the owner in the lock word itself makes the uncontended path one compareExchange to acquire
 * and one exchange to release, and lets every waiter see who holds the lock (diagnostics, dead owners).
 * A thread that had to wait always takes the lock as `me | 1`: it cannot know whether others still wait
 * (Drepper's "futexes are tricky", mutex 2), so at worst the next release pays one needless notify.
 *
 * Parked waiters wake at least every OWNER_CHECK_MS to see whether the holder has exited; that bounded
 * wake-up is how a lock whose owner died never hangs its waiters silently.
 */
import { wait, waitAsync } from '@weft/atomics-sync-shim';
import { OwnerDiedError } from './errors.js';
import { hasThreadExited, threadIdOfOwner } from './thread-identity.js';
import { type Deadline, remainingUntil } from './wait-options.js';

export const OWNER_CHECK_MS = 250;

/**
 * Reads of a held word before announcing ourselves as a waiter. Critical sections are usually a few
 * hundred nanoseconds; catching the release here takes the lock without the waiters bit, so the next
 * release needs no notify (a system call).
 */
const SPIN_BEFORE_WAITING = 200;

/** Spins briefly for the word to be released, taking it as `me` (no waiters bit) if it is. */
export function spinAcquireWord(word: Int32Array, index: number, me: number): boolean {
  for (let i = 0; i < SPIN_BEFORE_WAITING; i++) {
    if (Atomics.load(word, index) === 0 && Atomics.compareExchange(word, index, 0, me) === 0) return true;
  }
  return false;
}

/** One attempt; true when the word went from unlocked to `me`. */
export function tryAcquireWord(word: Int32Array, index: number, me: number): boolean {
  return Atomics.compareExchange(word, index, 0, me) === 0;
}

/**
 * @throws OwnerDiedError when the word, seen holding `held`, is held by a thread that has exited.
 * The owner may have released the word and exited between the read of `held` and now (seen in CI: the
 * example s3-17, ten Process threads taking a Lock in turn, each exiting right after its release): so
 * the word is read again once the exit is seen. A thread releases before it exits, and an exited thread never
 * takes a lock again, so a word that still names it is a lock that died with its owner.
 */
export function checkOwnerAlive(word: Int32Array, index: number, held: number): void {
  const owner = threadIdOfOwner(held);
  if (!hasThreadExited(owner)) return;
  if (threadIdOfOwner(Atomics.load(word, index)) === owner) throw new OwnerDiedError(owner);
}

/**
 * Prepares to park: sets the waiters bit and returns the value to wait on, or `undefined` when the word
 * changed meanwhile and the caller should look again.
 */
function markWaiting(word: Int32Array, index: number, seen: number): number | undefined {
  if ((seen & 1) === 1) return seen;
  const previous = Atomics.compareExchange(word, index, seen, seen | 1);
  return previous === seen ? seen | 1 : undefined;
}

/** Blocks until `me` holds the word; false when `deadline` passes first. @throws OwnerDiedError */
export function acquireWordSync(word: Int32Array, index: number, me: number, deadline: Deadline): boolean {
  if (spinAcquireWord(word, index, me)) return true;
  for (;;) {
    let seen = Atomics.load(word, index);
    if (seen === 0) {
      if (Atomics.compareExchange(word, index, 0, me | 1) === 0) return true;
      continue;
    }
    const expected = markWaiting(word, index, seen);
    if (expected === undefined) continue;
    seen = expected;
    checkOwnerAlive(word, index, seen);
    const left = remainingUntil(deadline);
    if (left <= 0) return false;
    wait(word, index, seen, Math.min(left, OWNER_CHECK_MS));
  }
}

/** As `acquireWordSync`, without blocking the event loop. @throws OwnerDiedError, `signal.reason` */
export async function acquireWordAsync(
  word: Int32Array,
  index: number,
  me: number,
  deadline: Deadline,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  if (spinAcquireWord(word, index, me)) return true;
  for (;;) {
    let seen = Atomics.load(word, index);
    if (seen === 0) {
      if (Atomics.compareExchange(word, index, 0, me | 1) === 0) return true;
      continue;
    }
    const expected = markWaiting(word, index, seen);
    if (expected === undefined) continue;
    seen = expected;
    checkOwnerAlive(word, index, seen);
    const left = remainingUntil(deadline);
    if (left <= 0) return false;
    await waitAsync(word, index, seen, Math.min(left, OWNER_CHECK_MS), { signal, keepAlive: true });
  }
}

/** Unlocks the word and wakes one parked waiter if any; returns the previous word (0: it was not locked). */
export function releaseWord(word: Int32Array, index: number): number {
  const previous = Atomics.exchange(word, index, 0);
  if ((previous & 1) === 1) Atomics.notify(word, index, 1);
  return previous;
}
