/**
 * The proxy server: holds the served objects and answers calls from authenticated connections. It
 * runs wherever it is started: on a thread of its own (Manager.start, BaseManager.start) or in the
 * current thread (getServer().serveForever()). Each call runs on the server's event loop; a call
 * that waits (a lock, a queue) is a pending promise there, so one slow call never holds up others.
 */
import { getHeapStatistics } from 'node:v8';
import { threadId } from 'node:worker_threads';
import type { Address } from './address.js';
import { type CallContext, TAKES_CONTEXT } from './call-context.js';
import type { Connection } from './connection.js';
import { ClosedError, MemoryError } from './errors.js';
import { isExposed } from './exposed-methods.js';
import { type ResolvedLimits, resolveLimits } from './limits.js';
import { Listener, type ListenerOptions } from './listener.js';
import {
  CALL,
  CANCEL,
  type CreatedObject,
  ERROR,
  isCallableName,
  RESULT,
  SERVER_OBJECT,
  serializeError,
} from './protocol.js';

/** Makes the object for a typeid; may answer with an object already served (by id). */
export type ObjectFactory = (args: unknown[]) => Promise<FactoryResult> | FactoryResult;

export type FactoryResult =
  | { kind: 'object'; target: object }
  | { kind: 'existing'; id: number }
  | { kind: 'relayed'; call: RelayedCall };

/** Serves an object that lives in another thread (its owner) by forwarding each call there. */
export type RelayedCall = (method: string, args: unknown[]) => Promise<unknown>;

interface ServedEntry {
  typeid: string;
  target: object | undefined;
  relay: RelayedCall | undefined;
  takesContext: boolean;
}

export interface ServerOptions extends Omit<ListenerOptions, 'onRejected'> {
  /** Called when a client asks the server to shut down (the owner decides). */
  onShutdownRequest?: () => void;
  /** The thread relayed objects live in (their owner's `threadId`); default this thread. */
  ownerThread?: number;
  /**
   * Rewrites a call's result for a client on a socket (which may be another process): see
   * served-primitives.ts, `shareResult`.
   */
  shareResult?: (value: unknown) => unknown;
}

/** Where calls on a served object run: what a blocking (`…Sync`) caller checks to avoid a deadlock. */
export interface ObjectLocation {
  pid: number;
  thread: number;
}

/** The servers running in this thread (module state is per thread). */
const serversInThisThread = new Set<ProxyServer>();

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '', '0.0.0.0', '::']);

/**
 * Whether `address` reaches a server running in this thread: a blocking call to it could never be
 * answered (not even authenticated), since that needs this thread's event loop.
 */
export function isServedByThisThread(address: Address): boolean {
  for (const server of serversInThisThread) {
    const own = server.address;
    if (typeof own === 'string' || typeof address === 'string') {
      if (own === address) return true;
    } else if (own[1] === address[1] && (own[0] === address[0] || LOOPBACK.has(address[0]))) {
      return true;
    }
  }
  return false;
}

/** Calls this small still run when the heap is over its line: they cannot add much, and may free memory. */
const SMALL_CALL_BYTES = 64;
/** The heap is measured again after this many bytes of calls, or at once for a call this large. */
const HEAP_CHECK_EVERY = 1024 * 1024;
const HEAP_CHECK_AT = 64 * 1024;

export class ProxyServer {
  readonly listener: Listener;
  readonly limits: ResolvedLimits;
  /** Bytes of calls received since the heap was last measured, and whether it was over the line then. */
  private bytesSinceHeapCheck = HEAP_CHECK_EVERY; // the first call measures
  private heapIsHigh = false;
  private readonly objects = new Map<number, ServedEntry>();
  private readonly factories = new Map<string, ObjectFactory>();
  private readonly connections = new Set<Connection>();
  private nextObjectId = 1;
  private nextCaller = 1;
  /** Owner keys adopted by connections: one caller (lock owner) for all connections of one thread. */
  private readonly owners = new Map<string, { caller: number; connections: number }>();
  private closing = false;
  private readonly closed: Promise<void>;
  private markClosed!: () => void;

