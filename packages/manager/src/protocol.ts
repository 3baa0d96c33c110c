/**
 * The manager's messages, each one codec-encoded frame on a Connection:
 *   [CALL, callId, objectId, method, args, signalArg?]   client -> server (signalArg: see BaseProxy)
 *   [CANCEL, callId]                         client -> server (the caller's AbortSignal fired)
 *   [RESULT, callId, value]                  server -> client
 *   [ERROR, callId, { name, message, stack }] server -> client
 * Object 0 is the server itself (create, release, shutdown, ping). Calls on one connection may be
 * answered out of order (a `queue.get` may wait while a `queue.put` from the same thread goes by).
 */
export const CALL = 0;
export const CANCEL = 1;
export const RESULT = 2;
export const ERROR = 3;

export const SERVER_OBJECT = 0;

export interface SerializedError {
  name: string;
  message: string;
  stack?: string | undefined;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'Error', message: String(error) };
}

/** What the server answers to `create`: enough for a proxy to find the object again. */
export interface CreatedObject {
  id: number;
  typeid: string;
}

/** A method name a client may call: public, not a blocking twin, not an Object.prototype member. */
export function isCallableName(method: unknown): method is string {
  return (
    typeof method === 'string' &&
    method.length > 0 &&
    !method.startsWith('_') &&
    !method.endsWith('Sync') &&
    !(method in Object.prototype)
  );
}
