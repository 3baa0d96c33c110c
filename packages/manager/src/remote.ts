/**
 * Serving one existing object to other threads and processes, and reaching it from there: the
 * mechanism the pool's `process` context uses to give children the parent's primitives.
 */
import { BaseManager, type BaseManagerOptions } from './base-manager.js';
import type { BaseProxy, ProxyOptions } from './base-proxy.js';
import { type Proxied, proxyFor } from './proxies.js';
import { isRemoteRef, type RemoteRef } from './remote-ref.js';

/**
 * A server for objects that already exist (no built-in types), started on a thread of its own.
 * `await server.serve(obj)` gives a RemoteRef; `connectRemote(ref)` anywhere gives a proxy.
 */
export class ObjectServer {
  private constructor(private readonly manager: BaseManager) {}

  /** Starts the server thread. Options as BaseManager's (default: Unix socket, random key). */
  static async start(options: BaseManagerOptions = {}): Promise<ObjectServer> {
    const manager = new BaseManager(options);
    await manager.start();
    return new ObjectServer(manager);
  }

  get address() {
    return this.manager.address;
  }

  /**
   * Serves `target` (the same object again gives the same id). Weft primitives move to the server
   * thread; other objects stay in this thread and their calls are relayed here.
   * @param typeid picks the proxy class on the other side ('Queue', 'Lock', 'dict' … for a typed
   * proxy); default 'object': a proxy whose every property is an async remote method.
   */
  serve(target: object, typeid?: string): Promise<RemoteRef> {
    return this.manager.serve(target, typeid);
  }

  shutdown(): Promise<void> {
    return this.manager.shutdown();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
  }
}

let defaultServer: Promise<ObjectServer> | undefined;

/**
 * Serves `target` from this thread's default ObjectServer (started on first use, shut down by
 * `closeDefaultObjectServer()`), and returns a reference to pass to other threads or processes.
 */
export async function serveObject(target: object, typeid?: string): Promise<RemoteRef> {
  if (!defaultServer) {
    defaultServer = ObjectServer.start();
    defaultServer.catch(() => {
      defaultServer = undefined;
    });
  }
  return (await defaultServer).serve(target, typeid);
}

/** Shuts down the default server of serveObject() (its objects become unreachable). */
export async function closeDefaultObjectServer(): Promise<void> {
  const server = defaultServer;
  defaultServer = undefined;
  if (server) await (await server).shutdown();
}

/**
 * A proxy for the object `ref` names, in this thread or process: typed (DictProxy, QueueProxy …)
 * for the built-in typeids, generic otherwise. Connects lazily on the first call.
 * @throws TypeError if `ref` is not a RemoteRef.
 */
export function connectRemote<T = unknown>(ref: RemoteRef, options?: ProxyOptions): Proxied<T> & BaseProxy {
  if (!isRemoteRef(ref))
    throw new TypeError('connectRemote() needs a RemoteRef ({ address, authkey, id, typeid })');
  return proxyFor(ref, options) as Proxied<T> & BaseProxy;
}
