/**
 * The engine under every weft queue and pipe: a growable shared-memory ring of byte records that
 * any number of threads push to and pop from at once.
 *
 * One growable `SharedArrayBuffer` holds a 384-byte header of Int32 words and then the data area.
 * The words waiters spin on each have a cache line of their own: a peer spinning on PUT_SEQ then does
 * not pull the lock's line away from the thread that is pushing under the lock.
 *
 * ```
 * word  0  LOCK            0 free | owner id (held) | owner id | 1 (held, a thread may be parked on it);
 *                          owner ids are @weft/lock's (see "A dead thread" below)
 * word  1  COUNT           records stored
 * word  2  USED            bytes of the data area in use (records, with their length words)
 * word  3  HEAD            byte offset in the data area of the oldest record
 * word  4  CAPACITY        bytes in the data area (a power of two; grows, never shrinks)
 * word  5  STATE           bit 0: closed for writing (no more pushes); bit 1: closed for reading
 * word  6  MAXSIZE         most records held at once; 0 = unbounded
 * word  7  UNFINISHED      pushes not yet matched by taskDone() (JoinableQueue)
 * word  8  ORDER           0 FIFO, 1 LIFO, 2 SORTED (PriorityQueue: records kept in order, never wrapping)
 * word  9  POP_WAITERS     poppers registered to wait (a pusher notifies only when > 0)
 * word 10  PUSH_WAITERS    pushers registered to wait (a popper notifies only when > 0)
 * word 11  WRITERS         large pushes copying their bytes outside the lock (a hint: see below)
 * word 12  SEGMENTS        FIFO: segments of records in use, 1 to 4 (see below)
 * word 13  TAIL            FIFO: byte offset just past the newest record (the end of the newest segment)
 * word 14  SEGMENT_LIMIT   FIFO: most segments (2 to 4; 4 unless `create` was told otherwise)
 * word 15  FLOW_WAITERS    writers waiting in `pace` for readers to catch up
 * word 16  PUT_SEQ         bumped after every push and on close: what poppers wait on (own cache line)
 * word 32  POP_SEQ         bumped after every pop and on close: what pushers (bounded) wait on (own line)
 * word 33  FLOW_SEQ        bumped when a pop brings the backlog down to PACE_LOW with writers pacing, and on close
 * word 48  JOIN_SEQ        bumped each time UNFINISHED reaches 0: what join() waits on (own line)
 * word 50-57               FIFO: segment table (end of segment 0; start and end of segments 1 to 3)
 * word 58-63               FIFO: 3 hold slots (start, end) of records being read in place (end 0: free)
 * word 64  JOURNAL         what the lock's holder may have changed (0 outside a critical section, see below)
 * word 65-71               the journal: COUNT USED HEAD TAIL SEGMENTS STATE UNFINISHED at the lock's acquisition
 * word 72-79               the journal: the segment table (words 50-57), saved before it is first changed
 * word 80-82               the journal: a SORTED insert's shift (position, size, end of the records)
 * byte 384 data area       records
 * ```
 *
 * A record is `[u32 length][u32 pending][bytes, padded][u32 length]`, a multiple of 8 bytes long, where bit
 * 30 of the first length word is a flag the caller may set (a pipe marks raw-bytes messages with it); the
 * trailing copy of the length lets a LIFO pop find the newest record from the tail. Bit 31 of the first
 * length word says that the bytes start with a skip prefix: their first byte s (1 to 8) counts the
 * bytes before the item (the length counts them too). `tryPushParts` uses it to place the item's bulk
 * (a large buffer's contents) on an 8-byte boundary, where copies run fastest. Records start on 8-byte
 * boundaries and so do their bytes. Copies of 1 KB or more into and out of the ring go through
 * `@weft/codec`'s `copyBytes` (one memcpy); shorter ones through `set`, which V8 makes with relaxed
 * atomic word moves when source and target are equally aligned modulo 8, and byte by byte otherwise.
 * A record never wraps around the end of the data area.
 *
 * FIFO order keeps its records in up to 4 segments, each a run of records, read one after the other:
 * segment 0 starts at HEAD, the newest ends at TAIL. A push goes after the newest record if the room
 * up to the next segment above it (or the end) is enough; else it opens a new segment at offset 0 if
 * every segment starts beyond it (the ring wraps); else it grows the data area and goes right after
 * the newest record when that segment is the highest, or opens a segment at the old end. So growing
 * never moves records (a moving grow held the lock for milliseconds while a fast writer outran its
 * reader). Only when all 4 segments are in use and none has room are the records compacted into new
 * memory. LIFO order keeps its records contiguously from offset 0. SORTED order keeps them
 * contiguously from HEAD, in the order they will be popped; a push walks back from the newest record
 * to find its place and shifts the later ones up.
 *
 * Ordering: every field is read and written while holding LOCK, whose acquire (compareExchange or
 * exchange) and release (exchange) are sequentially consistent, so the plain byte copies made
 * inside the critical section are visible to the next holder. The SEQ words are the only words
 * watched from outside the lock. A waiter reads its SEQ and registers itself in the same critical
 * section in which it saw "empty"/"full"; a peer reads the waiter count in its own critical section
 * and bumps SEQ (then notifies) just after releasing the lock, so that a spinning peer does not
 * take the lock's line while it is still held. A peer that changes the state after a registration
 * therefore sees it and notifies after its bump; a bump that lands late (its change was made before
 * the registration) only makes the waiter look again, which is harmless.
 *
 * Popping copies the record, under the lock, into this thread's scratch memory (or, when a caller
 * keeps the bytes, into a new array) and hands it to the caller after the lock is released: the
 * caller decodes from there, so a pop allocates no buffer of its own and decoding (which may build
 * weft objects, or wait for the codec's buffer directory) never runs under the lock.
 *
 * Large records (FIFO rings, at least `COPY_OUTSIDE_LOCK` bytes) are copied in outside the lock: the
 * push reserves the record under the lock with its `pending` word set to its owner id and WRITERS raised, copies
 * the bytes after releasing it, then stores 0 in `pending`, lowers WRITERS and bumps PUT_SEQ. So a
 * reader is never held up by a writer's copy (which, into memory the ring just grew, costs page faults
 * several times the copy). A pop that finds the oldest record pending treats the ring as empty for
 * now: it reads PUT_SEQ *before* the pending word (both sequentially consistent), so a publish it
 * missed has bumped PUT_SEQ after it and its wait returns. A compaction moves records, so it first
 * waits (holding the lock, which no publish needs) until no record is pending for a live writer.
 *
 * Reading in place (FIFO, records of at least `IN_PLACE_FROM` bytes, taken without `owned`): instead of
 * copying the record out under the lock, the pop claims a hold slot for the record's memory, pops the
 * record as usual (HEAD moves on, other poppers go on with the next record) and hands the taker a view
 * of the ring itself; after the taker returns, the slot is cleared with one atomic store, no lock. A
 * push never places a record over a held region (it takes another place or grows), and a compaction
 * writes only into new memory, so held bytes stay untouched while they are read. The store that clears
 * the slot follows the taker's reads and the push that reuses the memory reads the cleared slot (both
 * sequentially consistent) before writing, so the reads happen before the writes. When the 3 slots are
 * taken, a pop copies out as before. A thread that dies while reading in place leaks its region (the
 * ring grows around it).
 *
 * Items of any size: when a record does not fit, the holder grows the buffer in place
 * (`SharedArrayBuffer.prototype.grow`, seen by every thread) up to `MAX_CAPACITY`. So a push never
 * waits for a reader to make room; only MAXSIZE (a count of items, like Python's) can make it wait.
 *
 * Pacing (`pace`, which a pipe's send calls first): a writer that finds more than PACE_HIGH bytes
 * unread waits for the readers to bring the backlog down to PACE_LOW, as long as they keep reading.
 * It raises FLOW_WAITERS and parks on FLOW_SEQ; a pop that leaves PACE_LOW or less while FLOW_WAITERS
 * is raised bumps FLOW_SEQ and wakes them all. A park lasts at most PACE_STALL_MS: if no pop happened
 * in that time (POP_SEQ unchanged) the readers are not reading, and the writer goes on (the ring
 * grows) and does not wait again until one has popped. So a writer never waits for a reader that does
 * not read, a missed wake-up costs at most one PACE_STALL_MS, and one call waits at most PACE_MAX_MS
 * (a reader that pops steadily but slowly slows the writer down to its pace, a call at a time). A
 * thread that has taken from the ring itself never paces: it could be waiting for itself.
 * Why: a writer that runs ahead writes every record into memory the ring just grew (page faults cost
 * several times the copy) and the reader reads it long after it left the cache; a backlog of a few MB
 * stays in memory already touched and still cached. One-way 1 MB pipe messages measured about 15%
 * more per second paced, and the ring stayed at 8-16 MB instead of growing to 128-256 MB.
 *
 * A dead thread (terminated, or exited, at any instruction) costs at most the record it was writing:
 * - The lock word holds its holder's owner id (the value the acquiring compareExchange writes anyway).
 *   A thread that finds the lock held parks in slices of OWNER_CHECK_MS and, between them, asks
 *   @weft/lock whether the holder has exited (its parent records a terminated thread when it hears
 *   the Worker's exit event). If it has, the waiter takes the lock over with one compareExchange from
 *   the dead owner's word (so exactly one waiter does) and rolls back what the dead holder changed.
 * - The rollback: each acquisition saves the header words a critical section changes in the journal
 *   (7 plain stores; the segment table only before a critical section first changes it, which is rare)
 *   and each release clears JOURNAL. Nobody sees a critical section's effects before its release, so
 *   restoring the journal is as if the dead holder had never taken the lock: its push never happened,
 *   its pop is undone (it had handed the record to nobody yet). Memory a critical section writes is
 *   either free (a push's record, grown memory, a compaction's target) or, for a SORTED insert that
 *   shifts later records up, journalled as a shift the rollback reverses (a marker word in the free
 *   space above tells whether the shift ran). A hold slot it claimed is freed.
 * - A large push copies outside the lock: its record's `pending` word holds the writer's owner id. A
 *   pop that finds the oldest record pending for a dead writer discards it (counting its task done)
 *   and goes on; waits behind a pending record last at most OWNER_CHECK_MS before looking again.
 * - Async waits (the event-loop thread's `await get()`) never park on the lock for more than
 *   ASYNC_LOCK_PARK_MS at a time: they yield to the event loop and try again, so timers fire and the
 *   parent thread hears its dead worker's exit. A blocking (`Sync`) call keeps parking in slices.
 */
