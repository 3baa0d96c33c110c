/**
 * BaseManager: Python's multiprocessing.managers.BaseManager. A server holding objects, reachable
 * over TCP or a Unix socket by anyone who knows the authkey, and proxies to those objects.
 */
import { unlinkSync } from 'node:fs';
import { MessageChannel, type MessagePort, threadId, Worker } from 'node:worker_threads';
import { type Address, checkAddress, privateSocketPath } from './address.js';
import { type AuthKey, authkeyBytes, randomAuthkey } from './authkey.js';
import { builtinFactories } from './builtin-types.js';
import { CallChannel } from './call-channel.js';
import { ClosedError } from './errors.js';
import { resolveLimits, type ServerLimits } from './limits.js';
import { isTransferableHandle, OwnerSide, type RelayRequest } from './owned-objects.js';
import { encodePayload } from './payload.js';
import { type CreatedObject, SERVER_OBJECT } from './protocol.js';
import { type Proxied, proxyFor } from './proxies.js';
import { authkeyToHex, type RemoteRef } from './remote-ref.js';
import { primitiveTypeid } from './served-primitives.js';
import { type ObjectFactory, ProxyServer } from './server.js';
import type { OwnerMessage, ServerMessage, ServerThreadData } from './server-thread.js';

export interface BaseManagerOptions {
  /**
   * `[host, port]` (TCP; host '127.0.0.1' = this machine only, '' = every interface; port 0 = any
   * free port, read it back from `manager.address`) or a Unix socket path. Default: a fresh Unix
   * socket in the temp directory (TCP 127.0.0.1 on Windows).
   */
  address?: Address;
  /** Shared secret for every connection. Default: 32 random bytes, new for each manager. */
  authkey?: AuthKey;
  /** Largest message, in bytes (default 64 MiB). */
  maxFrameSize?: number;
  /** Milliseconds a connection may take to authenticate (default 10 000). */
  handshakeTimeout?: number;
  /** What one client may cost the server (sizes, connections, failed authentications): see `ServerLimits`. */
  limits?: ServerLimits;
}

type Callable = (...args: never[]) => unknown;

function defaultAddress(): Address {
  if (process.platform === 'win32') return ['127.0.0.1', 0];
  return privateSocketPath();
}

function serverThreadUrl(): URL {
  // tsup builds both index.js (ESM) and index.cjs; the worker entry has the same extension.
  const extension = import.meta.url.endsWith('.cjs') ? 'cjs' : 'js';
  return new URL(`./server-thread.${extension}`, import.meta.url);
}

/** The server of a BaseManager, to run in the current thread: `await manager.getServer().serveForever()`. */
export class ManagerServer {
  constructor(private readonly server: ProxyServer) {}

  /** Where it listens (the real port once `serveForever` or `ready` has bound it). */
  get address(): Address {
    return this.server.address;
  }

  /** Resolves once bound. @throws the listen error (EADDRINUSE …). */
  ready(): Promise<Address> {
    return this.server.ready();
  }

  /**
   * Serves until the manager is shut down (`manager.shutdown()`, or a client's shutdown request).
   * @throws the listen error if it cannot bind.
   */
  async serveForever(): Promise<void> {
    await this.server.ready();
    await this.server.whenClosed();
  }

  /** Stops serving. */
  close(): void {
    this.server.close();
  }
}

export class BaseManager {
  private readonly callables = new Map<string, Callable | undefined>();
  private readonly authkeyValue: Uint8Array;
  private readonly options: BaseManagerOptions;
  private boundAddress: Address;
  private state: 'initial' | 'started' | 'serving' | 'connected' | 'shutdown' = 'initial';
  private worker: Worker | undefined;
  private port: MessagePort | undefined;
  private owner: OwnerSide | undefined;
  private localServer: ProxyServer | undefined;
  private readonly serveWaiters = new Map<number, (id: number) => void>();
  private nextServeRequest = 1;
  private ownsSocketFile = false;
  /** Waits on the owner port in progress (start() counts as one until the server is ready). */
  private portHolds = 1;

  constructor(options: BaseManagerOptions = {}) {
    this.options = options;
    resolveLimits(options.limits); // a bad limit fails here, not in the server thread
    this.boundAddress = options.address === undefined ? defaultAddress() : checkAddress(options.address);
    this.ownsSocketFile = options.address === undefined && typeof this.boundAddress === 'string';
    this.authkeyValue = options.authkey === undefined ? randomAuthkey() : authkeyBytes(options.authkey);
  }

