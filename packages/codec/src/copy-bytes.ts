/*
 * Copies to and out of shared memory at memcpy speed.
 *
 * V8 copies a SharedArrayBuffer's bytes (`TypedArray.prototype.set`, `slice`, the typed array
 * constructors) with relaxed atomic moves: one word at a time when source and target are equally
 * aligned modulo 8, one byte at a time otherwise. Node's `Buffer.prototype.fill` with a buffer as its
 * value copies with one `memcpy` when the value is as long as the range, whatever memory the views
 * lie on: measured here, 1 MB out of shared memory into a new array ran at 7,200 copies/s through
 * `fill` against 5,700 through `set` (cold source), 14,500 against 12,000 (source in cache), and a
 * 16 KB copy took 0.13 µs against 0.52 µs. Below 1 KB the call costs more than it saves.
 */

/** Copies this long or longer go through Node's native copy. */
const NATIVE_COPY_FROM = 1024;

const nativeFill = Buffer.prototype.fill;

/**
 * Copies `source` into `target` at byte `at`, as `target.set(source, at)` would, either of them on
 * shared memory or not. The bytes must fit (`at + source.length <= target.length`); the two must not
 * overlap.
 */
export function copyBytes(target: Uint8Array, at: number, source: Uint8Array): void {
  const length = source.length;
  if (length < NATIVE_COPY_FROM) target.set(source, at);
  else nativeFill.call(target as Buffer, source, at, at + length);
}

/** Copies from this long up to PIN_MAX keep the newest one referenced (see `copyOfBytes`). */
const PIN_FROM = 64 * 1024;
const PIN_MAX = 4 * 1024 * 1024;
/**
 * Where the newest such copy is held: a property of this thread's global object, because the bundler
 * drops a variable (or field) that is only ever written.
 */
const NEWEST_COPY = Symbol.for('@weft/codec#newestCopy');

/**
 * A copy of `source` in memory of its own (a new ArrayBuffer of exactly its length, at offset 0).
 *
 * The newest copy of 64 KB to 4 MB made in this thread stays referenced until the next one (at most
 * 4 MB held on to). Why: a stream of received messages allocates one such buffer each, and the
 * garbage collector frees them in batches. With nothing in use above them, glibc's `free` merges a
 * batch into the top of the heap and returns it to the system, so each next buffer is fresh memory
 * whose every page faults when the copy first touches it (on this machine the faults cost more than
 * the copy). The newest buffer lies at the top of the heap when it was taken from there, so keeping
 * it stops that trim: the freed ones stay in the allocator's bins and the next buffers reuse pages
 * already mapped. Measured on rounds of 300 × 1 MB pipe messages in a process that loads the bench's
 * suites: 2,700 → 4,460 msgs/s (medians of 6 processes), with about a third of the page faults; in a
 * bare process, where the heap holds little else, it made no clear difference. Another allocator loses
 * nothing by it but the memory of that one buffer.
 */
export function copyOfBytes(source: Uint8Array): Uint8Array {
  if (source.length < NATIVE_COPY_FROM) {
    // set(), not slice(): V8's slice of a view on a growable buffer takes a slower path.
    const copy = new Uint8Array(source.length);
    copy.set(source);
    return copy;
  }
  const buffer = Buffer.allocUnsafeSlow(source.length);
  nativeFill.call(buffer, source, 0, source.length);
  if (source.length >= PIN_FROM && source.length <= PIN_MAX)
    (globalThis as Record<symbol, unknown>)[NEWEST_COPY] = buffer.buffer;
  return new Uint8Array(buffer.buffer, 0, source.length);
}