import { canBlock, notify, spinWhileEqual, wait, waitAsync } from '@weft/atomics-sync-shim';
import { copyBytes, copyOfBytes } from '@weft/codec';
import { currentOwnerId, hasThreadExited, threadIdOfOwner } from '@weft/lock';

const LOCK = 0;
const COUNT = 1;
const USED = 2;
const HEAD = 3;
const CAPACITY = 4;
const STATE = 5;
const MAXSIZE = 6;
const UNFINISHED = 7;
const ORDER = 8;
const POP_WAITERS = 9;
const PUSH_WAITERS = 10;
const WRITERS = 11;
const SEGMENTS = 12;
const TAIL = 13;
const SEGMENT_LIMIT = 14;
/** FIFO segments 1..3: start at word 50 + 2i, end at word 51 + 2i (segment 0 ends at word 51). */
const SEGMENT_TABLE = 50;
/** FIFO hold slots: start at word 58 + 2i, end at word 59 + 2i (0 when the slot is free). */
const HOLDS = 58;
const HOLD_SLOTS = 3;
const MAX_SEGMENTS = 4;
const MIN_SEGMENTS = 2;
const PUT_SEQ = 16;
const POP_SEQ = 32;
const FLOW_SEQ = 33;
const FLOW_WAITERS = 15;
const JOIN_SEQ = 48;
/** What the lock's holder may have changed: bits below, 0 outside a critical section. */
const JOURNAL = 64;
/** JOURNAL bit: words 65-71 hold the header words below as they were at the lock's acquisition. */
const JOURNALLED_HEADER = 1;
/** JOURNAL bit: words 72-79 hold the segment table as it was before this critical section changed it. */
const JOURNALLED_SEGMENTS = 2;
/** JOURNAL bit: this critical section claimed the hold slot in bits 8 and up. */
const JOURNALLED_HOLD = 4;
/** JOURNAL bit: a SORTED insert may have shifted records (words 80-82: position, size, end). */
const JOURNALLED_SHIFT = 8;
const JOURNAL_WORDS = 65;
/** The header words a critical section changes (besides the segment table), in journal order. */
const JOURNALLED = [1, 2, 3, 13, 12, 5, 7] as const; // COUNT USED HEAD TAIL SEGMENTS STATE UNFINISHED
const JOURNAL_SEGMENTS = 72;
const JOURNAL_SHIFT = 80;

const HEADER_BYTES = 384;
const CLOSED_FOR_WRITING = 1;
const CLOSED_FOR_READING = 2;

/** Unread bytes above which `pace` waits for the readers (see the layout comment). */
export const PACE_HIGH = 4 * 1024 * 1024;
/** Unread bytes the readers bring the backlog down to before a pacing writer goes on. */
export const PACE_LOW = 2 * 1024 * 1024;
/** Longest park of a pacing writer: with no pop in that time, the readers are taken not to be reading. */
const PACE_STALL_MS = 2;
/** Longest wait of one `pace` call, however steadily the readers read: a send never stalls a thread long. */
const PACE_MAX_MS = 10;

/** Why `ByteRing.pace` returned (see there). */
export type PaceOutcome =
  | 'under'
  | 'caught-up'
  | 'stalled'
  | 'idle'
  | 'limit'
  | 'closed'
  | 'reader-here'
  | 'cannot-block';

/**
 * Rings (by their memory) that this thread has taken a record from: a writer here does not pace, since
 * it could be waiting for itself (both ends of a pipe in one thread, one of them read with `await`).
 */
const readHere = new WeakSet<SharedArrayBuffer>();

/** Data area bytes a new ring starts with. */
const INITIAL_CAPACITY = 64 * 1024;
/** Largest data area: the virtual reservation of each ring (committed only as it grows). */
export const MAX_CAPACITY = 2 ** 30;
/** Largest item: a record of it fills the largest data area. */
const MAX_ITEM = MAX_CAPACITY - 16;
/**
 * Reads of a SEQ word a waiter spins for before registering and parking: about 5-10 µs. Fixed, not
 * the shim's adaptive budget: that one shrinks whenever a spin fails and would park every waiter of a
 * round trip that takes a few microseconds, costing a futex wake-up (tens of µs on a VM) each time.
 */
const SPIN = 4096;
/** Times a waiter retries after its spin saw the SEQ word change but lost the race for the item. */
const SPIN_ROUNDS = 8;
/** Reads of the lock word before parking on it: critical sections are a few copies long. */
const LOCK_SPIN = 200;
/** A thread parked on the lock (or behind a pending record) looks whether its holder died this often. */
const OWNER_CHECK_MS = 50;
/** Longest park on the lock of an async call before it yields to the event loop (see "A dead thread"). */
const ASYNC_LOCK_PARK_MS = 20;

/** Thrown by an attempt made for an async call when the lock stayed held ASYNC_LOCK_PARK_MS: nothing was done. */
const RING_BUSY: unique symbol = Symbol('weft.ring.busy');

/** Whether `error` is the ring's "lock busy, nothing done, retry after yielding" (for async callers). */
export function isRingBusy(error: unknown): boolean {
  return error === RING_BUSY;
}

export type RingOrder = 'fifo' | 'lifo' | 'sorted';

/**
 * SORTED order: does the record being pushed go before the stored record `existing`? Called under
 * the ring's lock with a view into shared memory that is valid only during the call. May throw
 * (the push is then abandoned and nothing is stored).
 */
export type GoesBefore = (existing: Uint8Array) => boolean;

/** Outcome of a push. */
export const PUSHED = 0;
export const FULL = 1;
export const CLOSED = 2;
/** Pop found nothing (and the ring is still open). */
export const EMPTY = 3;
/** The peer's reading end is closed (pipes): nobody will ever read what is pushed. */
export const NO_READER = 4;

export type PushOutcome = typeof PUSHED | typeof FULL | typeof CLOSED | typeof NO_READER;
export type PopOutcome = Uint8Array | FlaggedRecord | typeof EMPTY | typeof CLOSED;

/** A popped record that was pushed with `flagged` set. */
export class FlaggedRecord {
  constructor(readonly bytes: Uint8Array) {}
}

/**
 * Receives a popped record, after the ring's lock was released. `bytes` is valid only during the
 * call unless `owned` (then it is a new array the taker may keep); `flagged` as it was pushed.
 * Whatever it returns (or throws) is what the take returns (or throws): the record is popped either way.
 */
export type Take<T> = (bytes: Uint8Array, flagged: boolean, owned: boolean) => T;
/** A take found nothing (and the ring is still open). */
export const TAKE_EMPTY: unique symbol = Symbol('weft.ring.empty');
/** A take found the ring closed and drained. */
export const TAKE_CLOSED: unique symbol = Symbol('weft.ring.closed');
export type TakeOutcome<T> = T | typeof TAKE_EMPTY | typeof TAKE_CLOSED;

export interface RingWaitOptions {
  /** False: never wait (report FULL / EMPTY at once). */
  block: boolean;
  /** Milliseconds; undefined = forever. */
  timeout: number | undefined;
  signal?: AbortSignal | undefined;
}

// Growable SharedArrayBuffers are ES2024 (Node 20 has them); the project's lib is ES2023.
type GrowableSharedArrayBuffer = SharedArrayBuffer & { grow(byteLength: number): void };
const GrowableSharedArrayBuffer = SharedArrayBuffer as unknown as new (
  byteLength: number,
  options: { maxByteLength: number },
) => GrowableSharedArrayBuffer;

/** Bit 30 of a record's first length word: the caller's flag. Lengths stay below 2^30. */
const RECORD_FLAG = 1 << 30;
const LENGTH_MASK = RECORD_FLAG - 1;
/** Bit 31 of a record's first length word: the bytes start with a skip prefix (see the layout comment). */
const SKIP_PREFIX = 1 << 31;

const alwaysAfter: GoesBefore = () => false;

/**
 * Records up to this size are popped through this thread's scratch memory, which is kept for the
 * next pop: a new buffer per pop costs an allocation (and, for large records, the page faults of
 * fresh memory, which cost several times the copy itself).
 */
