/**
 * Timers that never fire before their deadline. Node may run a `setTimeout` callback up to a
 * millisecond before `performance.now()` reaches the requested time (timers are kept in whole
 * milliseconds); a timeout that fires early is re-armed for the rest.
 */

export interface DeadlineTimer {
  cancel(): void;
}

/** Runs `fn` once `performance.now() >= deadline` (always asynchronously, never before). */
export function afterDeadline(deadline: number, fn: () => void): DeadlineTimer {
  const delay = () => Math.max(0, Math.ceil(deadline - performance.now()));
  const check = () => {
    if (performance.now() >= deadline) fn();
    else timer = setTimeout(check, Math.max(1, delay()));
  };
  let timer = setTimeout(check, delay());
  return { cancel: () => clearTimeout(timer) };
}

/** The deadline `timeoutMs` from now; undefined (forever) when `timeoutMs` is undefined or Infinity. */
export function deadlineFrom(timeoutMs: number | undefined, what: string): number | undefined {
  if (timeoutMs === undefined || timeoutMs === Number.POSITIVE_INFINITY) return undefined;
  if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs)) {
    throw new TypeError(`${what}: timeout must be a number of milliseconds, got ${String(timeoutMs)}`);
  }
  return performance.now() + timeoutMs;
}
