/**
 * The server side of weft primitives given to child processes (`context: 'process'` args, see
 * @weft/pool's remote-args.ts): the parent's own Lock, Queue, Value … rebuilt over the same shared
 * memory in the server thread, so that the parent's threads and the children act on one object.
 *
 * Most are served as they are: every call runs on the server thread, and a Lock, Semaphore, Event,
 * Barrier or Queue does not care which thread calls it. Two kinds need more:
 * - an RLock (and a Condition's lock) belongs to a thread, and here every child's call runs on the
 *   same server thread: CallerOwnedLock keeps the owner per caller (one caller per child thread, as
 *   the manager's own RLock does) and takes the underlying lock at most once for it;
 * - Value and SharedArray: `.value = x` and `getLock()` become methods (a proxy cannot assign), and
 *   the lock is served as an object of its own.
 */

import { DataCloneError } from '@weft/codec';
import { Barrier, BoundedSemaphore, Condition, Event, Lock, RLock, Semaphore } from '@weft/lock';
import { Connection } from '@weft/pipe';
import { Queue } from '@weft/queue';
import { RawSharedArray, RawValue, SharedMemory } from '@weft/shared-memory';
import {
  type BlockingOptions,
  type CallContext,
  isNonBlocking,
  remaining,
  TAKES_CONTEXT,
  WaitList,
  type WaitOptions,
} from './call-context.js';
import { RuntimeError } from './served-sync.js';

/** How often a caller re-checks a lock that another served object over the same memory holds. */
const SHARED_WORD_RECHECK_MS = 5;

/** The typeid a child's proxy is made for, per weft class (most specific first). */
export function primitiveTypeid(value: object): string | undefined {
  if (value instanceof RLock) return 'weft:RLock';
  if (value instanceof Lock) return 'weft:Lock';
  if (value instanceof BoundedSemaphore) return 'weft:BoundedSemaphore';
  if (value instanceof Semaphore) return 'weft:Semaphore';
  if (value instanceof Condition) return 'weft:Condition';
  if (value instanceof Event) return 'weft:Event';
  if (value instanceof Barrier) return 'weft:Barrier';
  if (value instanceof Queue) return 'weft:Queue';
  // A synchronized Value or SharedArray has a lock, a raw one has not: their proxies differ the same way.
  const locked = typeof (value as { getLock?: unknown }).getLock === 'function';
  if (value instanceof RawValue) return locked ? 'weft:Value' : 'weft:RawValue';
  if (value instanceof RawSharedArray) return locked ? 'weft:Array' : 'weft:RawArray';
  if (value instanceof Connection) return 'weft:Connection';
  return undefined;
}

type OwnableLock = Lock | RLock | Condition;

/**
 * An RLock or a Condition's lock, owned per caller. The server thread holds the underlying lock at
 * most once (for the caller recorded here); other callers wait in this object's queue, never on
 * the server thread's re-entrancy. A Condition's `wait` lets the underlying condition release and
 * take back the lock (so the parent's threads see an ordinary waiter); while a waiter takes it
 * back the lock reads as held by the server thread, and no other caller may take it then.
 */
export class CallerOwnedLock {
  static readonly [TAKES_CONTEXT] = true;
  protected holder = 0;
  protected depth = 0;
  private taking = false;
  protected readonly queue = new WaitList();

  constructor(protected readonly target: OwnableLock) {}

  private heldByServerThread(): boolean {
    const lock = this.target instanceof Condition ? this.innerLock() : this.target;
    return lock.isOwnedByCurrentThread();
  }

  private innerLock(): Lock | RLock {
    return (this.target as unknown as { inner: Lock | RLock }).inner;
  }

  async acquire(ctx: CallContext, options?: BlockingOptions): Promise<boolean> {
    if (this.holder === ctx.caller) {
      this.depth++;
      return true;
    }
    const started = performance.now();
    const nonBlocking = isNonBlocking(options);
    for (;;) {
      const serverHolds = this.holder === 0 && !this.taking && this.heldByServerThread();
      if (this.holder === 0 && !this.taking && !serverHolds) {
        this.taking = true;
        let got = false;
        try {
          got = await this.target.acquire(
            nonBlocking
              ? { blocking: false }
              : { timeout: remaining(options?.timeout, started), signal: ctx.signal },
          );
        } finally {
          this.taking = false;
          if (!got) this.queue.wakeOne();
        }
        if (got) {
          this.holder = ctx.caller;
          this.depth = 1;
          if (ctx.signal.aborted) this.releaseAll();
        }
        return got;
      }
      if (nonBlocking) return false;
      const left = remaining(options?.timeout, started);
      if (left !== undefined && left <= 0) return false;
      const wait = serverHolds ? Math.min(left ?? SHARED_WORD_RECHECK_MS, SHARED_WORD_RECHECK_MS) : left;
      const woken = await this.queue.wait(ctx, wait);
      if (!woken && !serverHolds) return false;
    }
  }

