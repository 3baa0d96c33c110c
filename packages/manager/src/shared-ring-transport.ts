/** Frames over a shared-memory ring pair (two threads of one process). */
import type net from 'node:net';
import { waitAsync } from '@weft/atomics-sync-shim';
import { FrameReader, frameHeader } from './frame-reader.js';
import type { FrameSink, FrameTransport } from './frame-transport.js';
import { decodePayload } from './payload.js';
import { type PolledRing, ringPoller } from './ring-poller.js';
import { markParked, type RingEnd } from './shared-ring.js';

export class SharedRingTransport implements FrameTransport, PolledRing {
  readonly kind = 'shared-memory';
  armed = false;
  active = false;
  seenSignal: number;
  private sink: FrameSink | undefined;
  private readonly reader: FrameReader;
  private readonly maxFrameSize: number;
  private readonly frames: Uint8Array[] = [];
  private readonly unsent: Uint8Array[] = [];
  private draining = false;
  private closing = false;
  private ended = false;
  private lifelineLost = false;

  /**
   * `lifeline`: the authenticated socket the ring replaced. It carries no more data, but its close
   * tells us the peer's thread is gone (a terminated worker never closes its ring).
   */
  constructor(
    private readonly ring: RingEnd,
    maxFrameSize: number,
    private readonly lifeline?: net.Socket,
  ) {
    this.maxFrameSize = maxFrameSize;
    this.reader = new FrameReader(() => maxFrameSize);
    this.seenSignal = Atomics.load(ring.i32, ring.dataSignal);
    if (lifeline) {
      lifeline.unref();
      lifeline.on('close', () => {
        this.lifelineLost = true;
        ringPoller.kick();
      });
    }
  }

  get i32(): Int32Array {
    return this.ring.i32;
  }

  get dataSignal(): number {
    return this.ring.dataSignal;
  }

  /** The peer is a thread of this process (it proved it through a BroadcastChannel): handles too. */
  decode(frame: Uint8Array): unknown {
    return decodePayload(frame);
  }

  start(sink: FrameSink): void {
    this.sink = sink;
    ringPoller.add(this);
  }

  write(payload: Uint8Array): void {
    if (this.closing || this.ring.peerClosed) return;
    // The common case: the whole frame fits; one signal to the reader for header and payload.
    if (this.unsent.length === 0 && this.ring.writeFrame(payload)) return;
    for (const part of [frameHeader(payload.byteLength), payload]) {
      if (this.unsent.length > 0) {
        this.unsent.push(part);
        continue;
      }
      const written = this.ring.write(part);
      if (written < part.byteLength) this.unsent.push(part.subarray(written));
    }
    if (this.unsent.length > 0 && !this.draining) void this.drain();
  }

  setActive(active: boolean): void {
    this.active = active;
    if (active) ringPoller.kick();
  }

  close(): void {
    if (this.closing) return;
    this.closing = true;
    if (!this.draining) this.finishClose();
  }

  poll(): boolean {
    if (this.ended || !this.sink) return false;
    this.seenSignal = Atomics.load(this.ring.i32, this.ring.dataSignal);
    const frames = this.frames;
    try {
      // At a frame boundary whole frames are copied straight out of the ring; a frame that was
      // written in parts (larger than the free space then) streams through the reader below.
      if (this.reader.pending === 0) this.ring.readFrames(this.maxFrameSize, frames);
    } catch (error) {
      this.ring.close();
      this.end(error as Error);
      return true;
    }
    const bytes = this.ring.read();
    if (bytes === undefined) {
      if (frames.length > 0) {
        this.deliver();
        return true;
      }
      if (this.ring.peerClosed || this.ring.selfClosed || this.lifelineLost) {
        this.end(
          this.reader.pending > 0
            ? new Error('shared-memory peer closed in the middle of a frame')
            : undefined,
        );
      }
      return false;
    }
    try {
      this.reader.push(bytes, frames);
    } catch (error) {
      this.ring.close();
      this.end(error as Error);
      return true;
    }
    this.deliver();
    return true;
  }

  private deliver(): void {
    const sink = this.sink!;
    const frames = this.frames;
    for (let i = 0; i < frames.length; i++) sink.frame(frames[i]!);
    frames.length = 0;
  }

  private end(error: Error | undefined): void {
    if (this.ended) return;
    this.ended = true;
    ringPoller.remove(this);
    this.sink?.end(error);
  }

  private finishClose(): void {
    this.ring.close();
    this.lifeline?.destroy();
    // Deliver end of stream to our own reader too.
    ringPoller.kick();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.unsent.length > 0) {
        if (this.ring.peerClosed) {
          this.unsent.length = 0;
          break;
        }
        const seen = Atomics.load(this.ring.i32, this.ring.spaceSignal);
        const chunk = this.unsent[0]!;
        const written = this.ring.write(chunk);
        if (written === chunk.byteLength) this.unsent.shift();
        else {
          if (written > 0) this.unsent[0] = chunk.subarray(written);
          markParked(this.ring.i32, this.ring.spaceSignal, true);
          try {
            await waitAsync(this.ring.i32, this.ring.spaceSignal, seen, undefined, { keepAlive: true });
          } finally {
            markParked(this.ring.i32, this.ring.spaceSignal, false);
          }
        }
      }
    } finally {
      this.draining = false;
      if (this.closing) this.finishClose();
    }
  }
}
