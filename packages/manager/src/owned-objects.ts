/**
 * Objects whose owner thread is not the server's. A weft primitive (a handle over shared memory)
 * moves into the server thread and is served there; any other object stays in its owner's thread
 * and each call on it is relayed there through a MessagePort (so those calls do use the owner's
 * event loop). Both sides of that relay live here.
 */
import type { MessagePort } from 'node:worker_threads';
import { decodePayload, encodePayload } from './payload.js';
import { type SerializedError, serializeError } from './protocol.js';
import type { FactoryResult, RelayedCall } from './server.js';
import { invoke } from './server.js';

export type RelayRequest =
  | { type: 'create'; requestId: number; typeid: string; args: Uint8Array }
  | { type: 'call'; requestId: number; key: number; method: string; args: Uint8Array };

export type RelayReply =
  | { type: 'reply'; requestId: number; ok: true; value: Uint8Array }
  | { type: 'reply'; requestId: number; ok: false; error: SerializedError };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type RelayRequestBody = DistributiveOmit<RelayRequest, 'requestId'>;

/** What the owner answers to 'create'. */
type Created = { kind: 'moved'; key: number; handle: Uint8Array } | { kind: 'relayed'; key: number };

/** Whether `value` crosses the codec as itself (a weft handle), not as a copy of its data. */
export function isTransferableHandle(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  if (
    prototype === Object.prototype ||
    prototype === null ||
    prototype === Array.prototype ||
    prototype === Map.prototype ||
    prototype === Set.prototype
  ) {
    return false;
  }
  try {
    return Object.getPrototypeOf(decodePayload(encodePayload(value))) === prototype;
  } catch {
    return false;
  }
}

/** The owner's side: makes objects (registered callables) and answers relayed calls. */
export class OwnerSide {
  private readonly byKey = new Map<number, object>();
  private readonly keys = new WeakMap<object, number>();
  private nextKey = 1;

  constructor(
    private readonly port: MessagePort,
    private readonly callables: Map<string, (...args: unknown[]) => unknown>,
  ) {}

  /** Keeps `target` under a key (the same key if it was kept before). */
  keep(target: object): number {
    let key = this.keys.get(target);
    if (key === undefined) {
      key = this.nextKey++;
      this.keys.set(target, key);
      this.byKey.set(key, target);
    }
    return key;
  }

  async handle(request: RelayRequest): Promise<void> {
    try {
      const value =
        request.type === 'create'
          ? await this.create(request.typeid, request.args)
          : await this.call(request);
      this.port.postMessage({
        type: 'reply',
        requestId: request.requestId,
        ok: true,
        value: encodePayload(value),
      });
    } catch (error) {
      this.port.postMessage({
        type: 'reply',
        requestId: request.requestId,
        ok: false,
        error: serializeError(error),
      });
    }
  }

  private async create(typeid: string, argsBytes: Uint8Array): Promise<Created> {
    const callable = this.callables.get(typeid);
    if (!callable) throw new ReferenceError(`typeid ${JSON.stringify(typeid)} has no callable in the owner`);
    const made = await callable(...(decodePayload(argsBytes) as unknown[]));
    if (made === null || (typeof made !== 'object' && typeof made !== 'function')) {
      throw new TypeError(
        `the callable for ${JSON.stringify(typeid)} must return an object, got ${typeof made}`,
      );
    }
    const key = this.keep(made);
    return isTransferableHandle(made)
      ? { kind: 'moved', key, handle: encodePayload(made) }
      : { kind: 'relayed', key };
  }

  private async call(request: Extract<RelayRequest, { type: 'call' }>): Promise<unknown> {
    const target = this.byKey.get(request.key);
    if (!target) throw new ReferenceError(`object ${request.key} is not kept by its owner`);
    return invoke(
      target,
      request.method,
      decodePayload(request.args) as unknown[],
      target.constructor?.name ?? 'object',
    );
  }
}

/** The server thread's side: asks the owner to create objects and forwards calls to relayed ones. */
export class ServerSide {
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly served = new Map<number, number>(); // owner key -> server object id
  private nextRequest = 1;

  constructor(private readonly port: MessagePort) {}

  onReply(reply: RelayReply): void {
    const waiter = this.waiting.get(reply.requestId);
    if (!waiter) return;
    this.waiting.delete(reply.requestId);
    if (reply.ok) waiter.resolve(decodePayload(reply.value));
    else {
      const error = new Error(reply.error.message);
      error.name = reply.error.name;
      if (reply.error.stack) error.stack = reply.error.stack;
      waiter.reject(error);
    }
  }

  /** A factory for `typeid` whose callable lives in the owner thread. */
  factory(typeid: string, addObject: (target: object) => number, relayedId: (call: RelayedCall) => number) {
    return async (args: unknown[]): Promise<FactoryResult> => {
      const created = (await this.request({ type: 'create', typeid, args: encodePayload(args) })) as Created;
      const known = this.served.get(created.key);
      if (known !== undefined) return { kind: 'existing', id: known };
      const id =
        created.kind === 'moved'
          ? addObject(decodePayload(created.handle) as object)
          : relayedId((method, callArgs) => this.relayCall(created.key, method, callArgs));
      this.served.set(created.key, id);
      return { kind: 'existing', id };
    };
  }

  /** Forwards a call to the object the owner keeps under `key`. */
  relayCall(key: number, method: string, args: unknown[]): Promise<unknown> {
    return this.request({ type: 'call', key, method, args: encodePayload(args) });
  }

  /** Cancels every request in flight (the server is closing). */
  close(error: Error): void {
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }

  private request(message: RelayRequestBody): Promise<unknown> {
    const requestId = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.waiting.set(requestId, { resolve, reject });
      this.port.postMessage({ ...message, requestId });
    });
  }
}

export type { SerializedError };
