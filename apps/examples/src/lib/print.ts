/**
 * Python's `print` for the examples. Each call writes straight to file descriptor 1 with one
 * `write(2)`, from whichever thread or process calls it. Why not console.log: in a worker thread,
 * console.log is forwarded to the main thread by message, so its lines can reach the terminal later
 * than lines printed after them elsewhere; the notes' outputs show the order things really happened.
 * Values print the way Python prints them: `[42, null, 'heelo']` (JavaScript's `null` for `None`).
 */
import { writeSync } from 'node:fs';

/** Python's `repr` of a JavaScript value, with JavaScript's names for the constants (null, true). */
export function repr(value: unknown): string {
  if (typeof value === 'string') return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `[${value.map(repr).join(', ')}]`;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return `[${Array.from(value as unknown as ArrayLike<number>, (item) => repr(item)).join(', ')}]`;
  }
  if (value instanceof Map)
    return `{${[...value].map(([key, item]) => `${repr(key)}: ${repr(item)}`).join(', ')}}`;
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${repr(key)}: ${repr(item)}`)
      .join(', ')}}`;
  }
  return String(value);
}

/** Python's `str` of a value: strings as they are, everything else as `repr`. */
export function str(value: unknown): string {
  return typeof value === 'string' ? value : repr(value);
}

function writeAll(text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(1, bytes, offset);
    } catch (error) {
      // stdout may be a non-blocking pipe whose reader is behind: wait a moment and retry.
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

/** `print(*values, end='\n')`: one line, written whole. */
export function print(...values: unknown[]): void {
  writeAll(`${values.map(str).join(' ')}\n`);
}

/** `print(*values, end=...)`: like print, with Python's `end` (e.g. `'|'`). */
export function printEnd(end: string, ...values: unknown[]): void {
  writeAll(`${values.map(str).join(' ')}${end}`);
}

/**
 * Python's print as CPython really does it: the text, then the line end, in two separate writes. Two
 * workers printing at once can then mix their lines (`Run child process Process0 (36708)Run child
 * process Process1 (36748)`), which is what the notes' lock examples (s3-01, s3-02) are about.
 */
export function printInTwoWrites(...values: unknown[]): void {
  writeAll(values.map(str).join(' '));
  writeAll('\n');
}
