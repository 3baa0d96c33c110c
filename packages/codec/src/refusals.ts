/** Telling values that cannot cross from those that can, and the pieces of a DataCloneError: why and where. */
import { DataCloneError } from './errors.js';

/** Objects that exist only in the thread that made them, with the advice their error gives. */
const threadLocal: [abstract new (...args: never[]) => object, string][] = [
  [WeakMap, 'is a WeakMap: its entries cannot be listed, so it cannot be copied'],
  [WeakSet, 'is a WeakSet: its entries cannot be listed, so it cannot be copied'],
  [WeakRef, 'is a WeakRef: it cannot be copied'],
  [FinalizationRegistry, 'is a FinalizationRegistry: it belongs to this thread'],
  [Promise, 'is a Promise: await it and send the result'],
];
const transferOnly = ['MessagePort', 'MessageChannel', 'BroadcastChannel', 'Worker'];

export function mapValueSegment(map: Map<unknown, unknown>, n: number): string {
  let i = 0;
  for (const key of map.keys()) {
    if (i++ !== n) continue;
    if (typeof key === 'string') return `.get(${JSON.stringify(key)})`;
    if (typeof key === 'number' || typeof key === 'boolean' || key === null) return `.get(${String(key)})`;
  }
  return `<Map value #${n}>`;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export function propertySegment(key: string): string {
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/**
 * Whether `prototype` is the `name` built-in's prototype of another realm (a vm context): its
 * constructor is named `name` and its chain ends in that realm's Object.prototype.
 */
export function isOtherRealmPrototype(prototype: object, name: 'Object' | 'Array'): boolean {
  const owner = (prototype as { constructor?: unknown }).constructor;
  if (typeof owner !== 'function' || owner.name !== name) return false;
  const parent: object | null = Object.getPrototypeOf(prototype);
  if (name === 'Object')
    return parent === null && Function.prototype.toString.call(owner).includes('[native code]');
  return parent !== null && isOtherRealmPrototype(parent, 'Object');
}

function className(value: object): string {
  const owner = (value as { constructor?: unknown }).constructor;
  if (typeof owner === 'function' && owner.name !== '') return owner.name;
  return Object.prototype.toString.call(value).slice(8, -1);
}

export function classInstance(value: object): DataCloneError {
  return new DataCloneError(
    `is an instance of class ${className(value)}: its methods would be lost; pass a plain object or register a handle kind`,
  );
}

export function notTransportable(value: object): DataCloneError {
  for (const [type, reason] of threadLocal) if (value instanceof type) return new DataCloneError(reason);
  const name = className(value);
  if (transferOnly.includes(name)) {
    return new DataCloneError(
      `is a ${name}: it belongs to this thread and cannot travel as bytes; transfer it with postMessage`,
    );
  }
  return classInstance(value);
}
