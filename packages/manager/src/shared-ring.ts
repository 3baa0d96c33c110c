/**
 * A duplex byte stream between two threads of one process, over one SharedArrayBuffer: two
 * single-producer single-consumer rings, one per direction. Frames (4-byte length + payload) are
 * written into the ring as a stream of bytes, so a frame larger than the ring simply streams through.
 *
 * Layout (Int32 word index: meaning)
 *   0  A_HEAD        bytes written by side A so far (uint32, wraps)
 *   1  A_TAIL        bytes of A's ring consumed by side B (uint32, wraps)
 *   2  B_HEAD        bytes written by side B
 *   3  B_TAIL        bytes of B's ring consumed by side A
 *   4  A_CLOSED      1 once side A closed
 *   5  B_CLOSED      1 once side B closed
 *   6  A_DATA_SIG    bumped by A after writing or closing (B waits on it for data)
 *   7  B_DATA_SIG    bumped by B after writing or closing (A waits on it for data)
 *   8  A_SPACE_SIG   bumped by B after consuming A's bytes, or closing (A waits on it for space)
 *   9  B_SPACE_SIG   bumped by A after consuming B's bytes, or closing
 *   10 ATTACHED      set to 1 by side B when it adopted the channel, 2 when it refused it
 *   12..15           "someone is parked on signal word (index - 6)": set by a thread before it parks on
 *                    that word, cleared when it wakes. Atomics.notify is costly (a lock, and a task per
 *                    async waiter), so a writer only notifies when the flag says someone may be parked;
 *                    the waiter sets the flag before it checks the word, the writer changes the word
 *                    before it reads the flag, so one of them always sees the other.
 *   byte 64 ..           A's ring (capacity bytes)
 *   byte 64+capacity ..  B's ring (capacity bytes)
 * Side A is the thread that created the buffer (the connecting client), side B the listener.
 * Every signal word is changed before `notify`, as the shim's spin-then-park requires.
 */
import { notify } from '@weft/atomics-sync-shim';
import { ProtocolError } from './errors.js';

const HEADER_BYTES = 64;
/** A frame's length prefix (frame-reader.ts has the same). */
const FRAME_HEADER_BYTES = 4;
const SMALL_COPY = 64;
export const ATTACHED = 10;
const WORDS = { head: 0, tail: 1, closed: 4, dataSig: 6, spaceSig: 8 } as const;
const PARKED_FLAG_OFFSET = 6;

/** Bumps a signal word and wakes whoever is parked on it (only if someone may be). */
function signal(i32: Int32Array, index: number): void {
  Atomics.add(i32, index, 1);
  if (Atomics.load(i32, index + PARKED_FLAG_OFFSET) !== 0) notify(i32, index);
}

/** Marks (or clears) that this thread is about to park on signal word `index`. */
export function markParked(i32: Int32Array, index: number, parked: boolean): void {
  Atomics.store(i32, index + PARKED_FLAG_OFFSET, parked ? 1 : 0);
}

export const DEFAULT_RING_CAPACITY = 128 * 1024;

export function createRingBuffer(capacity = DEFAULT_RING_CAPACITY): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + 2 * capacity);
}

/** One thread's end of the ring pair: writes its own ring, reads the other. */
export class RingEnd {
  readonly i32: Int32Array;
  private readonly u8: Uint8Array;
  private readonly capacity: number;
  private readonly side: 0 | 1;
  private readonly other: 0 | 1;

  constructor(
    readonly buffer: SharedArrayBuffer,
    side: 'A' | 'B',
  ) {
    this.i32 = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    this.u8 = new Uint8Array(buffer);
    this.capacity = (buffer.byteLength - HEADER_BYTES) / 2;
    this.side = side === 'A' ? 0 : 1;
    this.other = side === 'A' ? 1 : 0;
  }

  /** Word this end waits on for incoming data (and the peer closing). */
  get dataSignal(): number {
    return WORDS.dataSig + this.other;
  }

  /** Word this end waits on for free space in its own ring (and the peer closing). */
  get spaceSignal(): number {
    return WORDS.spaceSig + this.side;
  }

  get peerClosed(): boolean {
    return Atomics.load(this.i32, WORDS.closed + this.other) === 1;
  }

  get selfClosed(): boolean {
    return Atomics.load(this.i32, WORDS.closed + this.side) === 1;
  }

  /** Room left in this end's ring, in bytes. */
  free(): number {
    const head = Atomics.load(this.i32, WORDS.head + 2 * this.side) >>> 0;
    const tail = Atomics.load(this.i32, WORDS.tail + 2 * this.side) >>> 0;
    return this.capacity - ((head - tail) >>> 0);
  }

  /** Copies as much of `bytes` as fits; returns how many bytes were written. */
  write(bytes: Uint8Array, signalPeer = true): number {
    const i32 = this.i32;
    const head = Atomics.load(i32, WORDS.head + 2 * this.side) >>> 0;
    const tail = Atomics.load(i32, WORDS.tail + 2 * this.side) >>> 0;
    const free = this.capacity - ((head - tail) >>> 0);
    const n = Math.min(free, bytes.byteLength);
    if (n === 0) return 0;
    const base = HEADER_BYTES + this.side * this.capacity;
    const at = head % this.capacity;
    const first = Math.min(n, this.capacity - at);
    this.u8.set(first === bytes.byteLength ? bytes : bytes.subarray(0, first), base + at);
    if (n > first) this.u8.set(bytes.subarray(first, n), base);
    Atomics.store(i32, WORDS.head + 2 * this.side, (head + n) | 0);
    if (signalPeer) signal(i32, WORDS.dataSig + this.side);
    return n;
  }

