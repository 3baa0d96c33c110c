/**
 * Functions cross to Redis workers by name, as in a Pool: a module path *relative to a root* and an
 * export name. The client's root and the worker's root (both default to the current directory) may
 * differ, so a project deployed at another path on another machine still finds its modules; a worker
 * imports only modules under its root (a path leading out of it is refused), so a message written to
 * Redis can name a function of the project, never `node:child_process`.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FunctionNotShippableError } from './errors.js';

export interface FunctionName {
  /** Module path relative to the root, with `/` separators. */
  module: string;
  /** Export name. */
  name: string;
}

type AnyFunction = (...args: never[]) => unknown;

const explicit = new WeakMap<object, { url: string; name: string | undefined }>();
const resolved = new WeakMap<object, { url: string; name: string }>();

/**
 * Names the module that exports `fn` (pass `import.meta.url` or a path), for functions the executor
 * cannot find from the call site. Returns `fn` itself.
 */
export function task<F extends AnyFunction>(fn: F, moduleUrl: string, exportName?: string): F {
  if (typeof fn !== 'function')
    throw new TypeError(`task(fn, moduleUrl): fn must be a function, got ${typeof fn}`);
  const url = moduleUrl.startsWith('file:') ? moduleUrl : pathToFileURL(moduleUrl).href;
  explicit.set(fn, { url, name: exportName });
  resolved.delete(fn);
  return fn;
}

const ownDirectory = fileURLToPath(new URL('..', import.meta.url));

/** The first module file on the stack outside this package. */
function callerModule(): string | undefined {
  const stack = new Error().stack ?? '';
  for (const line of stack.split('\n').slice(1)) {
    const match = /\(?((?:file:\/\/)?\/[^():]+):\d+:\d+\)?\s*$/.exec(line);
    if (!match?.[1]) continue;
    const path = match[1].startsWith('file:') ? fileURLToPath(match[1]) : match[1];
    if (path.startsWith(ownDirectory)) continue;
    return pathToFileURL(path).href;
  }
  return undefined;
}

/** Finds `fn`'s module URL and export name (cached per function). */
export async function locate(
  fn: AnyFunction,
  caller: string | undefined,
): Promise<{ url: string; name: string }> {
  const known = resolved.get(fn);
  if (known) return known;
  const given = explicit.get(fn);
  const url = given?.url ?? caller;
  const display = fn.name || '<anonymous>';
  if (url === undefined)
    throw new FunctionNotShippableError(
      `cannot find the module of ${display}: wrap it as task(${display}, import.meta.url) where it is exported`,
    );
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new FunctionNotShippableError(
      `cannot import ${url} to find ${display}: ${(error as Error).message}`,
    );
  }
  let name = given?.name;
  if (name === undefined) {
    if (namespace[fn.name] === fn) name = fn.name;
    else name = Object.keys(namespace).find((key) => namespace[key] === fn);
  }
  if (name === undefined || namespace[name] !== fn)
    throw new FunctionNotShippableError(
      `${display} is not exported from ${url}: Redis workers find functions by module and export name ` +
        `(export it, and wrap it as task(${display}, import.meta.url) when it is exported elsewhere)`,
    );
  const found = { url, name };
  resolved.set(fn, found);
  return found;
}

export { callerModule };

/** The module's path relative to `root`, refusing modules outside it. */
export function relativeModule(url: string, root: string, display: string): string {
  const path = fileURLToPath(url);
  const rel = relative(root, path);
  if (rel.startsWith('..') || isAbsolute(rel))
    throw new FunctionNotShippableError(
      `${display} is in ${path}, outside the executor's root ${root}: workers import only modules under ` +
        'their root (set `root` to your project directory)',
    );
  return rel.split(sep).join('/');
}

/** The worker side: the file URL of `module` under `root`, or an error for a path leading out of it. */
export function moduleUnderRoot(module: string, root: string): string {
  const path = resolve(root, module);
  const rel = relative(root, path);
  if (typeof module !== 'string' || rel.startsWith('..') || isAbsolute(rel) || module.includes('\0'))
    throw new FunctionNotShippableError(
      `refused module ${JSON.stringify(module)}: not under the worker's root ${root}`,
    );
  return pathToFileURL(path).href;
}