  release(ctx: CallContext): void {
    if (this.holder !== ctx.caller) throw new RuntimeError('cannot release un-acquired lock');
    if (--this.depth === 0) this.releaseAll();
  }

  locked(_ctx: CallContext): boolean {
    return (this.target instanceof Condition ? this.innerLock() : this.target).locked();
  }

  protected releaseAll(): void {
    this.holder = 0;
    this.depth = 0;
    this.target.release();
    this.queue.wakeOne();
  }
}

/** A Condition served to children: its lock owned per caller (see CallerOwnedLock). */
export class CallerOwnedCondition extends CallerOwnedLock {
  private get condition(): Condition {
    return this.target as Condition;
  }

  async wait(ctx: CallContext, options?: WaitOptions): Promise<boolean> {
    if (this.holder !== ctx.caller) throw new RuntimeError('cannot wait on un-acquired lock');
    const depth = this.depth;
    // The condition registers the waiter and releases the lock before its first await.
    const waiting = this.condition.wait({ timeout: options?.timeout, signal: ctx.signal });
    this.holder = 0;
    this.depth = 0;
    this.queue.wakeOne();
    try {
      return await waiting;
    } finally {
      // The condition took the lock back (also on timeout and abort), for this caller.
      this.holder = ctx.caller;
      this.depth = depth;
      if (ctx.signal.aborted) this.releaseAll();
    }
  }

  notify(ctx: CallContext, n = 1): void {
    if (this.holder !== ctx.caller) throw new RuntimeError('cannot notify on un-acquired lock');
    this.condition.notify(n);
  }

  notifyAll(ctx: CallContext): void {
    if (this.holder !== ctx.caller) throw new RuntimeError('cannot notify on un-acquired lock');
    this.condition.notifyAll();
  }
}

/** Serves a nested object (a Value's lock) and answers its id and typeid. */
export type ServeNested = (target: object) => { id: number; typeid: string };

/** A Value or RawValue served to children: `.value` is read as an attribute and written with setValue. */
export class ServedSharedValue {
  constructor(
    private readonly target: RawValue,
    private readonly serveNested: ServeNested,
  ) {}

  get value(): unknown {
    return this.target.value;
  }

  get typecode(): string {
    return this.target.typecode;
  }

  setValue(value: unknown): void {
    (this.target as { value: unknown }).value = value;
  }

  /** The lock's id and typeid; undefined for a RawValue (it has none). */
  lockRef(): { id: number; typeid: string } | undefined {
    const getLock = (this.target as { getLock?: () => Lock | RLock }).getLock;
    return getLock ? this.serveNested(getLock.call(this.target)) : undefined;
  }
}

/** A SharedArray or RawSharedArray served to children. */
export class ServedSharedArray {
  constructor(
    private readonly target: RawSharedArray,
    private readonly serveNested: ServeNested,
  ) {}

  get length(): number {
    return this.target.length;
  }

  get typecode(): string {
    return this.target.typecode;
  }

  get(index: number): unknown {
    return this.target.get(index);
  }

  set(index: number, value: number | bigint): void {
    this.target.set(index, value);
  }

  toArray(): unknown[] {
    return this.target.toArray();
  }

  lockRef(): { id: number; typeid: string } | undefined {
    const getLock = (this.target as { getLock?: () => Lock | RLock }).getLock;
    return getLock ? this.serveNested(getLock.call(this.target)) : undefined;
  }
}

/** The shared memory that identifies a primitive (the same for every object rebuilt over it). */
function memoryOf(target: object): object {
  const handle = (target as { toHandle?: () => { buffer?: unknown } }).toHandle?.();
  return handle?.buffer instanceof SharedArrayBuffer ? handle.buffer : target;
}

