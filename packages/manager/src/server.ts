/**
 * The proxy server: holds the served objects and answers calls from authenticated connections. It
 * runs wherever it is started: on a thread of its own (Manager.start, BaseManager.start) or in the
 * current thread (getServer().serveForever()). Each call runs on the server's event loop; a call
 * that waits (a lock, a queue) is a pending promise there, so one slow call never holds up others.
 */
import type { Address } from './address.js';
import { type CallContext, TAKES_CONTEXT } from './call-context.js';
import type { Connection } from './connection.js';
import { ClosedError } from './errors.js';
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
}

export class ProxyServer {
  readonly listener: Listener;
  private readonly objects = new Map<number, ServedEntry>();
  private readonly factories = new Map<string, ObjectFactory>();
  private readonly connections = new Set<Connection>();
  private nextObjectId = 1;
  private nextCaller = 1;
  private closing = false;
  private readonly closed: Promise<void>;
  private markClosed!: () => void;

  constructor(
    address: Address,
    private readonly options: ServerOptions,
  ) {
    this.listener = new Listener(address, options);
    this.listener.onConnection = (connection) => this.serve(connection);
    this.closed = new Promise((resolve) => {
      this.markClosed = resolve;
    });
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
    const caller = this.nextCaller++;
    const inFlight = new Map<number, (reason: Error) => void>();
    const send = (message: unknown[]) => {
      if (connection.closed) return;
      try {
        connection.send(message);
      } catch (error) {
        // The result itself cannot be encoded: tell the caller why instead.
        if (message[0] === RESULT) connection.send([ERROR, message[1], serializeError(error)]);
      }
    };
    const loop = async () => {
      for (;;) {
        let message: unknown;
        try {
          message = await connection.recv();
        } catch {
          break; // end of stream, or a frame that broke the protocol: only this connection goes
        }
        if (!Array.isArray(message) || typeof message[1] !== 'number') break;
        const [type, callId] = message as [unknown, number];
        if (type === CANCEL) {
          inFlight.get(callId)?.(new ClosedError('the call was cancelled'));
          continue;
        }
        if (type !== CALL) break;
        const [, , objectId, method, args, signalArg] = message as [
          unknown,
          number,
          unknown,
          unknown,
          unknown,
          unknown,
        ];
        if (typeof objectId !== 'number' || !Array.isArray(args)) break;
        // Most calls never wait, so the AbortController is only made if the method asks for it.
        let controller: AbortController | undefined;
        let cancelled: Error | undefined;
        const ctx: CallContext = {
          caller,
          get signal() {
            if (!controller) {
              controller = new AbortController();
              if (cancelled) controller.abort(cancelled);
            }
            return controller.signal;
          },
        };
        const cancel = (reason: Error) => {
          cancelled = reason;
          controller?.abort(reason);
        };
        let result: unknown;
        try {
          result = this.dispatch(ctx, objectId, method, args, signalArg);
        } catch (error) {
          send([ERROR, callId, serializeError(error)]);
          continue;
        }
        if (!(result instanceof Promise)) {
          send([RESULT, callId, result]);
          continue;
        }
        inFlight.set(callId, cancel);
        result.then(
          (value: unknown) => {
            inFlight.delete(callId);
            send([RESULT, callId, value]);
          },
          (error: unknown) => {
            inFlight.delete(callId);
            send([ERROR, callId, serializeError(error)]);
          },
        );
      }
      connection.close();
      this.connections.delete(connection);
      for (const cancelCall of inFlight.values()) cancelCall(new ClosedError('the client disconnected'));
    };
    void loop();
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

function isPlainObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function takesContext(target: object): boolean {
  return (target.constructor as { [TAKES_CONTEXT]?: boolean } | undefined)?.[TAKES_CONTEXT] === true;
}

/**
 * Calls `target[method](...args)`. A non-function attribute is read (so a proxy can ask for a
 * property, e.g. a Queue's `maxsize`, by calling it with no arguments).
 */
export function invoke(target: object, method: string, args: unknown[], typeid: string): unknown {
  if (!isCallableName(method))
    throw new TypeError(`method ${JSON.stringify(method)} cannot be called remotely`);
  const member = (target as Record<string, unknown>)[method];
  if (typeof member === 'function') return (member as (...a: unknown[]) => unknown).apply(target, args);
  if (member !== undefined && args.length === 0) return member;
  throw new TypeError(`'${typeid}' object has no method '${method}'`);
}
