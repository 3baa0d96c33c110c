/**
 * Worker side of function-ref.ts: rebuilding a function from its ref. Kept apart so that the worker
 * bundle does not load what only the main thread needs to find a ref (file reads, package resolution).
 */
import { FunctionNotShippableError } from './errors.js';
import type { FunctionRef, TaskFunction } from './function-ref.js';
import { importModule, type LoadedModule, moduleHooksRegisteredHere } from './module-load.js';

export const FIX =
  'export it from a module (the worker imports that module, as Python unpickles by module and name), ' +
  'or write it as a self-contained function with no free variables';

/** Worker side: the function a ref names (its module loaded as module-load.ts says). */
export async function loadFunction(ref: FunctionRef): Promise<TaskFunction> {
  if (ref.kind === 'source') return compileSource(ref.source);
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
  // (Module hooks registered in this thread may give the module another source on purpose.)
  if (ref.source !== undefined && !sameSource(String(value), ref.source) && !moduleHooksRegisteredHere()) {
    throw new FunctionNotShippableError(
      `the export ${ref.name} of ${ref.url} in the worker is not the function ${ref.display} that was sent ` +
        '(another function of the same name?); give it a unique exported name, or name its module and export ' +
        'with task(fn, import.meta.url, exportName)',
    );
  }
  return value as TaskFunction;
}

/**
 * Whether two texts are the same function's. A loader that rewrites imports inside function bodies
 * (vite's SSR transform under vitest: `(0,__vite_ssr_import_0__.square)(x)`, under the export's name even
 * where the module imported it under another; Babel's CommonJS interop: `(0, _tasks.square)(x)`; loops
 * ended with `;`; a dynamic `import('@weft/pool')` rewritten to `__vite_ssr_dynamic_import__("/dist/index.js")`,
 * its specifier resolved) may have given the sender another text than the worker's. So the texts are compared as
 * token shapes: such accessors read as one name, every name reads the same, and whitespace and
 * semicolons are ignored; operators, literals and structure must match. Another function that merely
 * has the export's name (a local that shadows an import) has another shape.
 */
function sameSource(found: string, sent: string): boolean {
  return found === sent || shape(found) === shape(sent);
}

function shape(source: string): string {
  return source
    .replace(/\(0\s*,\s*[\w$]+\.([\w$]+)\)/g, '$1')
    .replace(/\b__vite_ssr_import_\d+__\.([\w$]+)/g, '$1')
    .replace(/\b(?:__vite_ssr_dynamic_import__|import)\s*\(\s*(?:'[^']*'|"[^"]*"|`[^`$]*`)/g, 'import(0')
    .replace(/[A-Za-z_$][\w$]*/g, 'a')
    .replace(/[\s;]+/g, '');
}

/**
 * A function sent as source, compiled in strict mode: there, a free variable it assigns (a variable of
 * the sender's module, say) throws a ReferenceError, which `explainSourceError` names, instead of
 * silently creating a global of this worker that nothing else reads.
 */
export function compileSource(source: string): TaskFunction {
  return new Function(`'use strict'; return (${source});`)() as TaskFunction;
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
    `the module of ${ref.display} (${ref.url}) cannot be loaded in the worker: ${String(error)}. ` +
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
