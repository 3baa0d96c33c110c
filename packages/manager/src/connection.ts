/**
 * A Connection between two endpoints that authenticated each other: the API of @weft/pipe's
 * Connection (send / recv / poll / sendBytes / recvBytes / close), over a socket, or over shared
 * memory when both ends turn out to live in the same process.
 */
import { ClosedError, ProtocolError } from './errors.js';
import { FrameInbox } from './frame-inbox.js';
import type { FrameTransport } from './frame-transport.js';
import { decodePayload, encodePayload } from './payload.js';

export class Connection {
  private readonly inbox: FrameInbox;
  private isClosed = false;

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
  async recv(): Promise<unknown> {
    const frame = await this.nextFrame();
    try {
      return decodePayload(frame, this.transport.kind === 'socket');
    } catch (error) {
      this.close();
      throw new ProtocolError(`undecodable message: ${(error as Error).message}`);
    }
  }

  /**
   * Receives the next message as raw bytes.
   * @throws EOFError at end of stream; ProtocolError (and closes) if it is longer than `maxLength`.
   */
  async recvBytes(maxLength?: number): Promise<Uint8Array> {
    const frame = await this.nextFrame();
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
    this.transport.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  private async nextFrame(): Promise<Uint8Array> {
    for (;;) {
      this.checkOpen();
      await this.inbox.wait();
      if (this.isClosed) throw new ClosedError('the connection is closed');
      if (this.inbox.ready) return this.inbox.take();
    }
  }

  private checkOpen(): void {
    if (this.isClosed) throw new ClosedError('the connection is closed');
  }
}
