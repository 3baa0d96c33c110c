/**
 * One end of a pipe: the ring it reads from and/or the ring it writes to (rings from
 * `@weft/queue`'s engine, one per direction), plus a small buffer shared by both ends:
 *
 * ```
 * ends buffer (Int32 words)
 * word 0  open copies of end 0 (the first Connection Pipe() returns)
 * word 1  open copies of end 1
 * ```
 *
 * A copy is a Connection object in some thread. Like a file descriptor, an end is duplicated when
 * it is passed to another thread (the copy is counted when it is encoded, so it is counted while in
 * flight) and closed when its last copy closes: then its writing ring is closed (the peer's `recv`
 * reports EOFError once drained) and its reading ring too (the peer's `send` raises
 * BrokenPipeError). This is why Python's idiom — the parent closes its copy of the child's end after
 * starting the child — works here as it does there. A thread that dies holding copies has them closed
 * for it by a waiting receiver (end-copies.ts), as an OS closes a dead process's descriptors.
 */

import { copyBytes, copyOfBytes } from '@weft/codec';
import {
  type ByteRing,
  CLOSED,
  NO_READER,
  type PushOutcome,
  type RecordWriter,
  TAKE_CLOSED,
  TAKE_EMPTY,
  type Take,
  type TakeOutcome,
} from '@weft/queue';
import { countCopy, OWNER_CHECK_MS, reapDeadHolders, uncountCopy } from './end-copies.js';
import { BrokenPipeError, EOFError, OSError, TimeoutError, ValueError } from './errors.js';
import { decodeValue, encodeWithParts } from './wire.js';

export interface RecvOptions {
  /** Milliseconds to wait for a message before raising `TimeoutError`; absent = forever. */
  timeout?: number | undefined;
  /** Aborting rejects (or throws from) the wait with `signal.reason`; nothing is received. */
  signal?: AbortSignal | undefined;
}

/** Internal: the parts of a connection. */
export interface ConnectionParts {
  read: ByteRing | undefined;
  write: ByteRing | undefined;
  ends: Int32Array;
  index: 0 | 1;
}

let partsToUse: ConnectionParts | undefined;

/** Internal: builds a Connection over existing parts (the constructor is not for users). */
export function makeConnection(parts: ConnectionParts): Connection {
  partsToUse = parts;
  try {
    return new Connection();
  } finally {
    partsToUse = undefined;
  }
}

/** Internal: a connection's parts (for its handle). */
export let partsOf: (connection: Connection) => ConnectionParts;

function checkTimeout(timeout: number | undefined): void {
  if (timeout !== undefined && timeout !== null && !(timeout >= 0)) {
    throw new ValueError(`'timeout' must be a non-negative number of milliseconds, got ${timeout}`);
  }
}

/** Python's poll(): no argument checks and returns at once; null waits forever. */
function pollTimeout(timeout: number | null): number | undefined {
  if (timeout === null || timeout === Number.POSITIVE_INFINITY) return undefined;
  checkTimeout(timeout);
  return timeout;
}

function asBytes(buffer: ArrayBufferView | ArrayBuffer | SharedArrayBuffer): Uint8Array {
  if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return new Uint8Array(buffer);
}

/**
 * One end of a `Pipe()`, like Python's `multiprocessing.connection.Connection`. Passes to workers
 * (and through queues and other pipes) as a handle: the worker gets a copy of this end.
 */
export class Connection implements Disposable {
  readonly #read: ByteRing | undefined;
  readonly #write: ByteRing | undefined;
  readonly #ends: Int32Array;
  readonly #index: 0 | 1;
  #closed = false;
  /** This thread's holder slot in the ends buffer (see end-copies.ts); -1 when untracked. */
  readonly #slot: number;
  /** Pushes encoded bytes on the writing ring (checked by the caller): one callback, not a closure per send. */
  readonly #push = (bytes: Uint8Array): PushOutcome => this.#write!.tryPush(bytes);
  /** Has a message with large buffer contents written straight into the writing ring (one copy). */
  readonly #pushParts = (parts: RecordWriter): PushOutcome => this.#write!.tryPushParts(parts);
  /** Set after a `recvBytes` message exceeded `maxLength`, as Python stops reading then. */
  #unreadable = false;