  /** Where the server listens (after start(), the real port if 0 was asked). */
  get address(): Address {
    return this.boundAddress;
  }

  /** The key clients must present. */
  get authkey(): Uint8Array {
    return this.authkeyValue;
  }

  /**
   * Makes `typeid` available to `get(typeid, ...args)`. In the serving manager, `callable(...args)`
   * makes (or returns) the object to serve; a client that only connects registers without one.
   * Weft primitives (Queue, Lock …) returned by the callable are served from the server thread; any
   * other object stays in this thread and calls on it are relayed here.
   * @throws TypeError after start().
   */
  register(typeid: string, callable?: Callable): this {
    if (typeof typeid !== 'string' || typeid.length === 0)
      throw new TypeError('typeid must be a non-empty string');
    if (this.state === 'started' || this.state === 'serving')
      throw new TypeError('register() must come before start()');
    this.callables.set(typeid, callable);
    return this;
  }

  /**
   * Starts the server on a thread of its own.
   * @throws the listen error (EADDRINUSE …); TypeError if already started.
   */
  async start(): Promise<void> {
    if (this.state !== 'initial') throw new TypeError(`cannot start a manager that is ${this.state}`);
    this.state = 'started';
    const { port1, port2 } = new MessageChannel();
    const owned = new Map<string, (...args: unknown[]) => unknown>();
    for (const [typeid, callable] of this.callables) {
      if (callable) owned.set(typeid, callable as (...args: unknown[]) => unknown);
    }
    this.owner = new OwnerSide(port1, owned);
    this.port = port1;
    const data: ServerThreadData = {
      address: this.boundAddress,
      authkey: this.authkeyValue,
      builtins: this.servesBuiltins(),
      typeids: [...owned.keys()],
      maxFrameSize: this.options.maxFrameSize,
      handshakeTimeout: this.options.handshakeTimeout,
      limits: this.options.limits,
      ownerThread: threadId,
      port: port2,
    };
    this.worker = new Worker(serverThreadUrl(), { workerData: data, transferList: [port2] });
    // Neither the server thread nor its port may keep the program alive on their own: the port is
    // ref'd only while this thread awaits an answer on it (start, serve, shutdown).
    this.worker.unref();
    const ready = new Promise<Address>((resolve, reject) => {
      this.worker!.once('error', reject);
      port1.on('message', (message: ServerMessage | RelayRequest) => {
        switch (message.type) {
          case 'ready':
            resolve(message.address);
            break;
          case 'failed': {
            const error = new Error(message.message);
            error.name = message.name;
            reject(error);
            break;
          }
          case 'served':
            this.serveWaiters.get(message.requestId)?.(message.id);
            this.serveWaiters.delete(message.requestId);
            break;
          case 'shutdown-request':
            void this.shutdown();
            break;
          case 'create':
          case 'call':
            void this.owner!.handle(message);
            break;
        }
      });
    });
    try {
      this.boundAddress = await ready;
    } catch (error) {
      this.state = 'shutdown';
      await this.worker.terminate();
      throw error;
    } finally {
      // Adding the 'message' listener ref'd the port; from now on it is ref'd only while awaited.
      this.releasePort();
    }
  }

  /** Keeps the owner port ref'd while this thread awaits an answer from the server thread. */
  private holdPort(): void {
    if (this.portHolds++ === 0) this.port?.ref();
  }

  private releasePort(): void {
    if (--this.portHolds === 0) this.port?.unref();
  }

  /**
   * The server, to run in the current thread (as Python's task_master can): call `serveForever()`.
   * Callables run in this thread; its event loop serves every client.
   */
  getServer(): ManagerServer {
    if (this.state !== 'initial') throw new TypeError(`cannot serve from a manager that is ${this.state}`);
    this.state = 'serving';
    const server = new ProxyServer(this.boundAddress, {
      authkey: this.authkeyValue,
      ...(this.options.maxFrameSize !== undefined ? { maxFrameSize: this.options.maxFrameSize } : {}),
      ...(this.options.handshakeTimeout !== undefined
        ? { handshakeTimeout: this.options.handshakeTimeout }
        : {}),
      ...(this.options.limits !== undefined ? { limits: this.options.limits } : {}),
      onShutdownRequest: () => void this.shutdown(),
    });
    if (this.servesBuiltins())
      for (const [typeid, factory] of Object.entries(builtinFactories(server.limits)))
        server.register(typeid, factory);
    const known = new WeakMap<object, number>();
    for (const [typeid, callable] of this.callables) {
      if (!callable) continue;
      const factory: ObjectFactory = async (args) => {
        const made = await (callable as (...a: unknown[]) => unknown)(...args);
        if (made === null || (typeof made !== 'object' && typeof made !== 'function')) {
          throw new TypeError(`the callable for ${JSON.stringify(typeid)} must return an object`);
        }
        const id = known.get(made);
        if (id !== undefined) return { kind: 'existing', id };
        const newId = server.addObject(typeid, made);
        known.set(made, newId);
        return { kind: 'existing', id: newId };
      };
      server.register(typeid, factory);
    }
    this.localServer = server;
    void server.ready().then(
      (address) => {
        this.boundAddress = address;
      },
      () => {},
    );
    return new ManagerServer(server);
  }

