/**
 * The tasks a pool has submitted and not settled, by task id.
 *
 * Ids are handed out in increasing order, so the table is a list of fixed-size chunks, each holding
 * CHUNK consecutive ids: adding is a store into the newest chunk, looking up and removing are an
 * index into one chunk, and a chunk is dropped once its last task settles. A `Map` costs several
 * times more per task (hashing, growth, and garbage the collector must copy while tasks are queued).
 */
const SHIFT = 12;
const CHUNK = 1 << SHIFT;
const MASK = CHUNK - 1;

interface Chunk<T> {
  items: (T | undefined)[];
  live: number;
}

export class TaskTable<T extends { readonly id: number }> {
  private readonly chunks = new Map<number, Chunk<T>>();
  private lastKey = -1;
  private last: Chunk<T> | undefined;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds a task; its id must not be in the table. */
  set(task: T): void {
    const key = task.id >>> SHIFT;
    if (key !== this.lastKey && this.last && this.last.live === 0) this.chunks.delete(this.lastKey);
    let chunk = key === this.lastKey ? this.last : this.chunks.get(key);
    if (!chunk) {
      chunk = { items: new Array<T | undefined>(CHUNK).fill(undefined), live: 0 };
      this.chunks.set(key, chunk);
    }
    this.lastKey = key;
    this.last = chunk;
    chunk.items[task.id & MASK] = task;
    chunk.live++;
    this.count++;
  }

  get(id: number): T | undefined {
    const key = id >>> SHIFT;
    const chunk = key === this.lastKey ? this.last : this.chunks.get(key);
    return chunk?.items[id & MASK];
  }

  /** Removes the task with this id; true if it was there. */
  delete(id: number): boolean {
    const key = id >>> SHIFT;
    const chunk = key === this.lastKey ? this.last : this.chunks.get(key);
    if (!chunk || chunk.items[id & MASK] === undefined) return false;
    chunk.items[id & MASK] = undefined;
    this.count--;
    if (--chunk.live === 0 && key !== this.lastKey) this.chunks.delete(key);
    return true;
  }

  /** The tasks, oldest chunk first (a snapshot: the table may change while it is walked). */
  values(): T[] {
    const out: T[] = [];
    const keys = [...this.chunks.keys()].sort((a, b) => a - b);
    for (const key of keys) {
      for (const item of this.chunks.get(key)!.items) if (item !== undefined) out.push(item);
    }
    return out;
  }
}
