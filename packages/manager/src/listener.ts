/**
 * Listener and Client: Python's `multiprocessing.connection`, authenticated both ways, over TCP or a
 * Unix socket; two ends in the same process move to a shared-memory ring after authenticating.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { BroadcastChannel } from 'node:worker_threads';
import { waitAsync } from '@weft/atomics-sync-shim';
import { type Address, boundAddress, checkAddress, connectOptions, listenOptions } from './address.js';
import { type AuthKey, authkeyBytes } from './authkey.js';
import { Connection } from './connection.js';
import { AuthenticationError, ClosedError, TimeoutError } from './errors.js';
import { FrameInbox } from './frame-inbox.js';
import { DEFAULT_MAX_FRAME_SIZE, frameHeader } from './frame-reader.js';
import {
  BUSY,
  clientHandshake,
  DEFAULT_HANDSHAKE_TIMEOUT,
  FALLBACK_TO_SOCKET,
  HANDSHAKE_FRAME_LIMIT,
  hex,
  isSameProcess,
  localOffer,
  newNonce,
  serverHandshake,
} from './handshake.js';
import { type ResolvedLimits, resolveLimits, type ServerLimits } from './limits.js';
import { ATTACHED, createRingBuffer, RingEnd } from './shared-ring.js';
import { SharedRingTransport } from './shared-ring-transport.js';
import { SocketTransport } from './socket-transport.js';

/** Peers remembered for their failed authentications; past this, those whose pause is over are forgotten. */
const MAX_REMEMBERED_PEERS = 4096;

export interface ConnectionOptions {
  /** The shared secret both ends must know (bytes, or a string taken as UTF-8). Required. */
  authkey: AuthKey;
  /** Largest message accepted, in bytes (default 64 MiB); a bigger one closes the connection. */
  maxFrameSize?: number;
  /** Milliseconds the authentication may take before the connection is dropped (default 10 000). */
  handshakeTimeout?: number;
  /** Move to a shared-memory ring when both ends are in the same process (default true). */
  sharedMemory?: boolean;
}

export interface ListenerOptions extends ConnectionOptions {
  /** Told about each connection refused (failed authentication, garbage, timeout, over the limit). */
  onRejected?: (error: Error) => void;
  /**
   * Hardening (see `ServerLimits`): a Listener uses `maxConnections`, `authFailureDelay` and
   * `maxConnectionBytes` (answers a peer leaves unread).
   */
  limits?: ServerLimits;
}

interface RingOffer {
  nonce: string;
  buffer: SharedArrayBuffer;
}

function channelName(token: string): string {
  return `weft-manager-ring:${token}`;
}

/** Listens for authenticated connections: `const conn = await listener.accept()`. */
export class Listener {
  /** Resolves once the socket is bound (`address` then has the real port). */
  readonly ready: Promise<void>;
  private readonly server: net.Server;
  private readonly authkey: Uint8Array;
  private readonly maxFrameSize: number;
  private readonly handshakeTimeout: number;
  private readonly token: string | undefined;
  private readonly ringChannel: BroadcastChannel | undefined;
  private readonly rings = new Map<string, SharedArrayBuffer>();
  private readonly ringWaiters = new Map<string, (buffer: SharedArrayBuffer) => void>();
  private readonly accepted: Connection[] = [];
  private readonly acceptWaiters: Array<{ resolve(c: Connection): void; reject(e: Error): void }> = [];
  private readonly onRejected: ((error: Error) => void) | undefined;
  private readonly handshaking = new Set<net.Socket>();
  private readonly limits: ResolvedLimits;
  /** Sockets open now, authenticated or not: at most limits.maxConnections. */
  private openSockets = 0;
  /** Per peer, the time (performance.now()) before which its next handshake does not start. */
  private readonly pausedPeers = new Map<string, number>();
  private boundTo: Address;
  private isClosed = false;

