/**
 * A Connection between two endpoints that authenticated each other: the API of @weft/pipe's
 * Connection (send / recv / poll / sendBytes / recvBytes / close), over a socket, or over shared
 * memory when both ends turn out to live in the same process.
 */
import { ClosedError, ProtocolError } from './errors.js';
import { FrameInbox } from './frame-inbox.js';
import type { FrameTransport } from './frame-transport.js';
import { encodePayload } from './payload.js';

export class Connection {
  private readonly inbox: FrameInbox;
  private isClosed = false;
  private stopListening: ((error: Error) => void) | undefined;

  /** @internal Built by Listener.accept() and Client(). */
  constructor(
    private readonly transport: FrameTransport,
    inbox?: FrameInbox,
  ) {
    if (inbox) this.inbox = inbox;
    else {
      this.inbox = new FrameInbox(transport);
      transport.start(this.inbox);
    }
    transport.setActive(false);
  }

  /** 'socket' or 'shared-memory': the path frames take (same-process peers use shared memory). */
  get transportKind(): 'socket' | 'shared-memory' {
    return this.transport.kind;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  get readable(): boolean {
    return !this.isClosed;
  }

  get writable(): boolean {
    return !this.isClosed;
  }

  /**
   * Sends a value (weft codec data: what structured clone accepts, plus weft handles).
   * @throws ClosedError if this end is closed; the codec's error for a value that cannot be sent.
   */
  send(value: unknown): void {
    this.checkOpen();
    this.transport.write(encodePayload(value));
  }

  /**
   * Sends raw bytes as one message: `buffer[offset .. offset + size)`.
   * @throws ClosedError if closed; RangeError for an offset or size outside the buffer.
   */
  sendBytes(buffer: ArrayBufferView | ArrayBuffer, offset = 0, size?: number): void {
    this.checkOpen();
    const bytes =
      buffer instanceof ArrayBuffer
        ? new Uint8Array(buffer)
        : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    const length = size ?? bytes.byteLength - offset;
    if (offset < 0 || length < 0 || offset + length > bytes.byteLength) {
      throw new RangeError(
        `offset ${offset} and size ${length} do not fit a buffer of ${bytes.byteLength} bytes`,
      );
    }
    this.transport.write(bytes.slice(offset, offset + length));
  }

  /**
   * Receives the next value, waiting as long as it takes.
   * @returns the decoded value.
   * @throws EOFError when the other end closed and everything was read; ClosedError if this end is
   * closed; ProtocolError if the peer sent a frame that cannot be decoded (the connection is closed).
   */
  recv(): Promise<unknown> {
    if (this.isClosed) return Promise.reject(new ClosedError('the connection is closed'));
    return this.inbox.takeAsync().then((frame) => this.decode(frame));
  }

  /**
   * Receives the next message as raw bytes.
   * @throws EOFError at end of stream; ProtocolError (and closes) if it is longer than `maxLength`.
   */
  async recvBytes(maxLength?: number): Promise<Uint8Array> {
    this.checkOpen();
    const frame = await this.inbox.takeAsync();
    if (maxLength !== undefined && frame.byteLength > maxLength) {
      this.close();
      throw new ProtocolError(`message of ${frame.byteLength} bytes is longer than maxLength ${maxLength}`);
    }
    return frame;
  }

  /**
   * Whether there is something to receive (a message, or end of stream) within `timeoutMs`
   * (0 or absent: answer at once; Infinity: wait forever), like Python's `poll(timeout)`.
   * @throws ClosedError if this end is closed.
   */
  async poll(timeoutMs = 0): Promise<boolean> {
    this.checkOpen();
    return this.inbox.wait(timeoutMs === Number.POSITIVE_INFINITY ? undefined : timeoutMs);
  }

  /** Closes this end; the peer's recv then ends with EOFError once it read what was sent. Idempotent. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.inbox.failTakers(new ClosedError('the connection is closed'));
    this.transport.close();
    this.stopListening?.(new ClosedError('the connection is closed'));
  }

  /**
   * @internal Hands every message, decoded and in order, with its size in bytes, to `onMessage` as soon as it arrives (no
   * promise per message; recv() is not used any more). `onEnd` runs once: end of stream (no error),
   * a frame that broke the protocol or an `onMessage` that threw (the connection is then closed), or
   * this end closing (ClosedError).
   */
  listen(onMessage: (message: unknown, byteLength: number) => void, onEnd: (error?: Error) => void): void {
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      this.stopListening = undefined;
      onEnd(error);
    };
    this.stopListening = finish;
    const transport = this.transport;
    this.inbox.redirect({
      frame: (bytes) => {
        if (done) return;
        let message: unknown;
        try {
          message = transport.decode(bytes);
        } catch (error) {
          finish(new ProtocolError(`undecodable message: ${(error as Error).message}`));
          this.close();
          return;
        }
        try {
          onMessage(message, bytes.byteLength);
        } catch (error) {
          finish(error as Error);
          this.close();
        }
      },
      end: (error) => finish(error),
    });
  }

  /** @internal While true, this connection keeps its thread alive waiting for messages. */
  keepAlive(active: boolean): void {
    this.transport.setActive(active);
  }

  [Symbol.dispose](): void {
    this.close();
  }

  private decode(frame: Uint8Array): unknown {
    try {
      return this.transport.decode(frame);
    } catch (error) {
      this.close();
      throw new ProtocolError(`undecodable message: ${(error as Error).message}`);
    }
  }

  private checkOpen(): void {
    if (this.isClosed) throw new ClosedError('the connection is closed');
  }
}
