/**
 * local(): Python's `threading.local()` — storage that belongs to one thread.
 *
 * In JavaScript every worker thread has its own module instances, so an object made by `local()` at
 * module level is already per thread: each worker that imports the module makes its own, and a value
 * set in one thread is never seen by another.
 */
export type Local<T extends object = Record<string, unknown>> = Partial<T>;

/** A fresh storage object for the calling thread; set any fields on it. */
export function local<T extends object = Record<string, unknown>>(): Local<T> {
  return Object.create(null) as Local<T>;
}
