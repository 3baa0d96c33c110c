/**
 * Python's `<` for the values a PriorityQueue holds: numbers (and bigints, booleans) by value,
 * strings by code point, arrays (Python's tuples and lists) element by element, Dates by time.
 * Anything else — or two values of kinds Python would not compare — raises TypeError with
 * Python's message, as `heapq` does.
 */

function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) ? 'int' : 'float';
    case 'bigint':
      return 'int';
    case 'boolean':
      return 'bool';
    case 'string':
      return 'str';
    case 'function':
      return 'function';
    case 'symbol':
      return 'symbol';
    default:
      if (Array.isArray(value)) return 'list';
      if (value instanceof Date) return 'datetime';
      return (value as object).constructor?.name === 'Object'
        ? 'dict'
        : ((value as object).constructor?.name ?? 'object');
  }
}

function isNumeric(value: unknown): value is number | bigint | boolean {
  const type = typeof value;
  return type === 'number' || type === 'bigint' || type === 'boolean';
}

function numericLess(a: number | bigint | boolean, b: number | bigint | boolean): boolean {
  const x = typeof a === 'boolean' ? Number(a) : a;
  const y = typeof b === 'boolean' ? Number(b) : b;
  return x < y;
}

function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // UTF-16 code units order astral characters below U+E000..U+FFFF; code points do not.
      const xSurrogate = x >= 0xd800 && x <= 0xdfff;
      const ySurrogate = y >= 0xd800 && y <= 0xdfff;
      if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
      return x - y;
    }
  }
  return a.length - b.length;
}

/** Python's `==` for these values: never raises. */
export function pythonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isNumeric(a) && isNumeric(b)) {
    const x = typeof a === 'boolean' ? Number(a) : a;
    const y = typeof b === 'boolean' ? Number(b) : b;
    // biome-ignore lint/suspicious/noDoubleEquals: number == bigint compares the values
    return x == y;
  }
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!pythonEquals(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) {
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    const keysA = Object.keys(a);
    const keysB = Object.keys(b);
    if (keysA.length !== keysB.length) return false;
    for (const key of keysA) {
      if (!Object.hasOwn(b, key)) return false;
      if (!pythonEquals((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
        return false;
    }
    return true;
  }
  return false;
}

/**
 * Python's `a < b`.
 * @throws TypeError `'<' not supported between instances of 'str' and 'int'` for kinds Python does not order.
 */
export function pythonLess(a: unknown, b: unknown): boolean {
  if (isNumeric(a) && isNumeric(b)) return numericLess(a, b);
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b) < 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    const length = Math.min(a.length, b.length);
    for (let i = 0; i < length; i++) {
      if (!pythonEquals(a[i], b[i])) return pythonLess(a[i], b[i]);
    }
    return a.length < b.length;
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() < b.getTime();
  throw new TypeError(
    `'<' not supported between instances of '${pythonTypeName(a)}' and '${pythonTypeName(b)}'`,
  );
}