const SCRATCH_KEEP = 4 * 1024 * 1024;
/** Copies this short go byte by byte: set() (and the subarray it needs) costs more for a few dozen bytes. */
const SHORT_COPY = 64;
let scratch = new Uint8Array(4096);
/** Views of the first n bytes of the scratch for small n, made once: a view costs more than a small pop. */
const CACHED_VIEWS = 256;
let scratchViews: (Uint8Array | undefined)[] = new Array(CACHED_VIEWS + 1).fill(undefined);
/** True while a taker holds a view of the scratch (a take inside a take gets a new array). */
let scratchBusy = false;

/** A new array of `length` bytes whose contents the caller overwrites entirely. */
function uninitializedBytes(length: number): Uint8Array {
  if (length < 1024) return new Uint8Array(length);
  const bytes = Buffer.allocUnsafeSlow(length);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, length);
}

/** What the legacy pop methods return: a copy the caller keeps. */
const keepRecord: Take<Uint8Array | FlaggedRecord> = (bytes, flagged, owned) => {
  const kept = owned ? bytes : copyOfBytes(bytes);
  return flagged ? new FlaggedRecord(kept) : kept;
};

function popOutcome(outcome: TakeOutcome<Uint8Array | FlaggedRecord>): PopOutcome {
  return outcome === TAKE_EMPTY ? EMPTY : outcome === TAKE_CLOSED ? CLOSED : outcome;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** Whole-record size of an item of `length` bytes: the 8-byte head, the bytes and the trailing length word. */
function recordSize(length: number): number {
  return 8 + align8(length + 4);
}

/** Offset of a record's bytes from its start. */
const BODY = 8;
/** Offset of a record's `pending` word from its start: 1 while a push copies its bytes outside the lock. */
const PENDING = 4;
/** Items this large (FIFO rings only) are copied in outside the lock. */
const COPY_OUTSIDE_LOCK = 32 * 1024;
/** Records this large (FIFO rings only) are read in place rather than copied out (see the layout comment). */
const IN_PLACE_FROM = 32 * 1024;

/**
 * An item not laid out in one piece yet (`@weft/codec`'s `EncodedParts`): `tryPushParts` reserves
 * `length` bytes and has `writeTo` write them there, with a `copy` that copies into shared memory well.
 */
export interface RecordWriter {
  readonly length: number;
  /** Where the item's bulk starts in it: placed on an 8-byte boundary of the ring. */
  readonly bulkOffset: number;
  writeTo(
    target: Uint8Array,
    offset: number,
    copy: (target: Uint8Array, at: number, source: Uint8Array) => void,
  ): void;
}

/**
 * A multi-producer, multi-consumer ring of byte records in one growable SharedArrayBuffer.
 * Thread-safe; every instance over the same buffer (in any thread) is the same ring.
 */
export class ByteRing {
  readonly buffer: SharedArrayBuffer;
  private readonly header: Int32Array;
  private bytes: Uint8Array;
  private words: Int32Array;
  private capacity: number;
  /** PUT_SEQ / POP_SEQ as seen when this thread last registered to wait (read in the lock). */
  private seenSeq = 0;
  /** The flag of the record this thread popped last (see `tryPush`'s `flagged`). */
  private lastPoppedFlag = false;
  /** Whether the record this thread popped last was copied into a new array (not the scratch). */
  private extractedOwned = false;
  /** The hold slot of the record this thread popped last, when it is read in place; else -1. */
  private heldSlot = -1;
  /** POP_SEQ when this thread's `pace` last saw no pop for PACE_STALL_MS (-1: never). */
  private stalledAt = -1;
  /** Whether this instance has taken a record (then the ring is in `readHere`). */
  private readsHere = false;
  /** Whether this thread's last attempt found the oldest record pending (its wait is then sliced). */
  private behindPending = false;

  private constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    this.capacity = Atomics.load(this.header, CAPACITY);
    this.bytes = new Uint8Array(buffer, 0, HEADER_BYTES + this.capacity);
    this.words = new Int32Array(buffer, 0, (HEADER_BYTES + this.capacity) / 4);
  }

  /**
   * A new, empty ring. `maxsize` counts records (0 = unbounded). `maxSegments` (FIFO, 2 to 4) bounds the
   * runs of records before a push compacts them; fewer compacts more often (tests use 2 to reach it).
   */
  static create(
    options: { maxsize?: number; order?: RingOrder; initialCapacity?: number; maxSegments?: number } = {},
  ): ByteRing {
    const {
      maxsize = 0,
      order = 'fifo',
      initialCapacity = INITIAL_CAPACITY,
      maxSegments = MAX_SEGMENTS,
    } = options;
    let capacity = 64;
    while (capacity < initialCapacity) capacity *= 2;
    const buffer = new GrowableSharedArrayBuffer(HEADER_BYTES + capacity, {
      maxByteLength: HEADER_BYTES + MAX_CAPACITY,
    });
    const header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    header[CAPACITY] = capacity;
    header[MAXSIZE] = Math.max(maxsize, 0);
    header[ORDER] = order === 'lifo' ? 1 : order === 'sorted' ? 2 : 0;
    header[SEGMENTS] = 1;
    header[SEGMENT_LIMIT] = Math.min(MAX_SEGMENTS, Math.max(MIN_SEGMENTS, Math.floor(maxSegments)));
    return new ByteRing(buffer);
  }

  /** The ring whose memory is `buffer` (made by `create`, possibly in another thread). */
  static attach(buffer: SharedArrayBuffer): ByteRing {
    return new ByteRing(buffer);
  }

  get order(): RingOrder {
    const order = this.header[ORDER];
    return order === 1 ? 'lifo' : order === 2 ? 'sorted' : 'fifo';
  }

  get maxsize(): number {
    return this.header[MAXSIZE]!;
  }

  /** Records stored now (a snapshot: other threads may change it at once). */
  count(): number {
    return Atomics.load(this.header, COUNT);
  }

  /** Bytes of the data area (it grows with the largest backlog and never shrinks). */
  capacityBytes(): number {
    return Atomics.load(this.header, CAPACITY);
  }

  isFull(): boolean {
    const maxsize = this.header[MAXSIZE]!;
    return maxsize > 0 && Atomics.load(this.header, COUNT) >= maxsize;
  }

  isClosedForWriting(): boolean {
    return (Atomics.load(this.header, STATE) & CLOSED_FOR_WRITING) !== 0;
  }

  isClosedForReading(): boolean {
    return (Atomics.load(this.header, STATE) & CLOSED_FOR_READING) !== 0;
  }

  /**
   * Flow control for writers that never wait otherwise (a pipe's send): when more than PACE_HIGH bytes
   * are unread and the readers are reading, waits until they bring the backlog down to PACE_LOW, the
   * ring is closed, PACE_STALL_MS pass without a pop, or PACE_MAX_MS pass in all. See "Pacing" in the
   * layout comment.
   * @returns why it returned: `under` (no wait needed), `caught-up`, `stalled` (waited, no pop),
   *   `idle` (no wait: no pop since this thread last stalled), `limit` (PACE_MAX_MS passed), `closed`,
   *   `reader-here` (no wait: this thread reads the ring too) or `cannot-block` (no wait: this thread
   *   may not block).
   */
  pace(): PaceOutcome {
    const header = this.header;
    if (Atomics.load(header, USED) <= PACE_HIGH) return 'under';
    let popped = Atomics.load(header, POP_SEQ);
    if (popped === this.stalledAt) return 'idle';
    if (readHere.has(this.buffer)) return 'reader-here';
    if (!canBlock()) return 'cannot-block';
    const deadline = performance.now() + PACE_MAX_MS;
    Atomics.add(header, FLOW_WAITERS, 1);
    try {
      for (;;) {
        const flow = Atomics.load(header, FLOW_SEQ);
        if (Atomics.load(header, STATE) !== 0) return 'closed';
        if (Atomics.load(header, USED) <= PACE_LOW) return 'caught-up';
        const left = deadline - performance.now();
        if (left <= 0) return 'limit';
        if (Atomics.wait(header, FLOW_SEQ, flow, Math.min(PACE_STALL_MS, left)) === 'timed-out') {
          const now = Atomics.load(header, POP_SEQ);
          if (now === popped) {
            this.stalledAt = now;
            return 'stalled';
          }
          popped = now;
        }
      }
    } finally {
      Atomics.sub(header, FLOW_WAITERS, 1);
    }
  }

  /** Bytes of the records stored now, with their framing (a snapshot). */
  unreadBytes(): number {
    return Atomics.load(this.header, USED);
  }

  // ---------------------------------------------------------------- the lock

  /**
   * Takes the lock (taking it over from a dead holder, see "A dead thread") and journals the header.
   * @param bounded for an async call: after ASYNC_LOCK_PARK_MS parked, throws RING_BUSY instead.
   */
  private lock(bounded = false): void {
    const header = this.header;
    if (Atomics.compareExchange(header, LOCK, 0, currentOwnerId) !== 0) this.lockContended(bounded);
    // The journal (see "A dead thread"): the words this critical section may change, as they are now.
    // Written out word by word (the order of JOURNALLED): this runs on every acquisition.
    header[JOURNAL_WORDS] = header[COUNT]!;
    header[JOURNAL_WORDS + 1] = header[USED]!;
    header[JOURNAL_WORDS + 2] = header[HEAD]!;
    header[JOURNAL_WORDS + 3] = header[TAIL]!;
    header[JOURNAL_WORDS + 4] = header[SEGMENTS]!;
    header[JOURNAL_WORDS + 5] = header[STATE]!;
    header[JOURNAL_WORDS + 6] = header[UNFINISHED]!;
    header[JOURNAL] = JOURNALLED_HEADER;
  }

  private lockContended(bounded: boolean): void {
    const header = this.header;
    const me = currentOwnerId;
    for (let i = 0; i < LOCK_SPIN; i++) {
      if (Atomics.load(header, LOCK) === 0 && Atomics.compareExchange(header, LOCK, 0, me) === 0) return;
    }
    // Parks even on an event-loop thread: the holder only copies bytes, never waits, so this is a
    // wait of microseconds (or of a reschedule), never a wait for the queue's state; an async call
    // parks at most ASYNC_LOCK_PARK_MS at a time, and every park is a slice that ends in a look at
    // whether the holder died. A thread that had to wait takes the lock as `me | 1` (it cannot know
    // whether others still wait), so at worst the next release pays one needless notify.
    const started = bounded ? performance.now() : 0;
    for (;;) {
      let seen = Atomics.load(header, LOCK);
      if (seen === 0) {
        if (Atomics.compareExchange(header, LOCK, 0, me | 1) === 0) return;
        continue;
      }
      if ((seen & 1) === 0) {
        if (Atomics.compareExchange(header, LOCK, seen, seen | 1) !== seen) continue;
        seen |= 1;
      }
      // A thread releases before it exits and an exited thread never takes a lock again, so a word
      // that still names an exited thread is a lock that died with its holder; the compareExchange
      // lets exactly one waiter take it over.
      if (hasThreadExited(threadIdOfOwner(seen))) {
        if (Atomics.compareExchange(header, LOCK, seen, me | 1) === seen) {
          this.rollBack();
          return;
        }
        continue;
      }
      let slice = OWNER_CHECK_MS;
      if (bounded) {
        const left = started + ASYNC_LOCK_PARK_MS - performance.now();
        if (left <= 0) throw RING_BUSY;
        slice = Math.min(slice, left);
      }
      Atomics.wait(header, LOCK, seen, slice);
    }
  }

  private unlock(): void {
    const header = this.header;
    header[JOURNAL] = 0;
    if ((Atomics.exchange(header, LOCK, 0) & 1) === 1) Atomics.notify(header, LOCK, 1);
  }

  /**
   * Just took the lock over from a dead holder: undoes whatever its critical section changed (see
   * "A dead thread"), so the ring is as it was when that holder took the lock.
   */
  private rollBack(): void {
    const header = this.header;
    const journal = header[JOURNAL]!;
    this.refreshViews();
    const grown = this.buffer.byteLength - HEADER_BYTES;
    if (grown > this.capacity) {
      // It grew the buffer and died before recording the new capacity: records never move on growth.
      Atomics.store(header, CAPACITY, grown);
      this.refreshViews();
    }
    if (journal & JOURNALLED_SHIFT) {
      const position = header[JOURNAL_SHIFT]!;
      const size = header[JOURNAL_SHIFT + 1]!;
      const end = header[JOURNAL_SHIFT + 2]!;
      // The marker (-1) where the shift puts the last record's trailing length is gone: the shift ran.
      if (this.words[(HEADER_BYTES + end + size - 4) >> 2] !== -1) {
        this.bytes.copyWithin(
          HEADER_BYTES + position,
          HEADER_BYTES + position + size,
          HEADER_BYTES + end + size,
        );
      }
    }
    if (journal & JOURNALLED_HOLD) Atomics.store(header, HOLDS + 2 * (journal >>> 8) + 1, 0);
    if (journal & JOURNALLED_SEGMENTS) {
      for (let i = 0; i < 8; i++) header[SEGMENT_TABLE + i] = header[JOURNAL_SEGMENTS + i]!;
    }
    if (journal & JOURNALLED_HEADER) {
      for (let i = 0; i < JOURNALLED.length; i++) header[JOURNALLED[i]!] = header[JOURNAL_WORDS + i]!;
    }
    header[JOURNAL] = 0;
  }

  /** Holding the lock, before this critical section first changes the segment table: journals it. */
  private journalSegments(): void {
    const header = this.header;
    if (header[JOURNAL]! & JOURNALLED_SEGMENTS) return;
    for (let i = 0; i < 8; i++) header[JOURNAL_SEGMENTS + i] = header[SEGMENT_TABLE + i]!;
    header[JOURNAL] = header[JOURNAL]! | JOURNALLED_SEGMENTS;
  }

  /** Another thread grew the buffer: widen this thread's views. Call holding the lock. */
  private refreshViews(): void {
    const capacity = this.header[CAPACITY]!;
    if (capacity !== this.capacity) {
      this.capacity = capacity;
      this.bytes = new Uint8Array(this.buffer, 0, HEADER_BYTES + capacity);
      this.words = new Int32Array(this.buffer, 0, (HEADER_BYTES + capacity) / 4);
    }
  }

  // ---------------------------------------------------------------- records (lock held)

  /** Copies `source` into the data area at `position` (8-aligned; records never wrap). */
  private copyIn(position: number, source: Uint8Array): void {
    const length = source.length;
    const at = HEADER_BYTES + position;
    if (length <= SHORT_COPY) {
      // A loop beats set() for a few dozen bytes (as in `extract`).
      const bytes = this.bytes;
      for (let i = 0; i < length; i++) bytes[at + i] = source[i]!;
    } else {
      copyBytes(this.bytes, at, source);
    }
  }

  /**
   * Copies `length` bytes at data offset `position` out of the ring: into this
   * thread's scratch unless `owned` is asked for, the scratch is in use, or the record is too large
   * to keep a scratch for. Sets `extractedOwned`. Call holding the lock.
   */
  private extract(position: number, length: number, owned: boolean): Uint8Array {
    let target: Uint8Array;
    if (!owned && !scratchBusy && length <= SCRATCH_KEEP) {
      if (scratch.length < length) {
        let size = scratch.length * 2;
        while (size < length) size *= 2;
        scratch = new Uint8Array(size);
        scratchViews = new Array(CACHED_VIEWS + 1).fill(undefined);
      }
      target = scratch;
      this.extractedOwned = false;
    } else {
      target = uninitializedBytes(length);
      this.extractedOwned = true;
    }
    const bytes = this.bytes;
    const start = HEADER_BYTES + position;
    if (length <= SHORT_COPY) {
      for (let i = 0; i < length; i++) target[i] = bytes[start + i]!;
    } else {
      copyBytes(target, 0, bytes.subarray(start, start + length));
    }
    if (target !== scratch) return target;
    if (length > CACHED_VIEWS) return scratch.subarray(0, length);
    let view = scratchViews[length];
    if (view === undefined) {
      view = scratch.subarray(0, length);
      scratchViews[length] = view;
    }
    return view;
  }

  /**
   * Grows the data area (doubling) to at least `least` bytes. Records stay where they are: the new
   * bytes are added at the end.
   */
  private grow(least: number): void {
    let capacity = this.capacity * 2;
    while (capacity < least) capacity *= 2;
    if (capacity > MAX_CAPACITY) {
      throw new RangeError(
        `queue storage exhausted: ${least} bytes would exceed the ${MAX_CAPACITY}-byte limit of one ring`,
      );
    }
    (this.buffer as GrowableSharedArrayBuffer).grow(HEADER_BYTES + capacity);
    this.bytes = new Uint8Array(this.buffer, 0, HEADER_BYTES + capacity);
    this.words = new Int32Array(this.buffer, 0, (HEADER_BYTES + capacity) / 4);
    this.capacity = capacity;
    Atomics.store(this.header, CAPACITY, capacity);
  }

  // FIFO segments (see the layout comment): segment 0 starts at HEAD, the last one ends at TAIL.

  private segmentStart(index: number): number {
    return index === 0 ? this.header[HEAD]! : this.header[SEGMENT_TABLE + 2 * index]!;
  }

  private segmentEnd(index: number, count: number): number {
    return index === count - 1 ? this.header[TAIL]! : this.header[SEGMENT_TABLE + 2 * index + 1]!;
  }

  /** FIFO: where a record of `size` bytes goes after the newest; grows the data area when needed. */
  private placeFifo(size: number): number {
    const header = this.header;
    const count = header[SEGMENTS]!;
    const end = header[TAIL]!;
    if (header[USED] === 0) return this.placeFirst(end, size);
    // The lowest segment start above the newest segment's end bounds its room.
    let limit = this.capacity;
    let lowest = this.capacity;
    for (let i = 0; i < count; i++) {
      const start = this.segmentStart(i);
      if (start < lowest) lowest = start;
      if (i < count - 1 && start >= end && start < limit) limit = start;
    }
    if (end + size <= limit && this.unheld(end, end + size)) {
      header[TAIL] = end + size;
      return end;
    }
    const topmost = limit === this.capacity;
    const most = header[SEGMENT_LIMIT]!;
    if (count < most && lowest >= size && this.unheld(0, size)) {
      // Free room at the start of the data area: a new segment there.
      return this.openSegment(count, end, 0, size);
    }
    if (topmost && this.unheld(end, end + size)) {
      // The newest segment is the highest: growing makes room right after it.
      this.grow(end + size);
      header[TAIL] = end + size;
      return end;
    }
    if (count < most) {
      const start = this.capacity;
      this.grow(start + size);
      return this.openSegment(count, end, start, size);
    }
    return this.compact(size);
  }

  /**
   * FIFO, empty ring: one segment holding a record of `size` bytes, placed where no record read in
   * place lies: at `end` (where the last record ended), else at 0, else in grown memory. (A new
   * segment would leave segment 0 empty, which a pop cannot step over.)
   */
  private placeFirst(end: number, size: number): number {
    const header = this.header;
    let position: number;
    if (end + size <= this.capacity && this.unheld(end, end + size)) position = end;
    else if (size <= this.capacity && this.unheld(0, size)) position = 0;
    else {
      position = this.unheld(end, end + size) ? end : this.capacity;
      this.grow(position + size);
    }
    header[HEAD] = position;
    header[TAIL] = position + size;
    header[SEGMENTS] = 1;
    return position;
  }

  /** FIFO: true when no record being read in place lies in data offsets [start, end). Call holding the lock. */
  private unheld(start: number, end: number): boolean {
    const header = this.header;
    for (let i = 0; i < HOLD_SLOTS; i++) {
      const heldEnd = Atomics.load(header, HOLDS + 2 * i + 1);
      if (heldEnd !== 0 && start < heldEnd && header[HOLDS + 2 * i]! < end) return false;
    }
    return true;
  }

  /** FIFO: claims a free hold slot for data offsets [start, end); -1 when none is free. Call holding the lock. */
  private claimHold(start: number, end: number): number {
    const header = this.header;
    for (let i = 0; i < HOLD_SLOTS; i++) {
      if (Atomics.load(header, HOLDS + 2 * i + 1) === 0) {
        header[HOLDS + 2 * i] = start;
        Atomics.store(header, HOLDS + 2 * i + 1, end);
        header[JOURNAL] = header[JOURNAL]! | JOURNALLED_HOLD | (i << 8);
        return i;
      }
    }
    return -1;
  }

  /** Closes the newest segment at `end` and opens one at `start` holding a record of `size` bytes. */
  private openSegment(count: number, end: number, start: number, size: number): number {
    const header = this.header;
    this.journalSegments();
    header[SEGMENT_TABLE + 2 * (count - 1) + 1] = end;
    header[SEGMENT_TABLE + 2 * count] = start;
    header[SEGMENTS] = count + 1;
    header[TAIL] = start + size;
    return start;
  }

  /**
   * FIFO, every segment in use and no room: copies the records, in order, into one segment in new
   * memory past the current end, and places a record of `size` bytes after them. Rare: it takes the
   * segments' pattern to be exhausted while each is still unread.
   */
  private compact(size: number): number {
    const header = this.header;
    const count = header[SEGMENTS]!;
    const target = this.capacity;
    const used = header[USED]!;
    this.awaitWriters();
    this.journalSegments();
    this.grow(target + used + size);
    let at = target;
    for (let i = 0; i < count; i++) {
      const start = this.segmentStart(i);
      const end = this.segmentEnd(i, count);
      this.bytes.copyWithin(HEADER_BYTES + at, HEADER_BYTES + start, HEADER_BYTES + end);
      at += end - start;
    }
    header[HEAD] = target;
    header[SEGMENTS] = 1;
    header[TAIL] = at + size;
    return at;
  }

  /**
   * Waits, holding the lock, until no live push is copying outside it (their copies take
   * microseconds). A dead writer's pending record is moved as it is; a pop discards it later.
   */
  private awaitWriters(): void {
    const header = this.header;
    for (let spins = 0; ; spins++) {
      const writers = Atomics.load(header, WRITERS);
      if (writers === 0) return;
      // WRITERS is only a hint (a writer that died never lowers it): the pending words decide.
      if (spins >= LOCK_SPIN) {
        if (!this.anyLivePending()) return;
        Atomics.wait(header, WRITERS, writers, 1);
      }
    }
  }

  /** FIFO, holding the lock: whether some stored record is pending for a writer that is alive. */
  private anyLivePending(): boolean {
    const header = this.header;
    const count = header[SEGMENTS]!;
    for (let i = 0; i < count; i++) {
      const end = this.segmentEnd(i, count);
      for (let at = this.segmentStart(i); at < end; ) {
        const writer = Atomics.load(this.words, (HEADER_BYTES + at + PENDING) >> 2);
        if (writer !== 0 && !hasThreadExited(threadIdOfOwner(writer))) return true;
        at += recordSize(this.words[(HEADER_BYTES + at) >> 2]! & LENGTH_MASK);
      }
    }
    return false;
  }

  /**
   * Stores a record of `item` after the newest. With `deferred`, stores only its length words, marks it
   * pending and returns where its bytes go (the caller copies them after releasing the lock and then
   * calls `publish`); else copies the bytes too and returns -1.
   */
  private append(item: Uint8Array, flagged: boolean, deferred = false): number {
    const position = this.reserve(item.length, flagged ? item.length | RECORD_FLAG : item.length, deferred);
    if (!deferred) this.copyIn(position + BODY, item);
    return deferred ? position : -1;
  }

  /**
   * Stores the length words of a record of `length` bytes after the newest (its first word is `head`),
   * marks it pending when `deferred` (see `publish`), and returns where the record starts; the caller
   * writes its bytes at the returned position + BODY.
   */
  private reserve(length: number, head: number, deferred: boolean): number {
    const header = this.header;
    const size = recordSize(length);
    const used = header[USED]!;
    let position: number;
    if (header[ORDER] === 0) {
      position = this.placeFifo(size);
    } else {
      // LIFO: the records lie contiguously from 0 (HEAD never moves).
      if (used + size > this.capacity) this.grow(used + size);
      position = used;
    }
    const words = this.words;
    words[(HEADER_BYTES + position) >> 2] = head;
    words[(HEADER_BYTES + position + size - 4) >> 2] = length;
    if (deferred) {
      Atomics.store(words, (HEADER_BYTES + position + PENDING) >> 2, currentOwnerId);
      Atomics.add(header, WRITERS, 1);
    } else {
      words[(HEADER_BYTES + position + PENDING) >> 2] = 0;
    }
    header[USED] = used + size;
    header[COUNT] = header[COUNT]! + 1;
    return position;
  }

  /**
   * Copies a deferred record's bytes (outside the lock) and makes the record visible to poppers;
   * wakes a parked popper. `position` is what `append` returned.
   */
  private publish(position: number, item: Uint8Array): void {
    this.publishWith(position, () => this.copyIn(position + BODY, item));
  }

  /** `publish`, with `write` writing the record's bytes (it must not throw). */
  private publishWith(position: number, write: () => void): void {
    const header = this.header;
    try {
      write();
    } finally {
      Atomics.store(this.words, (HEADER_BYTES + position + PENDING) >> 2, 0);
      if (Atomics.sub(header, WRITERS, 1) === 1) Atomics.notify(header, WRITERS);
    }
    Atomics.add(header, PUT_SEQ, 1);
    if (Atomics.load(header, POP_WAITERS) > 0) notify(header, PUT_SEQ, 1);
  }

  /**
   * SORTED order: inserts `item` after every record it does not go before (stable among equals).
   * `goesBefore` runs first, before anything changes: if it throws (or its thread dies in it), the ring
   * is as it was. Records move only into free memory, except the shift of the records after the new
   * one, which the journal records for a rollback (see "A dead thread").
   */
  private insertSorted(item: Uint8Array, goesBefore: GoesBefore): void {
    const header = this.header;
    const size = recordSize(item.length);
    const head = header[HEAD]!;
    const used = header[USED]!;
    let offset = used;
    {
      const bytes = this.bytes;
      const words = this.words;
      while (offset > 0) {
        const length = words[(HEADER_BYTES + head + offset - 4) >> 2]!;
        const start = offset - recordSize(length);
        const at = HEADER_BYTES + head + start + BODY;
        if (!goesBefore(bytes.subarray(at, at + length))) break;
        offset = start;
      }
    }
    let base = head;
    if (head + used + size > this.capacity) {
      if (head >= used + size) {
        // Room at the start, and the records' move there does not overlap them: their old copy stays
        // intact until HEAD says otherwise.
        this.bytes.copyWithin(HEADER_BYTES, HEADER_BYTES + head, HEADER_BYTES + head + used);
        header[HEAD] = base = 0;
      } else {
        this.grow(head + used + size);
      }
    }
    const bytes = this.bytes;
    const words = this.words;
    const position = base + offset;
    const end = base + used;
    if (position < end) {
      header[JOURNAL_SHIFT] = position;
      header[JOURNAL_SHIFT + 1] = size;
      header[JOURNAL_SHIFT + 2] = end;
      // Where the shift puts the last record's trailing length (never negative): it tells a rollback
      // whether the shift ran.
      words[(HEADER_BYTES + end + size - 4) >> 2] = -1;
      header[JOURNAL] = header[JOURNAL]! | JOURNALLED_SHIFT;
      bytes.copyWithin(HEADER_BYTES + position + size, HEADER_BYTES + position, HEADER_BYTES + end);
    }
    words[(HEADER_BYTES + position) >> 2] = item.length;
    words[(HEADER_BYTES + position + PENDING) >> 2] = 0;
    this.copyIn(position + BODY, item);
    words[(HEADER_BYTES + position + size - 4) >> 2] = item.length;
    header[USED] = used + size;
    header[COUNT] = header[COUNT]! + 1;
  }

  /**
   * FIFO, at least one record stored: true when the oldest is still being copied in outside the lock;
   * then sets `seenSeq` (read first: see the layout comment) for the wait that follows, and
   * `behindPending` (that wait looks again after OWNER_CHECK_MS). A record pending for a writer that
   * has died is discarded (see "A dead thread"), and so on while there are records: when they run out,
   * also true (the caller waits as for a pending record, and then finds the ring empty).
   */
  private oldestPending(): boolean {
    const header = this.header;
    for (;;) {
      const head = header[HEAD]!;
      const index = (HEADER_BYTES + head + PENDING) >> 2;
      if (Atomics.load(this.words, index) === 0) return false;
      this.seenSeq = Atomics.load(header, PUT_SEQ);
      const writer = Atomics.load(this.words, index);
      if (writer === 0) return false;
      if (!hasThreadExited(threadIdOfOwner(writer))) {
        this.behindPending = true;
        return true;
      }
      this.discardOldest(head);
      if (header[COUNT] === 0) {
        // Nothing left: the caller waits as behind a pending record, and looks again (empty or closed).
        this.behindPending = true;
        return true;
      }
    }
  }

  /** Holding the lock: drops the oldest record, at `head`, whose writer died before publishing it. */
  private discardOldest(head: number): void {
    const header = this.header;
    this.unlinkOldest(head, recordSize(this.words[(HEADER_BYTES + head) >> 2]! & LENGTH_MASK), false);
    // Its push counted a task; nobody will ever take it, so it is done (a join() must not wait for it).
    const unfinished = header[UNFINISHED]!;
    if (unfinished > 0) {
      header[UNFINISHED] = unfinished - 1;
      if (unfinished === 1) {
        Atomics.add(header, JOIN_SEQ, 1);
        notify(header, JOIN_SEQ);
      }
    }
  }

  private removeOldest(owned: boolean): Uint8Array {
    const header = this.header;
    const head = header[HEAD]!;
    const word = this.words[(HEADER_BYTES + head) >> 2]!;
    this.lastPoppedFlag = (word & RECORD_FLAG) !== 0;
    const length = word & LENGTH_MASK;
    const size = recordSize(length);
    const next = head + size;
    const skip = word & SKIP_PREFIX ? this.bytes[HEADER_BYTES + head + BODY]! : 0;
    const held = !owned && length >= IN_PLACE_FROM && header[ORDER] === 0 ? this.claimHold(head, next) : -1;
    let item: Uint8Array;
    if (held >= 0) {
      const start = HEADER_BYTES + head + BODY + skip;
      item = this.bytes.subarray(start, start + length - skip);
      this.heldSlot = held;
      this.extractedOwned = false;
    } else {
      item = this.extract(head + BODY + skip, length - skip, owned);
    }
    this.unlinkOldest(head, size, held >= 0);
    return item;
  }

  /** Holding the lock: the oldest record (at `head`, `size` bytes) is gone; moves HEAD on. */
  private unlinkOldest(head: number, size: number, held: boolean): void {
    const header = this.header;
    const next = head + size;
    const used = header[USED]! - size;
    header[USED] = used;
    header[COUNT] = header[COUNT]! - 1;
    if (used === 0) {
      // An empty ring restarts in one segment: at 0, or just past the record read in place (the next
      // push would otherwise find 0 held and grow the ring).
      const restart = held ? next : 0;
      header[HEAD] = restart;
      if (header[ORDER] === 0) {
        header[TAIL] = restart;
        header[SEGMENTS] = 1;
      }
    } else if (header[ORDER] === 0 && header[SEGMENTS]! > 1 && next === header[SEGMENT_TABLE + 1]) {
      // The oldest segment is used up: the next one becomes the oldest.
      this.journalSegments();
      const count = header[SEGMENTS]! - 1;
      header[HEAD] = header[SEGMENT_TABLE + 2]!;
      for (let i = 1; i < count; i++) {
        header[SEGMENT_TABLE + 2 * i] = header[SEGMENT_TABLE + 2 * i + 2]!;
        header[SEGMENT_TABLE + 2 * i - 1] = header[SEGMENT_TABLE + 2 * i + 1]!;
      }
      header[SEGMENTS] = count;
    } else {
      header[HEAD] = next;
    }
  }

  /** LIFO: the records lie contiguously from 0, the newest last. */
  private removeNewest(owned: boolean): Uint8Array {
    const header = this.header;
    const used = header[USED]!;
    const length = this.words[(HEADER_BYTES + used - 4) >> 2]!;
    const size = recordSize(length);
    const start = used - size;
    const word = this.words[(HEADER_BYTES + start) >> 2]!;
    this.lastPoppedFlag = (word & RECORD_FLAG) !== 0;
    const skip = word & SKIP_PREFIX ? this.bytes[HEADER_BYTES + start + BODY]! : 0;
    const item = this.extract(start + BODY + skip, length - skip, owned);
    header[USED] = start;
    header[COUNT] = header[COUNT]! - 1;
    return item;
  }

  // ---------------------------------------------------------------- one attempt (takes the lock)

  /**
   * Pushes `item` unless the ring is closed or full. When full, records POP_SEQ (read in the lock)
   * in `seenSeq`, and when `register` is set, registers this thread as a waiting pusher (the caller
   * must unregister). `flagged` marks the record (FIFO and LIFO only); the taker receives it.
   */
  tryPush(
    item: Uint8Array,
    register = false,
    goesBefore?: GoesBefore,
    flagged = false,
    bounded = false,
  ): PushOutcome {
    const header = this.header;
    if (item.length > MAX_ITEM) {
      throw new RangeError(`item of ${item.length} bytes exceeds the ${MAX_ITEM}-byte limit of one ring`);
    }
    this.lock(bounded);
    let waiters: number;
    let deferred = -1;
    try {
      this.refreshViews();
      const refused = this.refusal(register);
      if (refused !== undefined) return refused;
      const order = header[ORDER];
      if (order === 2) this.insertSorted(item, goesBefore ?? alwaysAfter);
      else deferred = this.append(item, flagged, order === 0 && item.length >= COPY_OUTSIDE_LOCK);
      waiters = this.countPushed();
    } finally {
      this.unlock();
    }
    if (deferred >= 0) this.publish(deferred, item);
    else this.announce(waiters);
    return PUSHED;
  }

  /**
   * Holding the lock: why no item may be pushed now (CLOSED, NO_READER, or FULL, which records
   * `seenSeq` and, with `register`, counts this thread as a waiting pusher), or undefined.
   */
  private refusal(register: boolean): PushOutcome | undefined {
    const header = this.header;
    const state = header[STATE]!;
    if (state & CLOSED_FOR_WRITING) return CLOSED;
    if (state & CLOSED_FOR_READING) return NO_READER;
    const maxsize = header[MAXSIZE]!;
    if (maxsize > 0 && header[COUNT]! >= maxsize) {
      this.seenSeq = Atomics.load(header, POP_SEQ);
      if (register) Atomics.add(header, PUSH_WAITERS, 1);
      return FULL;
    }
    return undefined;
  }

  /** Holding the lock, once a record is placed: counts it unfinished; returns how many poppers wait. */
  private countPushed(): number {
    const header = this.header;
    // Saturates rather than wrapping: a queue nobody calls taskDone() on must not overflow.
    const unfinished = header[UNFINISHED]!;
    if (unfinished < 0x7fffffff) header[UNFINISHED] = unfinished + 1;
    return Atomics.load(header, POP_WAITERS);
  }

  /** After the release (see "Ordering" at the top): a spinning popper wakes to a free lock. */
  private announce(waiters: number): void {
    Atomics.add(this.header, PUT_SEQ, 1);
    if (waiters > 0) notify(this.header, PUT_SEQ, 1);
  }

  /**
   * Pushes an item that `writer` lays out (as `tryPush`, never registering): FIFO rings reserve its
   * record and have `writer` write straight into it (outside the lock for a large one), with a skip
   * prefix that puts its bulk on an 8-byte boundary; other orders copy it into an array first.
   * `writer.writeTo` must not throw; if it does, the record's bytes are zeroed (its taker fails to
   * decode it rather than see garbage) and the error is rethrown.
   */
  tryPushParts(writer: RecordWriter, flagged = false): PushOutcome {
    const header = this.header;
    const length = writer.length;
    if (header[ORDER] !== 0) {
      const item = uninitializedBytes(length);
      writer.writeTo(item, 0, copyBytes);
      return this.tryPush(item, false, undefined, flagged);
    }
    const skip = 8 - (writer.bulkOffset & 7);
    const stored = skip + length;
    if (stored > MAX_ITEM) {
      throw new RangeError(`item of ${length} bytes exceeds the ${MAX_ITEM - 8}-byte limit of one ring`);
    }
    const deferred = stored >= COPY_OUTSIDE_LOCK;
    this.lock();
    let waiters: number;
    let position: number;
    let failure: { error: unknown } | undefined;
    try {
      this.refreshViews();
      const refused = this.refusal(false);
      if (refused !== undefined) return refused;
      const head = stored | SKIP_PREFIX | (flagged ? RECORD_FLAG : 0);
      position = this.reserve(stored, head, deferred);
      this.bytes[HEADER_BYTES + position + BODY] = skip;
      if (!deferred) failure = this.writeRecord(writer, position, skip, length);
      waiters = this.countPushed();
    } finally {
      this.unlock();
    }
    if (deferred) {
      this.publishWith(position, () => {
        failure = this.writeRecord(writer, position, skip, length);
      });
    } else {
      this.announce(waiters);
    }
    if (failure) throw failure.error;
    return PUSHED;
  }

  /**
   * Has `writer` write a record's bytes after its skip prefix. If it throws, zeroes them (the record
   * still goes out, so the ring stays consistent) and returns the error for the caller to rethrow.
   */
  private writeRecord(
    writer: RecordWriter,
    position: number,
    skip: number,
    length: number,
  ): { error: unknown } | undefined {
    const at = HEADER_BYTES + position + BODY + skip;
    try {
      writer.writeTo(this.bytes, at, copyBytes);
      return undefined;
    } catch (error) {
      this.bytes.fill(0, at, at + length);
      return { error };
    }
  }

  /**
   * Pops the oldest (FIFO, SORTED) or newest (LIFO) record into `extract`'s target. When empty and
   * still open, records PUT_SEQ (read in the lock) in `seenSeq`, and when `register` is set,
   * registers this thread as a waiting popper. CLOSED only once the ring is closed *and* drained.
   */
  private popRecord(
    register: boolean,
    owned: boolean,
    bounded: boolean,
  ): Uint8Array | typeof EMPTY | typeof CLOSED {
    const header = this.header;
    this.lock(bounded);
    this.behindPending = false;
    let item: Uint8Array;
    let waiters: number;
    let caughtUp: boolean;
    try {
      if (header[COUNT]! === 0) {
        if (header[STATE]! & CLOSED_FOR_WRITING) return CLOSED;
        this.seenSeq = Atomics.load(header, PUT_SEQ);
        if (register) Atomics.add(header, POP_WAITERS, 1);
        return EMPTY;
      }
      this.refreshViews();
      const order = header[ORDER];
      if (order === 0 && this.oldestPending()) {
        if (register) Atomics.add(header, POP_WAITERS, 1);
        return EMPTY;
      }
      item = order === 1 ? this.removeNewest(owned) : this.removeOldest(owned);
      if (!this.readsHere) {
        this.readsHere = true;
        readHere.add(this.buffer);
      }
      waiters = Atomics.load(header, PUSH_WAITERS);
      caughtUp = header[USED]! <= PACE_LOW && Atomics.load(header, FLOW_WAITERS) > 0;
    } finally {
      this.unlock();
    }
    Atomics.add(header, POP_SEQ, 1);
    if (waiters > 0) notify(header, POP_SEQ, 1);
    if (caughtUp) {
      Atomics.add(header, FLOW_SEQ, 1);
      Atomics.notify(header, FLOW_SEQ);
    }
    return item;
  }

  /**
   * Pops a record (as `tryPop`) and hands it to `take`, after the lock is released, as a view of
   * this thread's scratch memory (or, with `owned`, as a new array the taker may keep).
   * @returns what `take` returns; TAKE_EMPTY or TAKE_CLOSED when there was no record.
   */
  tryTake<T>(take: Take<T>, register = false, owned = false, bounded = false): TakeOutcome<T> {
    const bytes = this.popRecord(register, owned, bounded);
    if (bytes === EMPTY) return TAKE_EMPTY;
    if (bytes === CLOSED) return TAKE_CLOSED;
    const flagged = this.lastPoppedFlag;
    const held = this.heldSlot;
    if (held >= 0) {
      // Read in place: the record's memory is the taker's until the hold is cleared.
      this.heldSlot = -1;
      try {
        return take(bytes, flagged, false);
      } finally {
        Atomics.store(this.header, HOLDS + 2 * held + 1, 0);
      }
    }
    if (this.extractedOwned) return take(bytes, flagged, true);
    scratchBusy = true;
    try {
      return take(bytes, flagged, false);
    } finally {
      scratchBusy = false;
    }
  }

  /**
   * Pops the oldest (FIFO) or newest (LIFO) record, as a new array. When empty and still open, and
   * `register` is set, registers this thread as a waiting popper (the caller must unregister).
   * CLOSED only once the ring is closed *and* drained.
   */
  tryPop(register = false): PopOutcome {
    const bytes = this.popRecord(register, true, false);
    if (bytes === EMPTY || bytes === CLOSED) return bytes;
    return this.lastPoppedFlag ? new FlaggedRecord(bytes) : bytes;
  }

  // ---------------------------------------------------------------- waiting

  /** Pushes, waiting while full (per `options`). FULL means it gave up (nonblocking or timeout). */
  pushSync(item: Uint8Array, options: RingWaitOptions, goesBefore?: GoesBefore): PushOutcome {
    options.signal?.throwIfAborted();
    const first = this.tryPush(item, false, goesBefore);
    if (first !== FULL || !options.block) return first;
    return this.retrySync(
      (register) => this.tryPush(item, register, goesBefore),
      FULL,
      POP_SEQ,
      PUSH_WAITERS,
      options,
    );
  }

  /** Like `pushSync`, but parks with `Atomics.waitAsync`: never blocks the event loop. */
  async pushAsync(item: Uint8Array, options: RingWaitOptions, goesBefore?: GoesBefore): Promise<PushOutcome> {
    options.signal?.throwIfAborted();
    let first: PushOutcome;
    try {
      first = this.tryPush(item, false, goesBefore, false, true);
    } catch (error) {
      if (error !== RING_BUSY) throw error;
      first = await this.attemptAsync(
        () => this.tryPush(item, false, goesBefore, false, true),
        FULL,
        options,
      );
    }
    if (first !== FULL || !options.block) return first;
    return this.retryAsync(
      (register) => this.tryPush(item, register, goesBefore, false, true),
      FULL,
      POP_SEQ,
      PUSH_WAITERS,
      options,
    );
  }

  /**
   * For a blocking take: true when the ring is plainly empty and open, read without the lock (a
   * consumer that is faster than its producer would otherwise take the lock's line away from the
   * producer once more per item just to find nothing). Sets `seenSeq` for the spin that follows:
   * PUT_SEQ is read first, and a push bumps it only after storing its record, so a push that this
   * read missed changes PUT_SEQ afterwards.
   */
  private peekEmpty(options: RingWaitOptions): boolean {
    if (!options.block) return false;
    const header = this.header;
    const seq = Atomics.load(header, PUT_SEQ);
    if (Atomics.load(header, COUNT) !== 0 || Atomics.load(header, STATE) & CLOSED_FOR_WRITING) return false;
    this.seenSeq = seq;
    return true;
  }

  /**
   * Takes a record (as `tryTake`), waiting while empty (per `options`).
   * @returns what `take` returns; TAKE_EMPTY when it gave up (nonblocking or timeout); TAKE_CLOSED
   *   when the ring is closed and drained.
   */
  takeSync<T>(options: RingWaitOptions, take: Take<T>, owned = false): TakeOutcome<T> {
    options.signal?.throwIfAborted();
    if (!this.peekEmpty(options)) {
      const first = this.tryTake(take, false, owned);
      if (first !== TAKE_EMPTY || !options.block) return first;
    }
    return this.retrySync(
      (register) => this.tryTake(take, register, owned),
      TAKE_EMPTY,
      PUT_SEQ,
      POP_WAITERS,
      options,
    );
  }

  /**
   * Like `takeSync`, but parks with `Atomics.waitAsync`: never blocks the event loop. `take` runs
   * synchronously right after the pop, so concurrent takes in one thread never share the scratch.
   */
  async takeAsync<T>(options: RingWaitOptions, take: Take<T>, owned = false): Promise<TakeOutcome<T>> {
    options.signal?.throwIfAborted();
    if (!this.peekEmpty(options)) {
      let first: TakeOutcome<T>;
      try {
        first = this.tryTake(take, false, owned, true);
      } catch (error) {
        if (error !== RING_BUSY) throw error;
        first = await this.attemptAsync(() => this.tryTake(take, false, owned, true), TAKE_EMPTY, options);
      }
      if (first !== TAKE_EMPTY || !options.block) return first;
    }
    return this.retryAsync(
      (register) => this.tryTake(take, register, owned, true),
      TAKE_EMPTY,
      PUT_SEQ,
      POP_WAITERS,
      options,
    );
  }

  /**
   * The waiting part of a blocking push or take whose first attempt missed: spins unregistered on
   * the `seq` word (a peer a few microseconds away is caught without having to notify), then
   * registers in `waiters` with each attempt and parks on `seq` until `attempt` no longer returns
   * `miss`, or the timeout passes (`miss`). `attempt(true)` registers when it misses; the
   * registration is undone after each park.
   */
  private retrySync<R>(
    attempt: (register: boolean) => R,
    miss: R,
    seq: number,
    waiters: number,
    options: RingWaitOptions,
  ): R {
    // A peer a few microseconds away is caught by spinning, unregistered: it need not notify.
    for (
      let round = 0;
      round < SPIN_ROUNDS && spinWhileEqual(this.header, seq, this.seenSeq, SPIN);
      round++
    ) {
      const outcome = attempt(false);
      if (outcome !== miss) return outcome;
    }
    const deadline = options.timeout === undefined ? undefined : performance.now() + options.timeout;
    for (;;) {
      options.signal?.throwIfAborted();
      const outcome = attempt(true);
      if (outcome !== miss) return outcome;
      try {
        let remaining = deadline === undefined ? undefined : deadline - performance.now();
        if (remaining !== undefined && remaining <= 0) return miss;
        if (this.behindPending) remaining = Math.min(remaining ?? OWNER_CHECK_MS, OWNER_CHECK_MS);
        wait(this.header, seq, this.seenSeq, remaining);
      } finally {
        Atomics.sub(this.header, waiters, 1);
      }
    }
  }

  /** Like `retrySync`, but parks with `Atomics.waitAsync`: never blocks the event loop. */
  private async retryAsync<R>(
    attempt: (register: boolean) => R,
    miss: R,
    seq: number,
    waiters: number,
    options: RingWaitOptions,
  ): Promise<R> {
    // A peer a few microseconds away is caught by spinning, unregistered: it need not notify.
    for (
      let round = 0;
      round < SPIN_ROUNDS && spinWhileEqual(this.header, seq, this.seenSeq, SPIN);
      round++
    ) {
      let outcome: R;
      try {
        outcome = attempt(false);
      } catch (error) {
        if (error !== RING_BUSY) throw error;
        break; // the lock is held long: wait for it below, without blocking the event loop
      }
      if (outcome !== miss) return outcome;
    }
    const deadline = options.timeout === undefined ? undefined : performance.now() + options.timeout;
    for (;;) {
      options.signal?.throwIfAborted();
      let outcome: R;
      try {
        outcome = attempt(true);
      } catch (error) {
        if (error !== RING_BUSY) throw error;
        // Nothing was done (nor registered): wait for the lock without blocking the event loop.
        if (deadline !== undefined && deadline - performance.now() <= 0) return miss;
        await this.lockChanged(options.signal);
        continue;
      }
      if (outcome !== miss) return outcome;
      try {
        let remaining = deadline === undefined ? undefined : deadline - performance.now();
        if (remaining !== undefined && remaining <= 0) return miss;
        if (this.behindPending) remaining = Math.min(remaining ?? OWNER_CHECK_MS, OWNER_CHECK_MS);
        await waitAsync(this.header, seq, this.seenSeq, remaining, {
          signal: options.signal,
          keepAlive: true,
        });
      } finally {
        Atomics.sub(this.header, waiters, 1);
      }
    }
  }

  /**
   * For an async call: `attempt()` (made with a bounded lock), retried after yielding to the event loop
   * while it finds the lock busy (see "A dead thread"). `miss` once the options' timeout, counted from
   * now, passes.
   */
  private async attemptAsync<R>(attempt: () => R, miss: R, options: RingWaitOptions): Promise<R> {
    const deadline = options.timeout === undefined ? undefined : performance.now() + options.timeout;
    for (;;) {
      try {
        return attempt();
      } catch (error) {
        if (error !== RING_BUSY) throw error;
      }
      if (deadline !== undefined && deadline - performance.now() <= 0) return miss;
      await this.lockChanged(options.signal);
    }
  }

  /** Waits, without blocking the event loop, until the lock's word changes (or OWNER_CHECK_MS pass). */
  private async lockChanged(signal: AbortSignal | undefined): Promise<void> {
    const seen = Atomics.load(this.header, LOCK);
    if (seen === 0) return;
    await waitAsync(this.header, LOCK, seen, OWNER_CHECK_MS, { signal, keepAlive: true });
  }

  /** Pops, waiting while empty (per `options`). EMPTY means it gave up; CLOSED: closed and drained. */
  popSync(options: RingWaitOptions): PopOutcome {
    return popOutcome(this.takeSync(options, keepRecord, true));
  }

  /** Like `popSync`, but parks with `Atomics.waitAsync`: never blocks the event loop. */
  async popAsync(options: RingWaitOptions): Promise<PopOutcome> {
    return popOutcome(await this.takeAsync(options, keepRecord, true));
  }

  /**
   * Waits until a record is there or the ring is closed and drained (true), or the timeout passes
   * (false). Does not pop.
   */
  pollSync(timeout: number | undefined): boolean {
    const deadline = timeout === undefined ? undefined : performance.now() + timeout;
    for (;;) {
      if (this.readyOrRegister(true)) return true;
      try {
        let remaining = deadline === undefined ? undefined : deadline - performance.now();
        if (remaining !== undefined && remaining <= 0) return false;
        if (this.behindPending) remaining = Math.min(remaining ?? OWNER_CHECK_MS, OWNER_CHECK_MS);
        wait(this.header, PUT_SEQ, this.seenSeq, remaining);
      } finally {
        Atomics.sub(this.header, POP_WAITERS, 1);
      }
    }
  }

  /** Async twin of `pollSync`. */
  async pollAsync(timeout: number | undefined, signal?: AbortSignal): Promise<boolean> {
    const deadline = timeout === undefined ? undefined : performance.now() + timeout;
    for (;;) {
      signal?.throwIfAborted();
      let ready: boolean;
      try {
        ready = this.readyOrRegister(true, true);
      } catch (error) {
        if (error !== RING_BUSY) throw error;
        if (deadline !== undefined && deadline - performance.now() <= 0) return false;
        await this.lockChanged(signal);
        continue;
      }
      if (ready) return true;
      try {
        let remaining = deadline === undefined ? undefined : deadline - performance.now();
        if (remaining !== undefined && remaining <= 0) return false;
        if (this.behindPending) remaining = Math.min(remaining ?? OWNER_CHECK_MS, OWNER_CHECK_MS);
        await waitAsync(this.header, PUT_SEQ, this.seenSeq, remaining, { signal, keepAlive: true });
      } finally {
        Atomics.sub(this.header, POP_WAITERS, 1);
      }
    }
  }

  /** True when a pop would not wait (a record, or closed). Else registers (when asked) and false. */
  private readyOrRegister(register: boolean, bounded = false): boolean {
    const header = this.header;
    this.lock(bounded);
    this.behindPending = false;
    try {
      if (header[COUNT]! > 0) {
        this.refreshViews();
        // A record still being copied in (which sets `seenSeq`) is not ready yet.
        if (header[ORDER] !== 0 || !this.oldestPending()) return true;
      } else {
        if (header[STATE]! & CLOSED_FOR_WRITING) return true;
        this.seenSeq = Atomics.load(header, PUT_SEQ);
      }
      if (register) Atomics.add(header, POP_WAITERS, 1);
      return false;
    } finally {
      this.unlock();
    }
  }

  /** Peeks without waiting: a record is there, or the ring is closed and drained. */
  readyNow(): boolean {
    if (Atomics.load(this.header, COUNT) === 0) return this.isClosedForWriting();
    return this.header[ORDER] !== 0 || this.readyOrRegister(false);
  }

  // ---------------------------------------------------------------- closing

  /**
   * No more pushes; poppers still receive what is stored, then CLOSED. Wakes every waiter.
   * `reading` also closes the reading side: pushers get NO_READER from then on.
   */
  close(which: 'writing' | 'reading' | 'both' = 'writing'): void {
    const header = this.header;
    const bits =
      which === 'writing'
        ? CLOSED_FOR_WRITING
        : which === 'reading'
          ? CLOSED_FOR_READING
          : CLOSED_FOR_WRITING | CLOSED_FOR_READING;
    this.lock();
    try {
      header[STATE] = header[STATE]! | bits;
      Atomics.add(header, PUT_SEQ, 1);
      Atomics.add(header, POP_SEQ, 1);
      Atomics.add(header, FLOW_SEQ, 1);
    } finally {
      this.unlock();
    }
    notify(header, PUT_SEQ);
    notify(header, POP_SEQ);
    Atomics.notify(header, FLOW_SEQ);
  }

  // ---------------------------------------------------------------- task accounting (JoinableQueue)

  /** One task finished. False when there was none unfinished (the caller raises). */
  taskDone(): boolean {
    const header = this.header;
    let reachedZero = false;
    this.lock();
    try {
      const unfinished = header[UNFINISHED]!;
      if (unfinished <= 0) return false;
      header[UNFINISHED] = unfinished - 1;
      if (unfinished === 1) {
        Atomics.add(header, JOIN_SEQ, 1);
        reachedZero = true;
      }
    } finally {
      this.unlock();
    }
    if (reachedZero) notify(header, JOIN_SEQ);
    return true;
  }

  unfinishedTasks(): number {
    return Atomics.load(this.header, UNFINISHED);
  }

  /** Waits until every pushed task is done. False on timeout. */
  joinSync(timeout: number | undefined): boolean {
    const header = this.header;
    const seq = Atomics.load(header, JOIN_SEQ);
    if (Atomics.load(header, UNFINISHED) === 0) return true;
    return wait(header, JOIN_SEQ, seq, timeout) !== 'timed-out';
  }

  /** Async twin of `joinSync`. */
  async joinAsync(timeout: number | undefined, signal?: AbortSignal): Promise<boolean> {
    const header = this.header;
    const seq = Atomics.load(header, JOIN_SEQ);
    if (Atomics.load(header, UNFINISHED) === 0) return true;
    const result = await waitAsync(header, JOIN_SEQ, seq, timeout, { signal, keepAlive: true });
    return result !== 'timed-out';
  }
}