  static {
    partsOf = (connection) => ({
      read: connection.#read,
      write: connection.#write,
      ends: connection.#ends,
      index: connection.#index,
    });
  }

  /** Not for users: connections come from `Pipe()`. */
  constructor() {
    const parts = partsToUse;
    if (!parts) throw new TypeError('Connection objects are made by Pipe(), not by new Connection()');
    this.#read = parts.read;
    this.#write = parts.write;
    this.#ends = parts.ends;
    this.#index = parts.index;
    this.#slot = countCopy(parts.ends, parts.index);
  }

  /** True once this copy was closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** True if this end can receive (false for the send-only end of a one-way pipe). */
  get readable(): boolean {
    return this.#read !== undefined;
  }

  /** True if this end can send (false for the receive-only end of a one-way pipe). */
  get writable(): boolean {
    return this.#write !== undefined;
  }

  #checkOpen(): void {
    if (this.#closed) throw new OSError('handle is closed');
  }

  #writer(): ByteRing {
    this.#checkOpen();
    if (!this.#write)
      throw new OSError('connection is read-only: this is the receiving end of a one-way pipe');
    return this.#write;
  }

  #reader(): ByteRing {
    this.#checkOpen();
    if (!this.#read) throw new OSError('connection is write-only: this is the sending end of a one-way pipe');
    if (this.#unreadable) throw new OSError('connection is no longer readable: a message exceeded maxLength');
    return this.#read;
  }

  /**
   * Sends `value` (anything the weft codec carries, of any size). Never waits for a receiver that is
   * not receiving: the pipe's memory grows instead. When more than 4 MB are unread and the receiver
   * is receiving, it first waits (at most 10 ms per call) for the receiver to bring that down to 2 MB,
   * so that a fast sender stays in memory that is already mapped and still cached (flow control); a
   * thread that has received from this pipe itself never waits.
   * @throws `OSError` on a closed or receive-only connection; `BrokenPipeError` when every copy of
   *   the other end is closed; `DataCloneError` for a value that cannot cross threads.
   */
  send(value: unknown): void {
    this.#pace(this.#writer());
    raiseSend(encodeWithParts(value, this.#push, this.#pushParts));
  }

  /**
   * Flow control before a send (see `send`). When the receivers have stopped taking messages with a
   * backlog of over 4 MB, they may be dead: their copies are closed for them then, and the send that
   * follows raises BrokenPipeError if no receiver is left.
   */
  #pace(ring: ByteRing): void {
    const outcome = ring.pace();
    if (outcome === 'stalled' || outcome === 'idle') this.#reapDeadHolders();
  }

  /**
   * Sends raw bytes: `size` bytes (default: the rest) of `buffer` from byte `offset` (default 0).
   * The receiver gets them from `recvBytes` (or `recv`) as a Uint8Array. Waits as `send` may.
   * @throws `ValueError` for an offset or size outside `buffer`; as `send` otherwise.
   */
  sendBytes(buffer: ArrayBufferView | ArrayBuffer | SharedArrayBuffer, offset = 0, size?: number): void {
    const ring = this.#writer();
    const bytes = asBytes(buffer);
    if (offset < 0) throw new ValueError('offset is negative');
    if (bytes.length < offset) throw new ValueError('buffer length < offset');
    const length = size ?? bytes.length - offset;
    if (length < 0) throw new ValueError('size is negative');
    if (offset + length > bytes.length) throw new ValueError('buffer length < offset + size');
    this.#pace(ring);
    raiseSend(ring.tryPush(bytes.subarray(offset, offset + length), false, undefined, true));
  }

  /**
   * Receives the next message, waiting for one.
   * @returns (resolves to) the value sent (a Uint8Array for a `sendBytes` message).
   * @throws (rejects) `EOFError` when the other end is closed and everything was received;
   *   `TimeoutError` when `timeout` passes first; `OSError` on a closed or send-only connection;
   *   `signal.reason` on abort.
   */
  async recv(options: RecvOptions = {}): Promise<unknown> {
    const ring = this.#reader();
    checkTimeout(options.timeout);
    return checkTaken(await this.#takeAsync(ring, options, takeValue));
  }

  /**
   * Blocking twin of `recv`.
   * @throws as `recv`; `SyncWaitNotAllowedError` where this thread may not block.
   */
  recvSync(options: RecvOptions = {}): unknown {
    const ring = this.#reader();
    checkTimeout(options.timeout);
    return checkTaken(this.#takeSync(ring, options, takeValue));
  }

  /**
   * Receives the next message as bytes: what `sendBytes` sent (for a `send` message, its encoded
   * form, as Python returns the pickle).
   * @param maxLength When the message is longer, raises `OSError` — and this connection is no
   *   longer readable, as in Python (the message is consumed).
   * @throws (rejects) as `recv`, and `OSError` for a message longer than `maxLength`.
   */
  async recvBytes(maxLength?: number, options: RecvOptions = {}): Promise<Uint8Array> {
    const ring = this.#reader();
    checkMaxLength(maxLength);
    checkTimeout(options.timeout);
    return checkTaken(await this.#takeAsync(ring, options, this.#takeBytes(maxLength)));
  }

  /** Blocking twin of `recvBytes`. */
  recvBytesSync(maxLength?: number, options: RecvOptions = {}): Uint8Array {
    const ring = this.#reader();
    checkMaxLength(maxLength);
    checkTimeout(options.timeout);
    return checkTaken(this.#takeSync(ring, options, this.#takeBytes(maxLength)));
  }

  /**
   * Receives the next message's bytes into `buffer` at byte `offset`.
   * @returns (resolves to) the number of bytes written.
   * @throws (rejects) `BufferTooShort`-like `OSError` when the message does not fit (it is consumed).
   */
  async recvBytesInto(
    buffer: ArrayBufferView | ArrayBuffer | SharedArrayBuffer,
    offset = 0,
  ): Promise<number> {
    const bytes = await this.recvBytes();
    return copyInto(bytes, buffer, offset);
  }

  /**
   * Whether a message (or EOF) is ready to be received — Python's `poll`.
   * @param timeout Milliseconds to wait for one; **absent or 0: check and return at once** (as in
   *   Python, where `poll()` never blocks); `null` or `Infinity`: wait forever.
   * @returns (resolves to) true when `recv` would not wait.
   */
  async poll(
    timeout: number | null = 0,
    options: { signal?: AbortSignal | undefined } = {},
  ): Promise<boolean> {
    const ring = this.#reader();
    const wait = pollTimeout(timeout);
    if (ring.readyNow()) return true;
    if (wait === 0) return false;
    const deadline = deadlineOf(wait);
    for (;;) {
      if (await ring.pollAsync(sliceUntil(deadline) ?? OWNER_CHECK_MS, options.signal)) return true;
      if (lastSlice(deadline)) return false;
      this.#reapDeadHolders();
    }
  }

  /** Blocking twin of `poll`. */
  pollSync(timeout: number | null = 0): boolean {
    const ring = this.#reader();
    const wait = pollTimeout(timeout);
    if (ring.readyNow()) return true;
    if (wait === 0) return false;
    const deadline = deadlineOf(wait);
    for (;;) {
      if (ring.pollSync(sliceUntil(deadline) ?? OWNER_CHECK_MS)) return true;
      if (lastSlice(deadline)) return false;
      this.#reapDeadHolders();
    }
  }

  /**
   * Closes this copy of the end. When it was the last open copy, the other end's `recv` reports
   * `EOFError` once it has received everything, and its `send` raises `BrokenPipeError`.
   * Idempotent.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    uncountCopy(this.#ends, this.#slot, this.#index);
    if (Atomics.sub(this.#ends, this.#index, 1) === 1) this.#closeEnd(this.#index);
  }

  /** The last copy of end `index` (this one's or the peer's) is closed: closes its side of the rings. */
  #closeEnd(index: 0 | 1): void {
    if (index === this.#index) {
      this.#write?.close('writing');
      this.#read?.close('reading');
    } else {
      // The peer writes to the ring this end reads, and reads the ring this end writes.
      this.#read?.close('writing');
      this.#write?.close('reading');
    }
  }

  /** Closes the copies held by threads that have exited (see end-copies.ts). */
  #reapDeadHolders(): void {
    const [first, second] = reapDeadHolders(this.#ends);
    if (first) this.#closeEnd(0);
    if (second) this.#closeEnd(1);
  }

  /**
   * Takes a message, waiting in slices of OWNER_CHECK_MS between which it closes the copies of dead
   * holders: a sender that died holding the last copy of its end ends in EOFError, once drained.
   */
  async #takeAsync<T>(ring: ByteRing, options: RecvOptions, take: Take<T>): Promise<TakeOutcome<T>> {
    const deadline = deadlineOf(options.timeout);
    for (;;) {
      const slice = sliceUntil(deadline) ?? OWNER_CHECK_MS;
      const outcome = await ring.takeAsync({ block: true, timeout: slice, signal: options.signal }, take);
      if (outcome !== TAKE_EMPTY || lastSlice(deadline)) return outcome;
      this.#reapDeadHolders();
    }
  }

  /** Blocking twin of `#takeAsync`. */
  #takeSync<T>(ring: ByteRing, options: RecvOptions, take: Take<T>): TakeOutcome<T> {
    const deadline = deadlineOf(options.timeout);
    for (;;) {
      const slice = sliceUntil(deadline) ?? OWNER_CHECK_MS;
      const outcome = ring.takeSync({ block: true, timeout: slice, signal: options.signal }, take);
      if (outcome !== TAKE_EMPTY || lastSlice(deadline)) return outcome;
      this.#reapDeadHolders();
    }
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /** Takes a message's bytes (a copy the caller keeps), refusing one longer than `maxLength`. */
  #takeBytes(maxLength: number | undefined): Take<Uint8Array> {
    if (maxLength === undefined) return keepBytes;
    return (bytes, flagged, owned) => {
      if (bytes.length > maxLength) {
        this.#unreadable = true;
        throw new OSError(`bad message length: ${bytes.length} bytes exceed maxLength ${maxLength}`);
      }
      return keepBytes(bytes, flagged, owned);
    };
  }
}

/** When a wait of `timeout` ms (undefined: forever) started now ends. */
function deadlineOf(timeout: number | undefined): number | undefined {
  return timeout === undefined ? undefined : performance.now() + timeout;
}

/** The next slice of a wait until `deadline`: at most OWNER_CHECK_MS; undefined when there is no deadline. */
function sliceUntil(deadline: number | undefined): number | undefined {
  if (deadline === undefined) return undefined;
  return Math.max(0, Math.min(OWNER_CHECK_MS, deadline - performance.now()));
}

/** Whether the slice that just ended was the wait's last (its deadline has come). */
function lastSlice(deadline: number | undefined): boolean {
  return deadline !== undefined && deadline - performance.now() <= 0;
}

function checkMaxLength(maxLength: number | undefined): void {
  if (maxLength !== undefined && !(maxLength >= 0)) throw new ValueError('negative maxLength');
}

function raiseSend(outcome: PushOutcome): void {
  if (outcome === NO_READER) throw new BrokenPipeError();
  if (outcome === CLOSED) throw new OSError('the pipe is closed for sending');
}

function checkTaken<T>(outcome: TakeOutcome<T>): T {
  if (outcome === TAKE_EMPTY) throw new TimeoutError('timed out waiting for a message');
  if (outcome === TAKE_CLOSED) throw new EOFError();
  return outcome;
}

/**
 * A message's bytes as an array of its own: the ring hands over a view of its scratch or, for a large
 * message, of its own shared memory (valid only during the take) unless `owned`.
 */
const keepBytes: Take<Uint8Array> = (bytes, _flagged, owned) => (owned ? bytes : copyOfBytes(bytes));

/**
 * A `sendBytes` message is its bytes; any other is decoded straight from the ring (a view of its
 * scratch, or of the record itself read in place): the decoded value owns its memory.
 */
const takeValue: Take<unknown> = (bytes, flagged, owned) =>
  flagged ? keepBytes(bytes, flagged, owned) : decodeValue(bytes);

function copyInto(
  bytes: Uint8Array,
  buffer: ArrayBufferView | ArrayBuffer | SharedArrayBuffer,
  offset: number,
): number {
  const target = asBytes(buffer);
  if (offset < 0 || offset > target.length) throw new ValueError('offset out of bounds');
  if (bytes.length > target.length - offset) {
    throw new OSError(
      `buffer too short: the message has ${bytes.length} bytes, ${target.length - offset} fit`,
    );
  }
  copyBytes(target, offset, bytes);
  return bytes.length;
}
