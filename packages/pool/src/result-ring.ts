/**
 * A worker's result ring: one producer (the worker), one consumer (the main thread).
 *
 * SharedArrayBuffer layout:
 *   bytes 0..3   WRITE  byte offset (in the data area) after the last published record; worker only
 *   bytes 4..7   READ   byte offset of the next record to read; main thread only
 *   bytes 16..   data area of `capacity` bytes holding records, each 8-byte aligned:
 *     int32 size (payload bytes; -1 = wrap to the start)  int32 task id  int32 kind  int32 tag
 *     payload (size bytes, padded to 8)
 *   Fewer than 16 bytes before the end also mean "wrap to the start".
 *
 * READ === WRITE means empty; the writer never lets WRITE catch up with READ from behind, so a full
 * ring is never mistaken for an empty one. A record that does not fit (or is larger than half the
 * ring) goes through the worker's result port instead; the ring never blocks the worker.
 */
import { type Encoded, type MemoryViews, readPayload, viewsOf, writePayload } from './payload.js';

export const RESULT_OK = 1;
export const RESULT_ERROR = 2;
export const RESULT_STARTED = 3;

const WRITE = 0;
const READ = 1;
const DATA = 16;
const HEADER = 16;
export const RESULT_RING_BYTES = 1 << 22;

const align8 = (n: number) => (n + 7) & ~7;

export function createResultRing(capacity = RESULT_RING_BYTES): SharedArrayBuffer {
  return new SharedArrayBuffer(DATA + capacity);
}

export class ResultRingWriter {
  private readonly words: Int32Array;
  private readonly capacity: number;
  private write = 0;
  private readonly views: MemoryViews;

  constructor(memory: SharedArrayBuffer) {
    this.views = viewsOf(memory);
    this.words = new Int32Array(memory);
    this.capacity = memory.byteLength - DATA;
    this.write = Atomics.load(this.words, WRITE);
  }

  /** Publishes a record; false when it does not fit right now (send it another way). */
  tryWrite(taskId: number, kind: number, payload: Encoded | undefined): boolean {
    const size = payload ? payload.size : 0;
    const total = HEADER + align8(size);
    const capacity = this.capacity;
    if (total > capacity >> 1) return false;
    const read = Atomics.load(this.words, READ);
    let at = this.write;
    if (at >= read) {
      if (capacity - at < total) {
        if (read <= total) return false;
        if (capacity - at >= HEADER) this.words[(DATA + at) >> 2] = -1;
        at = 0;
      }
    } else if (at + total >= read) return false;
    const word = (DATA + at) >> 2;
    this.words[word] = size;
    this.words[word + 1] = taskId;
    this.words[word + 2] = kind;
    this.words[word + 3] = payload ? payload.tag : 0;
    if (payload && size > 0) writePayload(this.views, DATA + at + HEADER, payload);
    this.write = at + total;
    Atomics.store(this.words, WRITE, this.write);
    return true;
  }
}

export type ResultVisitor = (
  taskId: number,
  kind: number,
  views: MemoryViews,
  offset: number,
  size: number,
  tag: number,
) => void;

export class ResultRingReader {
  private readonly words: Int32Array;
  private readonly capacity: number;
  private read = 0;
  private readonly views: MemoryViews;

  constructor(memory: SharedArrayBuffer) {
    this.views = viewsOf(memory);
    this.words = new Int32Array(memory);
    this.capacity = memory.byteLength - DATA;
  }

  /** Hands every published record to `visit` (payload still in shared memory); returns how many. */
  drain(visit: ResultVisitor): number {
    const words = this.words;
    const end = Atomics.load(words, WRITE);
    let at = this.read;
    let count = 0;
    while (at !== end) {
      if (this.capacity - at < HEADER || words[(DATA + at) >> 2] === -1) {
        at = 0;
        continue;
      }
      const word = (DATA + at) >> 2;
      const size = words[word]!;
      visit(words[word + 1]!, words[word + 2]!, this.views, DATA + at + HEADER, size, words[word + 3]!);
      at += HEADER + align8(size);
      count++;
    }
    this.read = at;
    Atomics.store(words, READ, at);
    return count;
  }
}

/** Reads a result payload out of the ring (copying, since the space is reused). */
export function readResult(views: MemoryViews, offset: number, size: number, tag: number): unknown {
  return readPayload(views, offset, size, tag);
}
