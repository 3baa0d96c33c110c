/**
 * What a client may call on a served object: Python's `exposed` lists. A built-in type exposes its
 * public API only (never `toHandle`, never a field such as a Lock's `word` or a Barrier's private
 * `trip`); any other object exposes its public methods and getters (Python's `public_methods`), never
 * a data field and never the codec's or the primitives' internal protocol.
 */
import { Barrier, BoundedSemaphore, Condition, Event, Lock, RLock, Semaphore } from '@weft/lock';
import { Queue } from '@weft/queue';
import { RawSharedArray, RawValue } from '@weft/shared-memory';
import { ServedArray, ServedDict, ServedList, ServedNamespace, ServedValue } from './served-collections.js';
import { ServedJoinableQueue, ServedQueue } from './served-queue.js';
import {
  ServedBarrier,
  ServedCondition,
  ServedEvent,
  ServedLock,
  ServedRLock,
  ServedSemaphore,
} from './served-sync.js';

type AnyClass = abstract new (...args: never[]) => object;

const DICT = ['get', 'set', 'delete', 'has', 'keys', 'values', 'items', 'size', 'toObject', 'clear'];
const LIST = ['get', 'set', 'append', 'extend', 'length', 'toArray', 'pop', 'insert', 'index', 'remove'];
const QUEUE = ['put', 'get', 'putNowait', 'getNowait', 'qsize', 'empty', 'full'];
const LOCK = ['acquire', 'release', 'locked'];
const SEMAPHORE = ['acquire', 'release', 'getValue', 'value'];
const CONDITION = ['acquire', 'release', 'wait', 'notify', 'notifyAll'];
const EVENT = ['set', 'clear', 'isSet', 'wait'];
const BARRIER = ['wait', 'abort', 'reset', 'parties', 'getParties', 'nWaiting', 'broken'];

/** Subclasses before their base classes: the first `instanceof` match wins. */
const EXPOSED: ReadonlyArray<readonly [AnyClass, ReadonlySet<string>]> = [
  [ServedDict, [...DICT, 'update', 'pop', 'setDefault']],
  [ServedArray, [...LIST, 'clear', 'slice', 'getTypecode']],
  [ServedList, [...LIST, 'clear', 'slice']],
  [ServedNamespace, ['get', 'set', 'delete', 'has', 'toObject']],
  [ServedValue, ['get', 'set', 'getTypecode']],
  [ServedJoinableQueue, [...QUEUE, 'taskDone', 'join']],
  [ServedQueue, QUEUE],
  [ServedLock, LOCK],
  [ServedRLock, LOCK],
  [ServedSemaphore, SEMAPHORE],
  [ServedEvent, EVENT],
  [ServedCondition, CONDITION],
  [ServedBarrier, BARRIER],
  [Lock, LOCK],
  [RLock, LOCK],
  [BoundedSemaphore, [...SEMAPHORE, 'bound']],
  [Semaphore, SEMAPHORE],
  [Condition, CONDITION],
  [Event, EVENT],
  [Barrier, BARRIER],
  [Queue, [...QUEUE, 'close', 'taskDone', 'join', 'maxsize', 'closed']],
  [RawValue, ['value', 'get', 'set', 'maxBytes']],
  [RawSharedArray, ['get', 'set', 'length', 'toArray']],
].map(([type, names]) => [type as AnyClass, new Set(names as readonly string[])] as const);

/**
 * Never callable on any object: the codec's handle protocol, the Lock-to-Condition protocol (it
 * would release a lock its caller does not hold) and what makes an object awaitable.
 */
const INTERNAL = new Set([
  'constructor',
  'toHandle',
  'fromHandle',
  'releaseForWait',
  'restoreAfterWait',
  'restoreAfterWaitSync',
  'isOwnedByCurrentThread',
  'then',
]);

/** Per prototype: the exposed list of its built-in type, or null for "public methods and getters". */
const listByPrototype = new WeakMap<object, ReadonlySet<string> | null>();

function exposedList(target: object): ReadonlySet<string> | null {
  const prototype = Object.getPrototypeOf(target) as object | null;
  if (prototype === null) return null;
  let list = listByPrototype.get(prototype);
  if (list === undefined) {
    list = EXPOSED.find(([type]) => target instanceof type)?.[1] ?? null;
    listByPrototype.set(prototype, list);
  }
  return list;
}

/**
 * Whether `name` is a method or a getter (not a data field) of `target`: an own function-valued
 * property (a plain object's method), or a function or accessor of its class chain below
 * Object.prototype.
 */
function isMethodOrGetter(target: object, name: string): boolean {
  const own = Object.getOwnPropertyDescriptor(target, name);
  if (own !== undefined) return typeof own.value === 'function';
  for (
    let prototype = Object.getPrototypeOf(target) as object | null;
    prototype !== null && prototype !== Object.prototype;
    prototype = Object.getPrototypeOf(prototype) as object | null
  ) {
    const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
    if (descriptor !== undefined)
      return typeof descriptor.value === 'function' || descriptor.get !== undefined;
  }
  return false;
}

/** Per prototype, the answer for names that are not own properties: calls repeat the same few names. */
const answerByPrototype = new WeakMap<object, Map<string, boolean>>();

/** Whether a client may call (or read, for a getter) `name` on `target`. */
export function isExposed(target: object, name: string): boolean {
  const prototype = Object.getPrototypeOf(target) as object | null;
  const cacheable = prototype !== null && !Object.hasOwn(target, name);
  let answers: Map<string, boolean> | undefined;
  if (cacheable) {
    answers = answerByPrototype.get(prototype);
    const known = answers?.get(name);
    if (known !== undefined) return known;
  }
  const list = exposedList(target);
  const exposed = (list !== null ? list.has(name) : !INTERNAL.has(name)) && isMethodOrGetter(target, name);
  if (cacheable) {
    if (answers === undefined) {
      answers = new Map();
      answerByPrototype.set(prototype, answers);
    }
    // Bounded: a client naming endless methods must not grow the cache without end.
    if (answers.size < 256) answers.set(name, exposed);
  }
  return exposed;
}
