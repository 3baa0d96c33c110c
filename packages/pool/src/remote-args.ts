/**
 * Weft primitives in a child process's args (`context: 'process'`).
 *
 * Shared memory cannot cross a process boundary in Node, so the parent serves each primitive it finds
 * in `args` through @weft/manager's object server (on a thread of its own) and sends a reference; the
 * child swaps each reference for a manager proxy of the same object. Plain values are untouched.
 */
const MARK = '__weftRemote';
const MAX_DEPTH = 4;

/** The typeid of each weft primitive's proxy in a child ('weft:Lock' …), from @weft/manager. */
type PrimitiveTypeid = (value: object) => string | undefined;

let typeids: Promise<PrimitiveTypeid> | undefined;

/** Loaded on first need: @weft/manager knows every weft primitive a child can use. */
function loadTypeids(): Promise<PrimitiveTypeid> {
  typeids ??= (async () => {
    const { primitiveTypeid } = (await import('@weft/manager')) as { primitiveTypeid: PrimitiveTypeid };
    return primitiveTypeid;
  })();
  return typeids;
}

function isPlain(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null || Array.isArray(value);
}

/** Whether `value` holds a class instance that may be a weft primitive (cheap, synchronous). */
export function mayHoldPrimitives(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return false;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof SharedArrayBuffer)
    return false;
  if (value instanceof Map || value instanceof Set || value instanceof Date || value instanceof RegExp)
    return false;
  if (!isPlain(value)) return true;
  for (const item of Object.values(value)) if (mayHoldPrimitives(item, depth + 1)) return true;
  return false;
}

interface Server {
  serve(target: object, typeid?: string): Promise<unknown>;
  shutdown(): Promise<void>;
}

/**
 * One object server for this process's children, started on first need and shut down when no user
 * holds it any more (its thread would otherwise keep the program alive).
 */
let server: Promise<Server> | undefined;
let users = 0;

/** A user of the object server: call the returned function when the children that use it are gone. */
export function holdServer(): () => void {
  users++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--users === 0 && server) {
      const closing = server;
      server = undefined;
      void closing.then((s) => s.shutdown()).catch(() => {});
    }
  };
}

function startServer(): Promise<Server> {
  server ??= (async () => {
    const { ObjectServer } = (await import('@weft/manager')) as {
      ObjectServer: { start(): Promise<Server> };
    };
    return ObjectServer.start();
  })();
  return server;
}

/**
 * Parent side: `value` with each weft primitive replaced by a served reference. Hold the server
 * (`holdServer()`) for as long as a child may use the references. `onServed` hears of each object
 * served, with its reference.
 */
export async function shareForChild(
  value: unknown,
  onServed?: (target: object, ref: unknown) => void,
  depth = 0,
): Promise<unknown> {
  if (!mayHoldPrimitives(value, depth)) return value;
  const object = value as object;
  if (!isPlain(object)) {
    const typeid = (await loadTypeids())(object);
    if (typeid === undefined) return value;
    const ref = await (await startServer()).serve(object, typeid);
    onServed?.(object, ref);
    return { [MARK]: ref };
  }
  if (Array.isArray(object))
    return Promise.all(object.map((item) => shareForChild(item, onServed, depth + 1)));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(object)) out[key] = await shareForChild(item, onServed, depth + 1);
  return out;
}

/** Parent side: closes served objects (the server's copies of pipe ends) by reference; failures are moot. */
export async function closeServedObjects(refs: unknown[]): Promise<void> {
  try {
    const { connectRemote } = (await import('@weft/manager')) as unknown as {
      connectRemote: (ref: unknown) => { call(method: string, args: unknown[]): Promise<unknown> };
    };
    await Promise.all(
      refs.map((ref) =>
        connectRemote({ ...(ref as object), typeid: 'object' })
          .call('close', [])
          .catch(() => {}),
      ),
    );
  } catch {
    // the server is gone: so are its copies
  }
}

/** Child side: whether `value` holds a served reference (`attachInChild` would change it). */
export function holdsReferences(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH || !isPlain(value)) return false;
  if (MARK in value) return true;
  for (const item of Object.values(value)) if (holdsReferences(item, depth + 1)) return true;
  return false;
}

/** Child side: `value` with each served reference replaced by a manager proxy of the same object. */
export async function attachInChild(value: unknown, depth = 0): Promise<unknown> {
  if (!holdsReferences(value, depth)) return value;
  const object = value as Record<string, unknown>;
  if (MARK in object) {
    const { connectRemote } = (await import('@weft/manager')) as { connectRemote: (ref: unknown) => unknown };
    return connectRemote(object[MARK]);
  }
  if (Array.isArray(object)) return Promise.all(object.map((item) => attachInChild(item, depth + 1)));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(object)) out[key] = await attachInChild(item, depth + 1);
  return out;
}
