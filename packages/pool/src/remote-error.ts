/**
 * Errors thrown in a worker cross back as a description and are rebuilt on the main thread with the
 * same name and message; the worker-side stack becomes the `cause` (Python's RemoteTraceback).
 */
import { RemoteTraceback } from './errors.js';

export interface ErrorDescription {
  name: string;
  message: string;
  stack: string;
  code?: string | number;
  cause?: ErrorDescription;
}

export function describeError(error: unknown, depth = 0): ErrorDescription {
  if (error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)) {
    const e = error as Error & { code?: unknown };
    const description: ErrorDescription = {
      name: String(e.name ?? 'Error'),
      message: String(e.message),
      stack: String(e.stack ?? `${e.name}: ${e.message}`),
    };
    if (typeof e.code === 'string' || typeof e.code === 'number') description.code = e.code;
    if (e.cause !== undefined && depth < 4) description.cause = describeError(e.cause, depth + 1);
    return description;
  }
  return { name: 'Error', message: `a non-Error value was thrown: ${String(error)}`, stack: '' };
}

const BUILTIN: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

export function rebuildError(description: ErrorDescription): Error {
  const Constructor = BUILTIN[description.name] ?? Error;
  const cause = description.cause
    ? rebuildError(description.cause)
    : description.stack
      ? new RemoteTraceback(description.stack)
      : undefined;
  const error =
    cause === undefined
      ? new Constructor(description.message)
      : new Constructor(description.message, { cause });
  if (error.name !== description.name) {
    Object.defineProperty(error, 'name', { value: description.name, configurable: true, writable: true });
  }
  if (description.code !== undefined) (error as Error & { code?: unknown }).code = description.code;
  if (description.cause && description.stack) {
    // keep the worker stack reachable even when the error had its own cause
    Object.defineProperty(error, 'remoteStack', { value: description.stack, configurable: true });
  }
  return error;
}