  /**
   * Connects to a manager started elsewhere (another process, another machine) and checks the key.
   * @throws AuthenticationError for a wrong authkey; the socket error if nothing listens.
   */
  async connect(): Promise<void> {
    if (this.state === 'initial') this.state = 'connected';
    const channel = await CallChannel.get(this.boundAddress, this.authkeyValue);
    await channel.call(SERVER_OBJECT, 'ping', []);
  }

  /**
   * Asks the server for `typeid` (made by its registered callable with `args`) and returns a proxy.
   * @throws RemoteError 'ReferenceError' if the server has no such typeid; AuthenticationError.
   */
  async get<T = unknown>(typeid: string, ...args: unknown[]): Promise<Proxied<T>> {
    return (await this.create(typeid, args)) as unknown as Proxied<T>;
  }

  /**
   * Serves an object that already exists and returns a reference another thread or process can
   * connect to (`connectRemote(ref)`). Weft primitives move to the server thread; other objects
   * stay here and calls on them are relayed to this thread. Needs start().
   */
  async serve(target: object, typeid = 'object'): Promise<RemoteRef> {
    if (this.state !== 'started' || !this.owner || !this.port) {
      throw new TypeError('serve() needs a manager started with start()');
    }
    const key = this.owner.keep(target);
    // A weft primitive is known without the probe of isTransferableHandle, which decodes a copy: of a
    // pipe Connection, that copy would count as an open end for ever.
    const handle =
      primitiveTypeid(target) !== undefined || isTransferableHandle(target)
        ? encodePayload(target)
        : undefined;
    const requestId = this.nextServeRequest++;
    this.holdPort();
    let id: number;
    try {
      id = await new Promise<number>((resolve) => {
        this.serveWaiters.set(requestId, resolve);
        this.port!.postMessage({ type: 'serve', requestId, typeid, key, handle } satisfies OwnerMessage);
      });
    } finally {
      this.releasePort();
    }
    return { address: this.boundAddress, authkey: authkeyToHex(this.authkeyValue), id, typeid };
  }

  /**
   * Stops the server (if this manager started it) and closes this thread's connection. Clients'
   * pending calls fail with ClosedError. Idempotent.
   */
  async shutdown(): Promise<void> {
    const previous = this.state;
    if (previous === 'shutdown') return;
    this.state = 'shutdown';
    await CallChannel.drop(this.boundAddress, this.authkeyValue);
    if (previous === 'started' && this.worker && this.port) {
      const port = this.port;
      port.ref(); // until the server thread confirms it closed
      const closed = new Promise<void>((resolve) => {
        port.on('message', (message: ServerMessage) => {
          if (message.type === 'closed') resolve();
        });
        this.worker!.once('exit', () => resolve());
      });
      port.postMessage({ type: 'shutdown' } satisfies OwnerMessage);
      await closed;
      port.close();
      await this.worker.terminate();
    }
    if (previous === 'serving') this.localServer?.close();
    if (this.ownsSocketFile && typeof this.boundAddress === 'string') {
      try {
        unlinkSync(this.boundAddress);
      } catch {}
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
  }

  /** @internal Creates `typeid` in the server and returns its proxy. */
  protected async create(typeid: string, args: unknown[]) {
    if (this.state === 'shutdown') throw new ClosedError('the manager is shut down');
    const channel = await CallChannel.get(this.boundAddress, this.authkeyValue);
    const created = (await channel.call(SERVER_OBJECT, 'create', [typeid, args])) as CreatedObject;
    return proxyFor({ address: this.boundAddress, authkey: authkeyToHex(this.authkeyValue), ...created });
  }

  /** Whether the server also offers Manager's built-in types (dict, list, Queue, Lock …). */
  protected servesBuiltins(): boolean {
    return false;
  }
}