  constructor(
    address: Address,
    private readonly options: ServerOptions,
  ) {
    this.limits = resolveLimits(options.limits);
    this.listener = new Listener(address, { ...options, limits: this.limits });
    this.listener.onConnection = (connection) => this.serve(connection);
    this.closed = new Promise((resolve) => {
      this.markClosed = resolve;
    });
    serversInThisThread.add(this);
  }

  get address(): Address {
    return this.listener.address;
  }

  /** Resolves once listening. @throws the listen error (EADDRINUSE …). */
  async ready(): Promise<Address> {
    await this.listener.ready;
    return this.listener.address;
  }

  register(typeid: string, factory: ObjectFactory): void {
    this.factories.set(typeid, factory);
  }

  /** Serves `target` under a new id. */
  addObject(typeid: string, target: object): number {
    const id = this.nextObjectId++;
    this.objects.set(id, { typeid, target, relay: undefined, takesContext: takesContext(target) });
    return id;
  }

  /** Serves an object that lives in another thread, by relaying each call to it. */
  addRelayed(typeid: string, call: RelayedCall): number {
    const id = this.nextObjectId++;
    this.objects.set(id, { typeid, target: undefined, relay: call, takesContext: false });
    return id;
  }

  /** Resolves when close() ran: what serveForever waits for. */
  whenClosed(): Promise<void> {
    return this.closed;
  }

  /** Stops listening, drops every connection (their pending calls fail) and every object. */
  close(): void {
    if (this.closing) return;
    this.closing = true;
    serversInThisThread.delete(this);
    this.listener.close();
    for (const connection of this.connections) connection.close();
    this.connections.clear();
    this.objects.clear();
    this.markClosed();
  }