/**
 * Serves the primitives that children use, once per shared memory: the same Lock given to two
 * children (or rebuilt twice) is one served object, with one record of who owns it.
 */
export class ServedPrimitives {
  private readonly ids = new Map<string, WeakMap<object, number>>();

  constructor(private readonly add: (typeid: string, target: object) => number) {}

  /** The id of `target` served as `typeid` (a 'weft:…' typeid adapts it; any other serves it as is). */
  serve(typeid: string, target: object): number {
    let byMemory = this.ids.get(typeid);
    if (!byMemory) {
      byMemory = new WeakMap();
      this.ids.set(typeid, byMemory);
    }
    const memory = memoryOf(target);
    let id = byMemory.get(memory);
    if (id === undefined) {
      id = this.add(typeid, this.adapt(typeid, target));
      byMemory.set(memory, id);
    }
    return id;
  }

  private adapt(typeid: string, target: object): object {
    const nested: ServeNested = (lock) => {
      const lockTypeid = primitiveTypeid(lock) ?? 'weft:Lock';
      return { id: this.serve(lockTypeid, lock), typeid: lockTypeid };
    };
    switch (typeid) {
      case 'weft:RLock':
        return new CallerOwnedLock(target as RLock);
      case 'weft:Condition':
        return new CallerOwnedCondition(target as Condition);
      case 'weft:Value':
      case 'weft:RawValue':
        return new ServedSharedValue(target as RawValue, nested);
      case 'weft:Array':
      case 'weft:RawArray':
        return new ServedSharedArray(target as RawSharedArray, nested);
      default:
        return target;
    }
  }
}

/** How deep `shareResult` looks for primitives in a result (as deep as a child's args, see @weft/pool). */
const RESULT_DEPTH = 4;

/**
 * A result for a client on a socket, which may be another process: a weft primitive in it (an item
 * taken from a served Queue, received from a served Connection, held in a manager container) would
 * reach that process as shared memory it cannot map. Each is served instead (once per memory) and
 * replaced by a proxy of it, which arrives as the same proxy a child gets in its args.
 * @param proxyOf makes the proxy of a served object from its id and typeid.
 */
export function shareResult(
  value: unknown,
  primitives: ServedPrimitives,
  proxyOf: (id: number, typeid: string) => object,
  depth = 0,
): unknown {
  if (value === null || typeof value !== 'object' || depth > RESULT_DEPTH) return value;
  if (
    value instanceof SharedArrayBuffer ||
    (ArrayBuffer.isView(value) && value.buffer instanceof SharedArrayBuffer)
  )
    throw new DataCloneError(
      `is ${value instanceof SharedArrayBuffer ? 'a SharedArrayBuffer' : `a ${value.constructor.name} over a SharedArrayBuffer`}: shared memory cannot reach a client in another process; send a SharedArray or Value from @weft/shared-memory instead (it is served to that process)`,
      'the result',
    );
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value;
  if (value instanceof SharedMemory)
    throw new DataCloneError(
      'is a SharedMemory block: a client in another process cannot map it (Node shares memory between threads only); send a SharedArray from @weft/shared-memory instead (it is served to that process)',
      'the result',
    );
  const prototype = Object.getPrototypeOf(value);
  if (Array.isArray(value)) {
    let changed: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const shared = shareResult(value[i], primitives, proxyOf, depth + 1);
      if (shared === value[i]) continue;
      changed ??= [...value];
      changed[i] = shared;
    }
    return changed ?? value;
  }
  if (prototype === Object.prototype || prototype === null) {
    let changed: Record<string, unknown> | undefined;
    for (const [key, item] of Object.entries(value)) {
      const shared = shareResult(item, primitives, proxyOf, depth + 1);
      if (shared === item) continue;
      changed ??= { ...value };
      changed[key] = shared;
    }
    return changed ?? value;
  }
  if (value instanceof Map) {
    let changed = false;
    const out = new Map<unknown, unknown>();
    for (const [key, item] of value) {
      const shared = shareResult(item, primitives, proxyOf, depth + 1);
      changed ||= shared !== item;
      out.set(key, shared);
    }
    return changed ? out : value;
  }
  const typeid = primitiveTypeid(value);
  return typeid === undefined ? value : proxyOf(primitives.serve(typeid, value), typeid);
}
