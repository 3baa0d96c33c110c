/**
 * What cannot reach a child process (`context: 'process'`), found before the child exists so that
 * `start()` throws, as Python's pickling error does, instead of the child failing later.
 *
 * Node shares memory between threads only. A weft primitive still works in a child (it is served
 * to it, see remote-args.ts), but raw shared memory cannot: a SharedArrayBuffer, a typed array over
 * one, or a SharedMemory block would reach the child as an id it cannot resolve.
 */
import { DataCloneError } from '@weft/codec';

const ALTERNATIVE =
  "use a Value or SharedArray from @weft/shared-memory (the child reads and writes the parent's through its server), or context: 'thread'";

/** Whether `value` is an instance of a class named `name` (or a subclass of it). */
function isInstanceNamed(value: object, name: string): boolean {
  for (let p = Object.getPrototypeOf(value); p !== null; p = Object.getPrototypeOf(p)) {
    if ((p as { constructor?: { name?: string } }).constructor?.name === name) return true;
  }
  return false;
}

/**
 * @throws DataCloneError naming the path (`args[1].buf`) of raw shared memory in `value`.
 */
export function checkReachesChildProcess(value: unknown, root: string): void {
  // The usual task arguments (strings, numbers …) hold no objects: no walk, nothing allocated.
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value) && value.every((item) => item === null || typeof item !== 'object')) return;
  const seen = new Set<object>();
  const visit = (item: unknown, path: string): void => {
    if (item === null || typeof item !== 'object') return;
    if (seen.has(item)) return;
    seen.add(item);
    if (item instanceof SharedArrayBuffer)
      throw new DataCloneError(
        `is a SharedArrayBuffer: shared memory cannot reach a child process; ${ALTERNATIVE}`,
        path,
      );
    if (ArrayBuffer.isView(item)) {
      if (item.buffer instanceof SharedArrayBuffer)
        throw new DataCloneError(
          `is a ${item.constructor.name} over a SharedArrayBuffer: shared memory cannot reach a child process; ${ALTERNATIVE}`,
          path,
        );
      return;
    }
    if (item instanceof ArrayBuffer) return;
    if (Array.isArray(item)) {
      for (let index = 0; index < item.length; index++) visit(item[index], `${path}[${index}]`);
      return;
    }
    if (item instanceof Map) {
      for (const [key, element] of item) visit(element, `${path}.get(${String(key)})`);
      return;
    }
    if (item instanceof Set) {
      for (const element of item) visit(element, `${path} (a Set element)`);
      return;
    }
    if (isInstanceNamed(item, 'SharedMemory') && 'buf' in item)
      throw new DataCloneError(
        "is a SharedMemory block: a child process cannot map it (Node shares memory between threads only); use a SharedArray (served to the child), or context: 'thread'",
        path,
      );
    const prototype = Object.getPrototypeOf(item);
    if (prototype === Object.prototype || prototype === null)
      for (const [key, element] of Object.entries(item)) visit(element, `${path}.${key}`);
    // Any other class instance crossed the codec, so it is a handle kind: a weft primitive (served to
    // the child, its memory is not sent) or a manager proxy (plain data).
  };
  visit(value, root);
}

/** How deep `copyPipeEnds` looks (as deep as the primitives a child is served, see remote-args.ts). */
const MAX_DEPTH = 4;

/** A @weft/pipe Connection (known by its members: this file does not load @weft/pipe). */
export function isPipeEnd(value: object): boolean {
  const end = value as Record<string, unknown>;
  return (
    typeof end.recvBytesSync === 'function' &&
    typeof end.sendBytes === 'function' &&
    typeof end.pollSync === 'function' &&
    typeof end.close === 'function'
  );
}

/**
 * `value` with each pipe end in it replaced by `replace(end)` (the containers around them rebuilt,
 * everything else as it is). A child process's copy of an end is made this way when `start()`
 * returns, so that the parent may close its own copy at once (Python's idiom).
 */
export function replacePipeEnds(value: unknown, replace: (end: object) => unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  const prototype = Object.getPrototypeOf(value);
  if (Array.isArray(value)) return value.map((item) => replacePipeEnds(item, replace, depth + 1));
  if (prototype === Object.prototype || prototype === null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = replacePipeEnds(item, replace, depth + 1);
    return out;
  }
  return isPipeEnd(value) ? replace(value) : value;
}

/** Whether `value` holds a pipe end where `replacePipeEnds` looks. */
export function holdsPipeEnds(value: unknown, depth = 0): boolean {
  let found = false;
  replacePipeEnds(
    value,
    (end) => {
      found = true;
      return end;
    },
    depth,
  );
  return found;
}
