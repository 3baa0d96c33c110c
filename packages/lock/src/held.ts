/** The guard returned by `lock()` / `lockSync()`: `using _held = await lock.lock();` releases on scope exit. */

/** Something that can be released once. */
export interface Releasable {
  release(): void;
}

/**
 * A held acquisition. Disposing it (`using`, or calling `release()`) releases the primitive exactly once,
 * so a guard disposed twice never over-releases.
 */
export class Held implements Disposable {
  private target: Releasable | undefined;
  constructor(target: Releasable) {
    this.target = target;
  }
  /** Releases the primitive if this guard still holds it; later calls do nothing. */
  release(): void {
    const target = this.target;
    this.target = undefined;
    target?.release();
  }
  [Symbol.dispose](): void {
    this.release();
  }
}
