/** Frames over a net.Socket (TCP or Unix socket). */
import type net from 'node:net';
import { ProtocolError } from './errors.js';
import { FrameReader, frameHeader, HEADER_BYTES } from './frame-reader.js';
import type { FrameSink, FrameTransport } from './frame-transport.js';
import { decodeNetworkPayload } from './payload.js';

const COALESCE_LIMIT = 64 * 1024;

export class SocketTransport implements FrameTransport {
  readonly kind = 'socket';
  private sink: FrameSink | undefined;
  private early: Uint8Array[] = [];
  private endState: { error: Error | undefined } | undefined;
  private readonly reader: FrameReader;
  private maxFrameSize: number;
  /** Frames written since the first one of this tick went out; sent together on the next tick. */
  private batch: Uint8Array[] | undefined;
  private readonly frames: Uint8Array[] = [];
  /**
   * Bytes written and not yet taken by the peer beyond which it counts as not reading: the socket is
   * closed rather than buffer without end (a server sets its limits.maxConnectionBytes here).
   */
  maxBacklog = Number.POSITIVE_INFINITY;

  constructor(
    readonly socket: net.Socket,
    maxFrameSize: number,
    leftover: Uint8Array[] = [],
  ) {
    this.maxFrameSize = maxFrameSize;
    this.reader = new FrameReader(() => this.maxFrameSize);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => {}); // 'close' follows; a reset peer is just end of stream
    socket.on('close', () => {
      const truncated = this.reader.pending > 0;
      this.finish(truncated ? new ProtocolError('connection closed in the middle of a frame') : undefined);
    });
    for (const frame of leftover) this.deliver(frame);
  }

  /** Whatever is at the other end of a socket is a stranger: data only. */
  decode(frame: Uint8Array): unknown {
    return decodeNetworkPayload(frame);
  }

  /** Lowers the frame limit before authentication, raises it after. */
  setMaxFrameSize(bytes: number): void {
    this.maxFrameSize = bytes;
  }

  start(sink: FrameSink): void {
    this.sink = sink;
    const early = this.early;
    this.early = [];
    for (const frame of early) sink.frame(frame);
    if (this.endState) sink.end(this.endState.error);
  }

  write(payload: Uint8Array): void {
    if (this.socket.destroyed || this.socket.writableEnded) return;
    let frame: Uint8Array[];
    if (payload.byteLength <= COALESCE_LIMIT) {
      const buffer = Buffer.allocUnsafe(HEADER_BYTES + payload.byteLength);
      buffer.writeUInt32BE(payload.byteLength, 0);
      buffer.set(payload, HEADER_BYTES);
      frame = [buffer];
    } else {
      frame = [frameHeader(payload.byteLength), payload];
    }
    if (this.batch) {
      this.batch.push(...frame);
      return;
    }
    // A lone message (a request, an answer) leaves at once; messages written after it in the same
    // tick leave together on the next, in one system call.
    for (const part of frame) this.socket.write(part);
    this.batch = [];
    process.nextTick(this.flush);
    if (this.socket.writableLength > this.maxBacklog) this.dropSlowReader();
  }

  private dropSlowReader(): void {
    const unread = this.socket.writableLength;
    this.socket.destroy();
    this.finish(
      new ProtocolError(
        `the peer left ${unread} bytes of answers unread, over the limit of ${this.maxBacklog} bytes`,
      ),
    );
  }

  private readonly flush = (): void => {
    const batch = this.batch;
    this.batch = undefined;
    if (!batch || batch.length === 0 || this.socket.destroyed || this.socket.writableEnded) return;
    this.socket.write(batch.length === 1 ? batch[0]! : Buffer.concat(batch));
    if (this.socket.writableLength > this.maxBacklog) this.dropSlowReader();
  };

  setActive(active: boolean): void {
    if (active) this.socket.ref();
    else this.socket.unref();
  }

  close(): void {
    this.flush(); // what was written before close still goes
    this.socket.end();
    // A peer that never reads must not keep our socket (and process) alive.
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private onData(chunk: Buffer): void {
    try {
      this.reader.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength), this.frames);
    } catch (error) {
      this.socket.destroy();
      this.finish(error as Error);
      return;
    }
    for (const frame of this.frames) this.deliver(frame);
    this.frames.length = 0;
  }

  private deliver(frame: Uint8Array): void {
    if (this.endState) return;
    if (this.sink) this.sink.frame(frame);
    else this.early.push(frame);
  }

  private finish(error: Error | undefined): void {
    if (this.endState) return;
    this.endState = { error };
    this.sink?.end(error);
  }
}
