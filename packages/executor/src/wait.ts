/**
 * wait: block (asynchronously) until some or all of a set of futures are done, as Python's
 * `concurrent.futures.wait`.
 */
import { afterDeadline, type DeadlineTimer, deadlineFrom } from './deadline.js';
import { type Future, kFailed, kOnSettle } from './future.js';

/** Return as soon as any future finishes or is cancelled. */
export const FIRST_COMPLETED = 'FIRST_COMPLETED';
/** Return when any future finishes by raising, or when all are done. Cancellation is not an exception. */
export const FIRST_EXCEPTION = 'FIRST_EXCEPTION';
/** Return when every future is finished or cancelled (the default). */
export const ALL_COMPLETED = 'ALL_COMPLETED';

export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

export interface DoneAndNotDone<F> {
  /** Futures that were finished or cancelled when `wait` returned. */
  done: Set<F>;
  /** The others. */
  notDone: Set<F>;
}

/**
 * Waits for the futures to complete as `returnWhen` says.
 * @param options.timeout milliseconds; absent = forever. When it passes, `wait` returns (it does
 *   not throw), with the futures still running in `notDone`.
 * @param options.returnWhen `FIRST_COMPLETED`, `FIRST_EXCEPTION` or `ALL_COMPLETED` (default).
 * @returns two sets (duplicates in `futures` appear once).
 * @throws (rejects with) `signal.reason` if `options.signal` aborts first; `TypeError` for an
 *   unknown `returnWhen`.
 */
export async function wait<F extends Future<unknown>>(
  futures: Iterable<F>,
  options: {
    timeout?: number | undefined;
    returnWhen?: ReturnWhen | undefined;
    signal?: AbortSignal | undefined;
  } = {},
): Promise<DoneAndNotDone<F>> {
  const { timeout, returnWhen = ALL_COMPLETED, signal } = options;
  if (returnWhen !== FIRST_COMPLETED && returnWhen !== FIRST_EXCEPTION && returnWhen !== ALL_COMPLETED) {
    throw new TypeError(
      `wait: returnWhen must be FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED, got ${String(returnWhen)}`,
    );
  }
  const deadline = deadlineFrom(timeout, 'wait');
  const unique = new Set(futures);
  const pending = [...unique].filter((future) => !future.done());
  if (!satisfied(unique, pending.length, returnWhen)) {
    signal?.throwIfAborted();
    await new Promise<void>((resolve, reject) => {
      let timer: DeadlineTimer | undefined;
      let finished = false;
      let unfinished = pending.length;
      const unsubscribers: Array<() => void> = [];
      const cleanUp = () => {
        finished = true;
        timer?.cancel();
        signal?.removeEventListener('abort', onAbort);
        for (const unsubscribe of unsubscribers) unsubscribe();
      };
      const finish = () => {
        cleanUp();
        resolve();
      };
      const onAbort = () => {
        cleanUp();
        reject(signal?.reason);
      };
      for (const future of pending) {
        unsubscribers.push(
          future[kOnSettle](() => {
            unfinished--;
            if (finished) return;
            if (unfinished === 0 || returnWhen === FIRST_COMPLETED) finish();
            else if (returnWhen === FIRST_EXCEPTION && future[kFailed]()) finish();
          }),
        );
      }
      if (finished) return;
      if (deadline !== undefined) timer = afterDeadline(deadline, finish);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
  const done = new Set<F>();
  const notDone = new Set<F>();
  for (const future of unique) (future.done() ? done : notDone).add(future);
  return { done, notDone };
}

function satisfied(futures: Set<Future<unknown>>, unfinished: number, returnWhen: ReturnWhen): boolean {
  if (unfinished === 0) return true;
  if (returnWhen === ALL_COMPLETED) return false;
  for (const future of futures) {
    if (!future.done()) continue;
    if (returnWhen === FIRST_COMPLETED || future[kFailed]()) return true;
  }
  return false;
}
