/**
 * User callbacks on the main thread: `applyAsync`'s callback and errorCallback, `onStart`, `onBroken`.
 *
 * Results are settled where the main thread drains them: in the pool's pump (its own turn of the event
 * loop), and inside a submit call, which drains every few hundred tasks so that settled tasks free
 * their memory while young (see Engine.enqueue). A callback must not run inside an unrelated submit
 * call, so while results are settled there, callbacks wait for a microtask.
 */
let inline = 0;

/** Runs `settle`, deferring to a microtask the callbacks it causes. */
export function settlingInline(settle: () => void): void {
  inline++;
  try {
    settle();
  } finally {
    inline--;
  }
}

/**
 * Calls a user callback: at once, or in a microtask while results are settled inside a submit call.
 * Its error never breaks result handling: it is reported like an uncaught error.
 */
export function callSafely(fn: () => void): void {
  if (inline > 0) queueMicrotask(() => callNow(fn));
  else callNow(fn);
}

function callNow(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    process.nextTick(() => {
      throw error;
    });
  }
}
