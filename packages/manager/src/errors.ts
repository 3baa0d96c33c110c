/**
 * Errors of @weft/manager, with Python's names where Python has one. Errors a lower package already
 * defines are that package's classes (so `instanceof` works whichever package you import them from).
 */

export { BrokenBarrierError, TimeoutError } from '@weft/lock';
export { EOFError } from '@weft/pipe';
export { Empty, Full } from '@weft/queue';

/** The peer did not prove it knows the authkey (or answered our challenge wrongly). Python's name. */
export class AuthenticationError extends Error {
  override name = 'AuthenticationError';
}

/** The peer broke the wire protocol: a frame over the size limit, a truncated or undecodable frame. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

/**
 * The server refused a request that would cost it more memory than its limits allow (an object larger
 * than `maxObjectBytes`, a connection past `maxConnectionBytes`, a server thread low on heap). Python's
 * name for an allocation that cannot be made; nothing was allocated and the server keeps serving.
 */
export class MemoryError extends Error {
  override name = 'MemoryError';
}

/** An operation on a closed Connection, Listener or manager. */
export class ClosedError extends Error {
  override name = 'ClosedError';
}

/**
 * A blocking (`…Sync`) proxy call whose object is served or owned by the calling thread itself: the
 * answer would need this thread's event loop, which the call blocks, so it would hang forever.
 */
export class SyncDeadlockError extends Error {
  override name = 'SyncDeadlockError';
}

/**
 * A method called through a proxy threw in the server. `name`, `message` and `remoteStack` are the
 * server's; the local `stack` shows where the call was made.
 */
export class RemoteError extends Error {
  override name = 'RemoteError';
  /** The error's stack as it was in the server. */
  readonly remoteStack: string | undefined;
  constructor(name: string, message: string, remoteStack?: string) {
    super(message);
    this.name = name;
    this.remoteStack = remoteStack;
  }
}
