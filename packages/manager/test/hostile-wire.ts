/**
 * A hostile peer's side of the wire, by hand: raw sockets, the HMAC handshake done here (so the peer
 * may then write any frame it likes), and frames read back. No weft client code involved.
 */
import { createHmac, randomBytes } from 'node:crypto';
import net from 'node:net';

const CHALLENGE = Buffer.from('#CHALLENGE#{sha256}');
const WELCOME = Buffer.from('#WELCOME#');

export function frame(payload: Uint8Array): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(payload.byteLength, 0);
  return Buffer.concat([header, payload]);
}

/** A socket that hands out whole frames; `closed` resolves when the server closes it. */
export class RawPeer {
  private buffered = Buffer.alloc(0);
  private readonly frames: Buffer[] = [];
  private waiter: (() => void) | undefined;
  readonly closed: Promise<void>;

  constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true); // a frame and the ping after it leave at once (no Nagle wait)
    socket.on('error', () => {}); // a reset is one way for the server to close
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      while (this.buffered.length >= 4) {
        const length = this.buffered.readUInt32BE(0);
        if (this.buffered.length < 4 + length) break;
        this.frames.push(this.buffered.subarray(4, 4 + length));
        this.buffered = this.buffered.subarray(4 + length);
      }
      this.waiter?.();
    });
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    void this.closed.then(() => this.waiter?.());
  }

  static connect(address: readonly [string, number] | string): Promise<RawPeer> {
    return new Promise((resolve, reject) => {
      const socket = typeof address === 'string' ? net.connect(address) : net.connect(address[1], address[0]);
      socket.once('connect', () => resolve(new RawPeer(socket)));
      socket.once('error', reject);
    });
  }

  /** Connects and authenticates both ways with `authkey`, staying on the socket. */
  static async authenticated(address: readonly [string, number] | string, authkey: string): Promise<RawPeer> {
    const peer = await RawPeer.connect(address);
    const challenge = await peer.next(10_000);
    peer.send(createHmac('sha256', authkey).update(challenge).digest());
    const welcome = await peer.next(10_000);
    if (!welcome.subarray(0, WELCOME.length).equals(WELCOME)) throw new Error('not welcomed');
    const ours = Buffer.concat([CHALLENGE, randomBytes(32)]);
    peer.send(ours);
    await peer.next(10_000); // the server's digest: not checked, we are the attacker
    peer.send(WELCOME);
    return peer;
  }

  send(payload: Uint8Array): void {
    this.socket.write(frame(payload));
  }

  /** The next frame. @throws if none comes within `timeoutMs` or the socket closes first. */
  async next(timeoutMs: number): Promise<Buffer> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const ready = this.frames.shift();
      if (ready) return ready;
      if (this.socket.destroyed) throw new Error('closed');
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`no frame within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
