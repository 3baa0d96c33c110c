/**
 * A value that cannot cross to another thread or process as bytes: a function, a symbol, an instance of a
 * class that is not a registered handle kind, a thread-local object.
 *
 * `message` names where the value sits (`args[1].onDone is a function`); `path` holds that location alone
 * (`args[1].onDone`) and `reason` the rest (`is a function`).
 */
export class DataCloneError extends Error {
  override name = 'DataCloneError';
  /** Where the offending value sits, starting at the root name given to `encode` (default `value`). */
  path: string;
  /** Why it cannot cross, e.g. `is a function`. */
  readonly reason: string;
  /** Path segments collected while the error travels up the encoder, innermost first. */
  private readonly segments: string[] = [];

  constructor(reason: string, path = 'value') {
    super(`${path} ${reason}`);
    this.reason = reason;
    this.path = path;
  }

  /** @internal Called by the encoder as the error passes through a container. */
  addSegment(segment: string): void {
    this.segments.push(segment);
  }

  /** @internal Called once at the top of `encode`, when the whole path is known. */
  finishPath(root: string): this {
    let path = root;
    for (let i = this.segments.length - 1; i >= 0; i--) path += this.segments[i];
    this.segments.length = 0;
    this.path = path;
    this.message = `${path} ${this.reason}`;
    return this;
  }
}

/**
 * Bytes that `decode` cannot turn into a value: truncated or malformed input, a handle kind no module in
 * this thread registers, a SharedArrayBuffer this thread cannot find. The bytes may come from the network,
 * so every such case ends in this error; none hangs or crashes the thread.
 */
export class DecodeError extends Error {
  override name = 'DecodeError';
}