  private serve(connection: Connection): void {
    if (this.closing) {
      connection.close();
      return;
    }
    this.connections.add(connection);
    let caller = this.nextCaller++;
    let ownerKey: string | undefined;
    const inFlight = new Map<number, (reason: Error) => void>();
    /** Bytes of this connection's calls still running: bounded by limits.maxConnectionBytes. */
    let inFlightBytes = 0;
    const shareResult = connection.transportKind === 'socket' ? this.options.shareResult : undefined;
    /** Sends a call's result, shared for this client first (what cannot be shared fails the call). */
    const sendResult = (callId: number, value: unknown) => {
      if (!shareResult) return send([RESULT, callId, value]);
      let shared: unknown;
      try {
        shared = shareResult(value);
      } catch (error) {
        return send([ERROR, callId, serializeError(error)]);
      }
      send([RESULT, callId, shared]);
    };
    const send = (message: unknown[]) => {
      if (connection.closed) return;
      try {
        connection.send(message);
      } catch (error) {
        // The result itself cannot be encoded: tell the caller why instead.
        if (message[0] === RESULT) connection.send([ERROR, message[1], serializeError(error)]);
      }
    };
    /** Handles one message; false when it broke the protocol (the connection is dropped). */
    const onMessage = (message: unknown, byteLength: number): boolean => {
      if (!Array.isArray(message) || typeof message[1] !== 'number') return false;
      const [type, callId] = message as [unknown, number];
      if (type === CANCEL) {
        inFlight.get(callId)?.(new ClosedError('the call was cancelled'));
        return true;
      }
      if (type !== CALL) return false;
      const [, , objectId, method, args, signalArg] = message as [
        unknown,
        number,
        unknown,
        unknown,
        unknown,
        unknown,
      ];
      if (typeof objectId !== 'number' || !Array.isArray(args)) return false;
      if (objectId === SERVER_OBJECT && method === 'adoptOwner') {
        // A thread's connections (its own and its sync helper's) name one owner key, so that an
        // RLock taken by `acquireSync()` is released by `release()` from the same thread.
        const key = args[0];
        if (ownerKey === undefined && typeof key === 'string' && key.length >= 16 && key.length <= 128) {
          ownerKey = key;
          const owner = this.owners.get(key);
          if (owner) {
            owner.connections++;
            caller = owner.caller;
          } else {
            this.owners.set(key, { caller, connections: 1 });
          }
        }
        send([RESULT, callId, undefined]);
        return true;
      }
      const refusal = this.memoryRefusal(byteLength, inFlightBytes);
      if (refusal) {
        send([ERROR, callId, serializeError(refusal)]);
        return true;
      }
      const ctx = new ServerCall(caller);
      let result: unknown;
      try {
        result = this.dispatch(ctx, objectId, method, args, signalArg);
      } catch (error) {
        send([ERROR, callId, serializeError(error)]);
        return true;
      }
      if (!(result instanceof Promise)) {
        sendResult(callId, result);
        return true;
      }
      inFlight.set(callId, (reason: Error) => ctx.cancel(reason));
      inFlightBytes += byteLength;
      result.then(
        (value: unknown) => {
          inFlight.delete(callId);
          inFlightBytes -= byteLength;
          sendResult(callId, value);
        },
        (error: unknown) => {
          inFlight.delete(callId);
          inFlightBytes -= byteLength;
          send([ERROR, callId, serializeError(error)]);
        },
      );
      return true;
    };
    // Messages are handled as they arrive, in order, each within the turn that read it.
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      connection.close();
      this.connections.delete(connection);
      if (ownerKey !== undefined) {
        const owner = this.owners.get(ownerKey);
        if (owner && --owner.connections === 0) this.owners.delete(ownerKey);
        ownerKey = undefined;
      }
      for (const cancelCall of inFlight.values()) cancelCall(new ClosedError('the client disconnected'));
      inFlight.clear();
    };
    connection.listen((message, byteLength) => {
      // A message that breaks the protocol: only this connection goes.
      if (!onMessage(message, byteLength)) finish();
    }, finish);
    // Like a pending recv(): an open client connection keeps the server's thread alive.
    connection.keepAlive(true);
  }

  /**
   * Why a call of `byteLength` bytes must not run, or undefined: its connection's running calls would
   * pass `maxConnectionBytes`, or the server thread's heap is over its line (measured every
   * HEAP_CHECK_EVERY bytes of calls, so the common small call costs an addition).
   */
  private memoryRefusal(byteLength: number, inFlightBytes: number): MemoryError | undefined {
    const limits = this.limits;
    if (inFlightBytes + byteLength > limits.maxConnectionBytes) {
      return new MemoryError(
        `this connection's calls in progress would hold ${inFlightBytes + byteLength} bytes, over the ` +
          `server's limit of ${limits.maxConnectionBytes} (limits.maxConnectionBytes); await some first`,
      );
    }
    this.bytesSinceHeapCheck += byteLength;
    if (this.bytesSinceHeapCheck >= HEAP_CHECK_EVERY || byteLength >= HEAP_CHECK_AT) {
      this.bytesSinceHeapCheck = 0;
      const heap = getHeapStatistics();
      // External memory counts too: decoded ArrayBuffers, answers queued on sockets.
      const used = heap.used_heap_size + heap.external_memory + byteLength;
      this.heapIsHigh = used > heap.heap_size_limit * limits.maxHeapFraction;
    }
    if (this.heapIsHigh && byteLength > SMALL_CALL_BYTES) {
      // Measure again next time: memory freed since must let calls through at once.
      this.bytesSinceHeapCheck = HEAP_CHECK_EVERY;
      return new MemoryError(
        `the server is low on memory (its heap is over ${limits.maxHeapFraction} of its limit, ` +
          'limits.maxHeapFraction): the call was refused; free some (delete, pop, clear) or try later',
      );
    }
    return undefined;
  }

  private dispatch(
    ctx: CallContext,
    objectId: number,
    method: unknown,
    args: unknown[],
    signalArg: unknown,
  ): unknown {
    if (objectId === SERVER_OBJECT) return this.serverMethod(method, args);
    const entry = this.objects.get(objectId);
    if (!entry) throw new ReferenceError(`no served object with id ${objectId} (released or never created)`);
    if (!isCallableName(method))
      throw new TypeError(`method ${JSON.stringify(method)} cannot be called remotely`);
    if (entry.relay) return entry.relay(method, args);
    // The caller's options carried an AbortSignal (not sendable): give the method one of ours.
    if (typeof signalArg === 'number' && isPlainObject(args[signalArg])) {
      args[signalArg] = { ...(args[signalArg] as object), signal: ctx.signal };
    }
    return invoke(entry.target!, method, entry.takesContext ? [ctx, ...args] : args, entry.typeid);
  }

  private serverMethod(method: unknown, args: unknown[]): unknown {
    switch (method) {
      case 'ping':
        return 'pong';
      case 'create':
        return this.create(args[0], Array.isArray(args[1]) ? args[1] : []);
      case 'release':
        if (typeof args[0] === 'number') this.objects.delete(args[0]);
        return undefined;
      case 'typeid':
        return typeof args[0] === 'number' ? this.objects.get(args[0])?.typeid : undefined;
      case 'locate': {
        const entry = typeof args[0] === 'number' ? this.objects.get(args[0]) : undefined;
        if (!entry) throw new ReferenceError(`no served object with id ${String(args[0])}`);
        const thread = entry.relay ? (this.options.ownerThread ?? threadId) : threadId;
        return { pid: process.pid, thread } satisfies ObjectLocation;
      }
      case 'shutdown':
        this.options.onShutdownRequest?.();
        return undefined;
      default:
        throw new TypeError(`unknown server method ${JSON.stringify(method)}`);
    }
  }

  private async create(typeid: unknown, args: unknown[]): Promise<CreatedObject> {
    if (typeof typeid !== 'string') throw new TypeError('typeid must be a string');
    const factory = this.factories.get(typeid);
    if (!factory)
      throw new ReferenceError(`typeid ${JSON.stringify(typeid)} is not registered with this manager`);
    const made = await factory(args);
    if (made.kind === 'existing') {
      if (!this.objects.has(made.id)) throw new ReferenceError(`object ${made.id} is no longer served`);
      return { id: made.id, typeid };
    }
    const id = this.nextObjectId++;
    if (made.kind === 'relayed') {
      this.objects.set(id, { typeid, target: undefined, relay: made.call, takesContext: false });
    } else {
      this.objects.set(id, {
        typeid,
        target: made.target,
        relay: undefined,
        takesContext: takesContext(made.target),
      });
    }
    return { id, typeid };
  }
}

