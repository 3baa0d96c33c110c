/**
 * Worker side of function-ref.ts: rebuilding a function from its ref. Kept apart so that the worker
 * bundle does not load what only the main thread needs to find a ref (file reads, package resolution).
 */
import { FunctionNotShippableError } from './errors.js';
import type { FunctionRef, TaskFunction } from './function-ref.js';

export const FIX =
  'export it from a module (the worker imports that module, as Python unpickles by module and name), ' +
  'or write it as a self-contained function with no free variables';

/** Worker side: the function a ref names. */
export async function loadFunction(ref: FunctionRef): Promise<TaskFunction> {
  if (ref.kind === 'source') {
    return new Function(`return (${ref.source});`)() as TaskFunction;
  }
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(ref.url)) as Record<string, unknown>;
  } catch (error) {
    throw new FunctionNotShippableError(
      `the worker cannot load the module of ${ref.display} (${ref.url}): ${String(error)}. ` +
        'A module written in TypeScript needs the program to run under a loader such as tsx',
      { cause: error },
    );
  }
  let value: unknown = namespace;
  for (const part of ref.name.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
  if (typeof value !== 'function') {
    throw new FunctionNotShippableError(`${ref.url} has no exported function ${ref.name} in the worker`);
  }
  if (ref.source !== undefined && String(value) !== ref.source) {
    throw new FunctionNotShippableError(
      `the export ${ref.name} of ${ref.url} in the worker is not the function ${ref.display} that was sent; ` +
        'give it a unique exported name, or name its module with task(fn, import.meta.url)',
    );
  }
  return value as TaskFunction;
}

/**
 * A ReferenceError from a function shipped as source almost always means a free variable: say so.
 */
export function explainSourceError(ref: FunctionRef, error: unknown): unknown {
  if (ref.kind !== 'source' || !(error instanceof ReferenceError)) return error;
  const missing = /^(\S+) is not defined/.exec(error.message)?.[1] ?? 'a variable';
  return new FunctionNotShippableError(
    `${ref.display} was sent to the worker as source text and refers to ${missing}, which does not exist in ` +
      `the worker (a closure cannot cross to another thread); ${FIX}`,
    { cause: error },
  );
}
