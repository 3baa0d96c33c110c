/**
 * Worker side of function-ref.ts: rebuilding a function from its ref. Kept apart so that the worker
 * bundle does not load what only the main thread needs to find a ref (file reads, package resolution).
 */
import { FunctionNotShippableError } from './errors.js';
import type { FunctionRef, TaskFunction } from './function-ref.js';
import { importModule, type LoadedModule } from './module-load.js';

export const FIX =
  'export it from a module (the worker imports that module, as Python unpickles by module and name), ' +
  'or write it as a self-contained function with no free variables';

/** Worker side: the function a ref names (its module loaded as module-load.ts says). */
export async function loadFunction(ref: FunctionRef): Promise<TaskFunction> {
  if (ref.kind === 'source') {
    return new Function(`return (${ref.source});`)() as TaskFunction;
  }
  let loaded: LoadedModule;
  try {
    loaded = await importModule(ref.url);
  } catch (error) {
    throw cannotLoad(ref, error);
  }
  let value = exported(loaded.namespace, ref.name);
  if (typeof value !== 'function' && loaded.required) {
    // What require() gave is not what import() gives here (say, an ES module with a 'module.exports'
    // export): ask import().
    try {
      value = exported((await import(ref.url)) as Record<string, unknown>, ref.name);
    } catch (error) {
      throw cannotLoad(ref, error);
    }
  }
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

function exported(namespace: Record<string, unknown>, name: string): unknown {
  let value: unknown = namespace;
  for (const part of name.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
  return value;
}

function cannotLoad(
  ref: Extract<FunctionRef, { kind: 'module' }>,
  error: unknown,
): FunctionNotShippableError {
  return new FunctionNotShippableError(
    `the worker cannot load the module of ${ref.display} (${ref.url}): ${String(error)}. ` +
      'A module written in TypeScript needs the program to run under a loader such as tsx',
    { cause: error },
  );
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