  /**
   * Writes one whole frame — the 4-byte big-endian length, then `payload` — if it fits, with one
   * signal to the peer; false (nothing written) if it does not fit now.
   */
  writeFrame(payload: Uint8Array): boolean {
    const i32 = this.i32;
    const capacity = this.capacity;
    const head = Atomics.load(i32, WORDS.head + 2 * this.side) >>> 0;
    const tail = Atomics.load(i32, WORDS.tail + 2 * this.side) >>> 0;
    const length = payload.byteLength;
    if (capacity - ((head - tail) >>> 0) < FRAME_HEADER_BYTES + length) return false;
    const u8 = this.u8;
    const base = HEADER_BYTES + this.side * capacity;
    let at = head % capacity;
    for (let shift = 24; shift >= 0; shift -= 8) {
      u8[base + at] = (length >>> shift) & 0xff;
      at = at + 1 === capacity ? 0 : at + 1;
    }
    const first = Math.min(length, capacity - at);
    if (length <= SMALL_COPY) {
      for (let i = 0; i < first; i++) u8[base + at + i] = payload[i]!;
      for (let i = first; i < length; i++) u8[base + i - first] = payload[i]!;
    } else {
      u8.set(first === length ? payload : payload.subarray(0, first), base + at);
      if (length > first) u8.set(payload.subarray(first), base);
    }
    Atomics.store(i32, WORDS.head + 2 * this.side, (head + FRAME_HEADER_BYTES + length) | 0);
    signal(i32, WORDS.dataSig + this.side);
    return true;
  }

  /**
   * Takes the whole frames the peer has written so far (each copied out) into `out`, stopping at
   * a frame not complete yet; leaves the rest for `read`. Only valid at a frame boundary.
   * @throws ProtocolError for a length above `maxFrameSize` (nothing more is taken).
   */
  readFrames(maxFrameSize: number, out: Uint8Array[]): void {
    const i32 = this.i32;
    const capacity = this.capacity;
    const head = Atomics.load(i32, WORDS.head + 2 * this.other) >>> 0;
    const start = Atomics.load(i32, WORDS.tail + 2 * this.other) >>> 0;
    const u8 = this.u8;
    const base = HEADER_BYTES + this.other * capacity;
    let tail = start;
    for (;;) {
      const available = (head - tail) >>> 0;
      if (available < FRAME_HEADER_BYTES) break;
      let at = tail % capacity;
      let length = 0;
      for (let i = 0; i < FRAME_HEADER_BYTES; i++) {
        length = length * 256 + u8[base + at]!;
        at = at + 1 === capacity ? 0 : at + 1;
      }
      if (length > maxFrameSize) {
        throw new ProtocolError(`frame of ${length} bytes exceeds the limit of ${maxFrameSize} bytes`);
      }
      if (available - FRAME_HEADER_BYTES < length) break;
      const frame = new Uint8Array(length);
      const first = Math.min(length, capacity - at);
      if (length <= SMALL_COPY) {
        // A byte loop beats making subarray views for the small messages that are most of them.
        for (let i = 0; i < first; i++) frame[i] = u8[base + at + i]!;
        for (let i = first; i < length; i++) frame[i] = u8[base + i - first]!;
      } else {
        frame.set(u8.subarray(base + at, base + at + first));
        if (length > first) frame.set(u8.subarray(base, base + length - first), first);
      }
      out.push(frame);
      tail = (tail + FRAME_HEADER_BYTES + length) >>> 0;
    }
    if (tail !== start) {
      Atomics.store(i32, WORDS.tail + 2 * this.other, tail | 0);
      signal(i32, WORDS.spaceSig + this.other);
    }
  }

  /** Takes every byte the peer has written so far; undefined when there is none. */
  read(): Uint8Array | undefined {
    const i32 = this.i32;
    const head = Atomics.load(i32, WORDS.head + 2 * this.other) >>> 0;
    const tail = Atomics.load(i32, WORDS.tail + 2 * this.other) >>> 0;
    const n = (head - tail) >>> 0;
    if (n === 0) return undefined;
    const base = HEADER_BYTES + this.other * this.capacity;
    const at = tail % this.capacity;
    const first = Math.min(n, this.capacity - at);
    const out = new Uint8Array(n);
    out.set(this.u8.subarray(base + at, base + at + first), 0);
    if (n > first) out.set(this.u8.subarray(base, base + n - first), first);
    Atomics.store(i32, WORDS.tail + 2 * this.other, (tail + n) | 0);
    signal(i32, WORDS.spaceSig + this.other);
    return out;
  }

  /** Marks this end closed and wakes the peer whatever it waits for. */
  close(): void {
    const i32 = this.i32;
    Atomics.store(i32, WORDS.closed + this.side, 1);
    for (const word of [WORDS.dataSig + this.side, WORDS.spaceSig + this.other]) {
      Atomics.add(i32, word, 1);
      notify(i32, word);
    }
  }
}