  /**
   * Binds `address` (`[host, port]`: host '127.0.0.1' is this machine only, '' every interface; port
   * 0 picks a free port; or a Unix socket path). Await `ready` or `accept()`.
   * @throws TypeError for a bad address or missing authkey.
   */
  constructor(address: Address, options: ListenerOptions) {
    this.boundTo = checkAddress(address);
    this.authkey = authkeyBytes(options.authkey);
    this.maxFrameSize = options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
    this.handshakeTimeout = options.handshakeTimeout ?? DEFAULT_HANDSHAKE_TIMEOUT;
    this.onRejected = options.onRejected;
    this.limits = resolveLimits(options.limits);
    if (options.sharedMemory !== false) {
      this.token = randomBytes(16).toString('hex');
      this.ringChannel = new BroadcastChannel(channelName(this.token));
      this.ringChannel.unref();
      this.ringChannel.onmessage = (event) => this.onRingOffer((event as { data: RingOffer }).data);
    }
    this.server = net.createServer((socket) => this.onSocket(socket));
    this.server.unref();
    this.ready = new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(listenOptions(this.boundTo), () => {
        this.server.off('error', reject);
        this.boundTo = boundAddress(this.server, this.boundTo);
        resolve();
      });
    });
  }

  /** Binds and resolves once listening. */
  static async listen(address: Address, options: ListenerOptions): Promise<Listener> {
    const listener = new Listener(address, options);
    await listener.ready;
    return listener;
  }

  /** Where the listener is bound (the real port once `ready` resolved). */
  get address(): Address {
    return this.boundTo;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /**
   * The next authenticated connection. Connections that fail authentication are dropped (and
   * reported to `onRejected`), never returned: a stranger cannot make accept() throw.
   * @throws ClosedError if the listener is closed (also for a pending accept when it closes).
   */
  async accept(): Promise<Connection> {
    await this.ready;
    const ready = this.accepted.shift();
    if (ready) return ready;
    if (this.isClosed) throw new ClosedError('the listener is closed');
    return new Promise<Connection>((resolve, reject) => {
      this.acceptWaiters.push({ resolve, reject });
      this.server.ref();
    });
  }

  /** Stops listening; pending accepts reject with ClosedError. Accepted connections stay open. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.server.close();
    this.ringChannel?.close();
    for (const socket of this.handshaking) socket.destroy();
    for (const waiter of this.acceptWaiters.splice(0))
      waiter.reject(new ClosedError('the listener is closed'));
    for (const connection of this.accepted.splice(0)) connection.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  /** @internal Accepted connections go to this callback instead of accept() (the manager's server). */
  onConnection: ((connection: Connection) => void) | undefined;

  private onSocket(socket: net.Socket): void {
    if (this.isClosed) {
      socket.destroy();
      return;
    }
    if (this.openSockets >= this.limits.maxConnections) {
      // Say why before closing, so that a Client reports it instead of a bare reset.
      const reason = `the server is at its limit of ${this.limits.maxConnections} connections (limits.maxConnections)`;
      socket.on('error', () => {});
      const payload = Buffer.concat([BUSY, Buffer.from(reason)]);
      socket.end(Buffer.concat([frameHeader(payload.byteLength), payload]));
      setTimeout(() => socket.destroy(), 1000).unref();
      this.onRejected?.(new ClosedError(`connection refused: ${reason}`));
      return;
    }
    this.openSockets++;
    socket.once('close', () => this.openSockets--);
    this.handshaking.add(socket);
    void this.authenticate(socket).finally(() => this.handshaking.delete(socket));
  }

  private async authenticate(socket: net.Socket): Promise<void> {
    const transport = new SocketTransport(socket, HANDSHAKE_FRAME_LIMIT);
    transport.maxBacklog = this.limits.maxConnectionBytes;
    const inbox = new FrameInbox(transport);
    transport.start(inbox);
    const peer = socket.remoteAddress ?? 'unix';
    let connection: Connection;
    try {
      const deadline = performance.now() + this.handshakeTimeout;
      await this.pauseAfterFailures(peer, deadline);
      const offer = this.token ? localOffer(this.token) : undefined;
      const nonce = await serverHandshake(transport, inbox, this.authkey, this.handshakeTimeout, offer);
      transport.setMaxFrameSize(this.maxFrameSize);
      connection = new Connection(transport, inbox);
      if (nonce) {
        const buffer = await this.takeRing(hex(nonce), deadline - performance.now());
        if (buffer) {
          const ring = new RingEnd(buffer, 'B');
          Atomics.store(ring.i32, ATTACHED, 1);
          Atomics.notify(ring.i32, ATTACHED);
          connection = new Connection(new SharedRingTransport(ring, this.maxFrameSize, socket));
        } else {
          transport.write(FALLBACK_TO_SOCKET);
        }
      }
    } catch (error) {
      // Let a "#FAILURE#" verdict reach the peer before the socket goes.
      if (error instanceof AuthenticationError) {
        this.recordFailure(peer);
        transport.close();
      } else socket.destroy();
      this.onRejected?.(error as Error);
      return;
    }
    if (this.isClosed) {
      connection.close();
      return;
    }
    if (this.onConnection) {
      this.onConnection(connection);
      return;
    }
    const waiter = this.acceptWaiters.shift();
    if (waiter) waiter.resolve(connection);
    else this.accepted.push(connection);
    if (this.acceptWaiters.length === 0) this.server.unref();
  }

  /**
   * Waits out the pause a peer earned by failing to authenticate (Python has none: a key could be
   * guessed at over a thousand tries a second). A peer that never failed goes straight on.
   * @throws TimeoutError if the pause outlasts the handshake's deadline.
   */
  private async pauseAfterFailures(peer: string, deadline: number): Promise<void> {
    const notBefore = this.pausedPeers.get(peer);
    if (notBefore === undefined) return;
    const now = performance.now();
    if (notBefore <= now) {
      this.pausedPeers.delete(peer);
      return;
    }
    if (notBefore > deadline) {
      throw new TimeoutError(`${peer} failed to authenticate too often: it must wait before trying again`);
    }
    // Unref'd: a peer's pause must not keep the program alive.
    await new Promise((resolve) => setTimeout(resolve, notBefore - now).unref());
    if (this.isClosed) throw new ClosedError('the listener is closed');
  }

  /** Adds `authFailureDelay` to the peer's pause (concurrent guesses from one peer queue up behind it). */
  private recordFailure(peer: string): void {
    const now = performance.now();
    const delay = this.limits.authFailureDelay;
    if (delay === 0) return;
    const paused = this.pausedPeers.get(peer);
    this.pausedPeers.delete(peer); // re-inserted last: the map stays in order of last failure
    this.pausedPeers.set(peer, Math.max(now, paused ?? now) + delay);
    if (this.pausedPeers.size > MAX_REMEMBERED_PEERS) {
      for (const [key, until] of this.pausedPeers) {
        if (until <= now || this.pausedPeers.size > MAX_REMEMBERED_PEERS) this.pausedPeers.delete(key);
        else break;
      }
    }
  }

  private onRingOffer(offer: RingOffer): void {
    if (!offer || typeof offer.nonce !== 'string' || !(offer.buffer instanceof SharedArrayBuffer)) return;
    const waiter = this.ringWaiters.get(offer.nonce);
    if (waiter) waiter(offer.buffer);
    else this.rings.set(offer.nonce, offer.buffer);
  }

  private takeRing(nonce: string, timeoutMs: number): Promise<SharedArrayBuffer | undefined> {
    const buffer = this.rings.get(nonce);
    if (buffer) {
      this.rings.delete(nonce);
      return Promise.resolve(buffer);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          this.ringWaiters.delete(nonce);
          resolve(undefined);
        },
        Math.max(0, timeoutMs),
      );
      this.ringWaiters.set(nonce, (ring) => {
        clearTimeout(timer);
        this.ringWaiters.delete(nonce);
        resolve(ring);
      });
    });
  }
}

