/**
 * SharedMemory: a named block of bytes any thread of the program can attach by name, Python's
 * `multiprocessing.shared_memory.SharedMemory`.
 *
 * Shared memory: one SharedArrayBuffer of exactly `size` bytes, all of it the user's (`buf`). The name
 * lives in the process-wide directory (block-directory.ts), not in the block.
 */
import { findBlock, registerBlock, unregisterBlock } from './block-directory.js';
import { ClosedError, ValueError } from './errors.js';
import { registerKind } from './handle-kinds.js';

export interface SharedMemoryOptions {
  /** Bytes, > 0. */
  size: number;
  /** A program-wide name (default: a fresh 'wnsm_…' name). @see SharedMemory.attach */
  name?: string | undefined;
}

export interface AttachOptions {
  /** How long to wait for another thread to answer for a name this thread has not heard of (ms, default 1000). */
  timeout?: number | undefined;
}

/** What `toHandle` returns and `fromHandle` takes. */
export interface SharedMemoryHandle {
  name: string;
  buffer: SharedArrayBuffer;
}

const MAX_SIZE = 2 ** 32;

function freshName(): string {
  const bytes = new Uint8Array(4);
  crypto.getRandomValues(bytes);
  return `wnsm_${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

export class SharedMemory {
  /** The block's program-wide name. */
  readonly name!: string;
  /** Its size in bytes. */
  readonly size!: number;
  private view: Uint8Array | undefined;

  /**
   * Creates a new block, zero-filled, and registers its name for every thread.
   * @throws ValueError for a size that is not a positive integer or a bad name; FileExistsError if a
   *   block of this name exists in the program.
   */
  constructor(options: SharedMemoryOptions) {
    const { size, name = freshName() } = options ?? ({} as SharedMemoryOptions);
    if (!Number.isInteger(size) || size <= 0 || size > MAX_SIZE) {
      throw new ValueError(
        `'size' must be a positive integer number of bytes, got ${String(size)}`,
        'ERR_SIZE',
      );
    }
    if (typeof name !== 'string' || name.length === 0) {
      throw new ValueError('name must be a non-empty string', 'ERR_NAME');
    }
    const buffer = new SharedArrayBuffer(size);
    registerBlock(name, buffer);
    this.open(name, buffer);
  }

  private open(name: string, buffer: SharedArrayBuffer): void {
    (this as { name: string }).name = name;
    (this as { size: number }).size = buffer.byteLength;
    this.view = new Uint8Array(buffer);
  }

  /**
   * Attaches the block another thread (or this one) created as `name`.
   * Blocks this thread up to `timeout` only if this thread has not heard of the name yet.
   * @throws FileNotFoundError if no such block exists (or was unlinked).
   */
  static attach(name: string, options: AttachOptions = {}): SharedMemory {
    if (typeof name !== 'string' || name.length === 0)
      throw new ValueError('name must be a non-empty string', 'ERR_NAME');
    return SharedMemory.fromHandle({ name, buffer: findBlock(name, options.timeout ?? 1000) });
  }

  /** Rebuilds over `handle`'s memory. @throws TypeError */
  static fromHandle(handle: SharedMemoryHandle): SharedMemory {
    if (!(handle?.buffer instanceof SharedArrayBuffer) || typeof handle.name !== 'string') {
      throw new TypeError('not a SharedMemory handle: expected { name, buffer: SharedArrayBuffer }');
    }
    const block = Object.create(SharedMemory.prototype) as SharedMemory;
    block.open(handle.name, handle.buffer);
    return block;
  }

  /** The block's memory and name, for `fromHandle` in another thread. @throws ClosedError after close(). */
  toHandle(): SharedMemoryHandle {
    return { name: this.name, buffer: this.buf.buffer as SharedArrayBuffer };
  }

  /** The bytes, shared with every thread that has the block. @throws ClosedError after close(). */
  get buf(): Uint8Array {
    if (this.view === undefined) throw new ClosedError(this.name);
    return this.view;
  }

  /** Whether `close()` was called on this object. */
  get closed(): boolean {
    return this.view === undefined;
  }

  /**
   * Stops using the block from this object (`buf` throws afterwards). Other attachments, here and in
   * other threads, are unaffected; the memory is freed when no thread references it any more.
   */
  close(): void {
    this.view = undefined;
  }

  /**
   * Removes the name from the program: later `attach(name)` calls fail and the name may be reused.
   * Existing attachments stay usable (as with POSIX shared memory). Call it once, from any thread.
   */
  unlink(): void {
    unregisterBlock(this.name);
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

registerKind<SharedMemory, SharedMemoryHandle>({
  name: '@weft/shared-memory#SharedMemory',
  type: SharedMemory,
  toHandle: (block: SharedMemory) => block.toHandle(),
  fromHandle: (handle: SharedMemoryHandle) => SharedMemory.fromHandle(handle),
});
