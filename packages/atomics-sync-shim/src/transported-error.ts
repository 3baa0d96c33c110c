/**
 * Errors across the sync bridge. Structured clone keeps only the built-in error names (a `CustomError`
 * arrives as a plain `Error`) and drops properties such as `code`, so errors travel as plain data and are
 * rebuilt on the calling side with their name, message, stack, primitive own properties and cause.
 */

export type Transported =
  | {
      kind: 'error';
      name: string;
      message: string;
      stack?: string;
      props: Record<string, Primitive>;
      cause?: Transported;
    }
  | { kind: 'value'; value: unknown };

type Primitive = string | number | boolean | null | undefined | bigint;

const builtinErrors: Record<string, new (message?: string) => Error> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

function isPrimitive(value: unknown): value is Primitive {
  return (
    value === null || (typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'symbol')
  );
}

/** Turns whatever was thrown into data that `postMessage` can always carry. */
export function toTransported(thrown: unknown, depth = 0): Transported {
  if (thrown instanceof Error) {
    const props: Record<string, Primitive> = {};
    for (const key of Object.keys(thrown)) {
      const value = (thrown as unknown as Record<string, unknown>)[key];
      if (key !== 'name' && key !== 'message' && key !== 'stack' && isPrimitive(value)) props[key] = value;
    }
    const transported: Transported = { kind: 'error', name: thrown.name, message: thrown.message, props };
    if (thrown.stack !== undefined) transported.stack = thrown.stack;
    if (thrown.cause !== undefined && depth < 8) transported.cause = toTransported(thrown.cause, depth + 1);
    return transported;
  }
  try {
    structuredClone(thrown);
    return { kind: 'value', value: thrown };
  } catch {
    return { kind: 'value', value: String(thrown) };
  }
}

/** Rebuilds what `toTransported` carried: an Error of the same name (a built-in class where it is one). */
export function fromTransported(transported: Transported): unknown {
  if (transported.kind === 'value') return transported.value;
  const ErrorClass = builtinErrors[transported.name] ?? Error;
  const error = new ErrorClass(transported.message);
  if (error.name !== transported.name) {
    Object.defineProperty(error, 'name', { value: transported.name, writable: true, configurable: true });
  }
  Object.assign(error, transported.props);
  if (transported.stack !== undefined) error.stack = transported.stack;
  if (transported.cause !== undefined) {
    Object.defineProperty(error, 'cause', {
      value: fromTransported(transported.cause),
      writable: true,
      configurable: true,
    });
  }
  return error;
}