/**
 * Connects to a Listener and authenticates both ways.
 * @returns an open Connection.
 * @throws AuthenticationError if the keys differ; ProtocolError / TimeoutError if the peer does not
 * speak the protocol in time; the socket's error (ECONNREFUSED …) if it cannot connect.
 */
export async function Client(address: Address, options: ConnectionOptions): Promise<Connection> {
  const target = checkAddress(address);
  const authkey = authkeyBytes(options.authkey);
  const maxFrameSize = options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
  const timeout = options.handshakeTimeout ?? DEFAULT_HANDSHAKE_TIMEOUT;
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect(connectOptions(target));
    s.once('connect', () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
  const transport = new SocketTransport(socket, HANDSHAKE_FRAME_LIMIT);
  const inbox = new FrameInbox(transport);
  transport.start(inbox);
  let ringBuffer: SharedArrayBuffer | undefined;
  let channel: BroadcastChannel | undefined;
  try {
    const { nonce, offer } = await clientHandshake(transport, inbox, authkey, timeout, (offer) => {
      if (options.sharedMemory === false || !isSameProcess(offer)) return undefined;
      return newNonce();
    });
    transport.setMaxFrameSize(maxFrameSize);
    if (nonce && offer) {
      ringBuffer = createRingBuffer();
      channel = new BroadcastChannel(channelName(offer.token));
      channel.unref();
      channel.postMessage({ nonce: hex(nonce), buffer: ringBuffer } satisfies RingOffer);
      const ring = new RingEnd(ringBuffer, 'A');
      // Either the listener adopts the ring, or it says "#TCP#" on the socket.
      const settled = new AbortController();
      const ignoreAbort = () => false;
      const attached = waitAsync(ring.i32, ATTACHED, 0, timeout, {
        keepAlive: true,
        signal: settled.signal,
      }).then(() => Atomics.load(ring.i32, ATTACHED) === 1, ignoreAbort);
      const fellBack = inbox.wait(timeout, settled.signal).then(() => false, ignoreAbort);
      const adopted = await Promise.race([attached, fellBack]);
      settled.abort();
      if (adopted) {
        return new Connection(new SharedRingTransport(ring, maxFrameSize, socket));
      }
      if (inbox.ready) inbox.take(); // the "#TCP#" notice (or end of stream, which recv reports)
    }
    return new Connection(transport, inbox);
  } catch (error) {
    socket.destroy();
    throw error;
  } finally {
    channel?.close();
  }
}
