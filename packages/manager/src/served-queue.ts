/** Queue and JoinableQueue as a Manager serves them (Python's queue.Queue inside the manager). */
import {
  type BlockingOptions,
  type CallContext,
  isNonBlocking,
  remaining,
  TAKES_CONTEXT,
  WaitList,
} from './call-context.js';
import { Empty, Full } from './errors.js';
import { ValueError } from './served-sync.js';

export class ServedQueue {
  static readonly [TAKES_CONTEXT] = true;
  private items: unknown[] = [];
  private head = 0;
  private readonly notEmpty = new WaitList();
  private readonly notFull = new WaitList();
  protected readonly maxsize: number;

  constructor(options?: { maxsize?: number }) {
    this.maxsize = options?.maxsize ?? 0;
  }

  /**
   * Adds an item, waiting for room if the queue is bounded and full.
   * @throws Full when not blocking, or after `timeout` ms.
   */
  async put(ctx: CallContext, item: unknown, options?: BlockingOptions): Promise<void> {
    if (this.isFull()) {
      if (isNonBlocking(options)) throw new Full('queue is full');
      const started = performance.now();
      while (this.isFull()) {
        if (!(await this.notFull.wait(ctx, remaining(options?.timeout, started))))
          throw new Full('queue is full');
      }
    }
    this.items.push(item);
    this.onPut();
    this.notEmpty.wakeOne();
  }

  /** Takes the oldest item, waiting for one. @throws Empty when not blocking, or after `timeout` ms. */
  async get(ctx: CallContext, options?: BlockingOptions): Promise<unknown> {
    if (this.count() === 0) {
      if (isNonBlocking(options)) throw new Empty('queue is empty');
      const started = performance.now();
      while (this.count() === 0) {
        if (!(await this.notEmpty.wait(ctx, remaining(options?.timeout, started))))
          throw new Empty('queue is empty');
      }
    }
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.notFull.wakeOne();
    // A woken getter may have lost the item to a faster one; pass the wake on if items remain.
    if (this.count() > 0) this.notEmpty.wakeOne();
    return item;
  }

  putNowait(ctx: CallContext, item: unknown): Promise<void> {
    return this.put(ctx, item, { block: false });
  }

  getNowait(ctx: CallContext): Promise<unknown> {
    return this.get(ctx, { block: false });
  }

  qsize(_ctx: CallContext): number {
    return this.count();
  }

  empty(_ctx: CallContext): boolean {
    return this.count() === 0;
  }

  full(_ctx: CallContext): boolean {
    return this.isFull();
  }

  protected onPut(): void {}

  private count(): number {
    return this.items.length - this.head;
  }

  private isFull(): boolean {
    return this.maxsize > 0 && this.count() >= this.maxsize;
  }
}

export class ServedJoinableQueue extends ServedQueue {
  private unfinished = 0;
  private readonly allDone = new WaitList();

  /** Marks one fetched item as processed. @throws ValueError if called more times than items put. */
  taskDone(_ctx: CallContext): void {
    if (this.unfinished <= 0) throw new ValueError('task_done() called too many times');
    if (--this.unfinished === 0) this.allDone.wakeAll();
  }

  /** Waits until every item put has been marked done. */
  async join(ctx: CallContext): Promise<void> {
    while (this.unfinished > 0) await this.allDone.wait(ctx, undefined);
  }

  protected override onPut(): void {
    this.unfinished++;
  }
}