/** A call's context; most calls never wait, so the AbortController is only made if asked for. */
class ServerCall implements CallContext {
  private controller: AbortController | undefined;
  private cancelled: Error | undefined;

  constructor(readonly caller: number) {}

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.cancelled) this.controller.abort(this.cancelled);
    }
    return this.controller.signal;
  }

  cancel(reason: Error): void {
    this.cancelled = reason;
    this.controller?.abort(reason);
  }
}

function isPlainObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function takesContext(target: object): boolean {
  return (target.constructor as { [TAKES_CONTEXT]?: boolean } | undefined)?.[TAKES_CONTEXT] === true;
}

/**
 * Calls `target[method](...args)` if the type exposes `method` (see exposed-methods.ts). A getter is
 * read (so a proxy can ask for a property, e.g. a Queue's `maxsize`, by calling it with no
 * arguments); a data field never is.
 */
export function invoke(target: object, method: string, args: unknown[], typeid: string): unknown {
  if (!isCallableName(method))
    throw new TypeError(`method ${JSON.stringify(method)} cannot be called remotely`);
  if (!isExposed(target, method)) throw new TypeError(`'${typeid}' object has no method '${method}'`);
  const member = (target as Record<string, unknown>)[method];
  if (typeof member === 'function') return (member as (...a: unknown[]) => unknown).apply(target, args);
  if (args.length === 0) return member;
  throw new TypeError(`'${typeid}' object's '${method}' is a property: call it with no arguments`);
}
