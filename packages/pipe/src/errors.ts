export { TimeoutError, ValueError } from '@weft/atomics-sync-shim';

/** Raised by `recv` when the other end is closed and everything it sent has been received. */
export class EOFError extends Error {
  constructor(message = 'the other end of the pipe is closed and everything it sent was received') {
    super(message);
    this.name = 'EOFError';
  }
}

/**
 * Raised for misuse of a connection, as Python raises `OSError`: any call on a closed connection
 * ("handle is closed"), sending on a receive-only end, a message longer than `recvBytes`'s `maxLength`.
 */
export class OSError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OSError';
  }
}

/** Raised by `send` when every copy of the other end is closed: nobody can ever read it. */
export class BrokenPipeError extends OSError {
  constructor(message = 'the other end of the pipe is closed') {
    super(message);
    this.name = 'BrokenPipeError';
  }
}
