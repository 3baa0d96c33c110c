import { BroadcastChannel, receiveMessageOnPort, threadId } from 'node:worker_threads';
import { DecodeError } from './errors.js';
import { sharedState } from './shared-state.js';

/*
 * The process-wide directory of SharedArrayBuffers that travel by reference.
 *
 * A buffer's id is (a, b, n): a and b are 32 random bits each, drawn once per thread (so ids from two
 * processes or two threads never collide, even when bytes cross a network), n counts the buffers that
 * thread published. The first time a thread encodes a buffer it has no id for, it publishes
 * [a, b, n, buffer] on the BroadcastChannel 'weft:buffers', which every thread running the codec opened
 * when the codec loaded. Node delivers a BroadcastChannel message into each receiver's queue at post time,
 * so a decoding thread that misses an id drains its own queue synchronously (receiveMessageOnPort) and
 * finds it, even when it is busy or blocked and its event loop never ran the listener.
 *
 * A thread that opened its channel after the publish never got the message. It then asks on
 * 'weft:buffers-request' with [a, b, n, signal]: every thread that knows the buffer republishes it on
 * 'weft:buffers' and bumps the Int32 word in `signal` (a 4-byte SharedArrayBuffer); the asking thread waits
 * on that word (bounded, REQUEST_TIMEOUT_MS) between drains. Only threads whose event loop is free answer,
 * so a thread that creates workers should seed them with bufferSnapshot() / adoptBuffers().
 *
 * Memory: every thread keeps every buffer it has seen in `byKey` for the life of the thread, because bytes
 * naming it may still sit in a queue or a pipe while no object refers to it. Buffers are small (a lock is
 * a few words), but a program that creates millions of primitives keeps them all.
 */

/** How long decode waits for another thread to answer for an unknown buffer. */
export const REQUEST_TIMEOUT_MS = 5_000;

export interface BufferId {
  readonly a: number;
  readonly b: number;
  readonly n: number;
}

type Announcement = [a: number, b: number, n: number, buffer: SharedArrayBuffer];

interface Directory {
  readonly a: number;
  readonly b: number;
  counter: number;
  readonly idOf: WeakMap<SharedArrayBuffer, BufferId>;
  readonly byKey: Map<string, SharedArrayBuffer>;
  readonly channel: BroadcastChannel;
  readonly requests: BroadcastChannel;
}

export const BUFFERS_CHANNEL = 'weft:buffers';
export const REQUESTS_CHANNEL = 'weft:buffers-request';

function keyOf(a: number, b: number, n: number): string {
  return `${a}:${b}:${n}`;
}

function isAnnouncement(message: unknown): message is Announcement {
  return (
    Array.isArray(message) &&
    message.length === 4 &&
    typeof message[0] === 'number' &&
    typeof message[1] === 'number' &&
    typeof message[2] === 'number' &&
    message[3] instanceof SharedArrayBuffer
  );
}

function learn(directory: Directory, message: unknown): void {
  if (!isAnnouncement(message)) return;
  const [a, b, n, buffer] = message;
  const key = keyOf(a, b, n);
  if (!directory.byKey.has(key)) directory.byKey.set(key, buffer);
  // Keep the first id a buffer was known under, so that re-sending it names the same id.
  const known = directory.byKey.get(key)!;
  if (!directory.idOf.has(known)) directory.idOf.set(known, { a, b, n });
}

function drain(directory: Directory): void {
  for (;;) {
    const received = receiveMessageOnPort(directory.channel as never) as { message: unknown } | undefined;
    if (received === undefined) return;
    learn(directory, received.message);
  }
}

/**
 * 32 bits that differ between threads and processes. Math.random (seeded per isolate from the OS) mixed
 * with the pid, the thread id and the clock: `crypto.getRandomValues` would do, but loading Web Crypto
 * costs a new worker about 5 ms, a tenth of its start-up, and the ids need no secrecy.
 */
function randomWord(mix: number): number {
  return ((Math.random() * 0x1_0000_0000) ^ Math.imul(mix, 0x9e37_79b1) ^ Date.now()) >>> 0;
}

function openDirectory(): Directory {
  const random = [randomWord(process.pid), randomWord(threadId + 1)];
  const channel = new BroadcastChannel(BUFFERS_CHANNEL);
  const requests = new BroadcastChannel(REQUESTS_CHANNEL);
  const directory: Directory = {
    a: random[0]!,
    b: random[1]!,
    counter: 0,
    idOf: new WeakMap(),
    byKey: new Map(),
    channel,
    requests,
  };
  channel.onmessage = (event) => learn(directory, (event as unknown as { data: unknown }).data);
  requests.onmessage = (event) => answer(directory, (event as unknown as { data: unknown }).data);
  // The channels serve other threads while this one is idle; they must never keep it alive.
  channel.unref();
  requests.unref();
  return directory;
}

function answer(directory: Directory, message: unknown): void {
  if (!Array.isArray(message) || message.length !== 4 || !(message[3] instanceof SharedArrayBuffer)) return;
  const [a, b, n, signalBuffer] = message as [number, number, number, SharedArrayBuffer];
  const buffer = directory.byKey.get(keyOf(a, b, n));
  if (buffer === undefined || signalBuffer.byteLength < 4) return;
  directory.channel.postMessage([a, b, n, buffer] satisfies Announcement);
  const signal = new Int32Array(signalBuffer, 0, 1);
  // Changed before notify: the waiter re-checks the word, and its queue already holds the answer.
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

/** This thread's directory, opened on first use (the codec's index opens it at load). */
export function directory(): Directory {
  const state = sharedState();
  if (state.directory === undefined) state.directory = openDirectory();
  return state.directory as Directory;
}

/** The id of `buffer`, publishing it to every thread the first time this thread meets it. */
export function idOfBuffer(buffer: SharedArrayBuffer): BufferId {
  const dir = directory();
  const known = dir.idOf.get(buffer);
  if (known !== undefined) return known;
  const id: BufferId = { a: dir.a, b: dir.b, n: ++dir.counter };
  dir.idOf.set(buffer, id);
  dir.byKey.set(keyOf(id.a, id.b, id.n), buffer);
  dir.channel.postMessage([id.a, id.b, id.n, buffer] satisfies Announcement);
  return id;
}

/**
 * The buffer published under (a, b, n): from this thread's cache, else from its channel's queue, else by
 * asking the other threads and waiting up to REQUEST_TIMEOUT_MS.
 *
 * @throws DecodeError if no thread answers in time.
 */
export function bufferById(
  a: number,
  b: number,
  n: number,
  timeoutMs = REQUEST_TIMEOUT_MS,
): SharedArrayBuffer {
  const dir = directory();
  const key = keyOf(a, b, n);
  let buffer = dir.byKey.get(key);
  if (buffer !== undefined) return buffer;
  drain(dir);
  buffer = dir.byKey.get(key);
  if (buffer !== undefined) return buffer;
  if (timeoutMs > 0) {
    const signal = new Int32Array(new SharedArrayBuffer(4));
    dir.requests.postMessage([a, b, n, signal.buffer]);
    const deadline = performance.now() + timeoutMs;
    let seen = 0;
    for (;;) {
      drain(dir);
      buffer = dir.byKey.get(key);
      if (buffer !== undefined) return buffer;
      const remaining = deadline - performance.now();
      if (remaining <= 0) break;
      // Short slices: an answer's notify could in principle land between the drain and the wait.
      Atomics.wait(signal, 0, seen, Math.min(remaining, 50));
      seen = Atomics.load(signal, 0);
    }
  }
  throw new DecodeError(
    `SharedArrayBuffer ${key} is not known in this thread and no thread answered within ${timeoutMs} ms: ` +
      'it was published before this thread started and its owner is busy or gone; ' +
      'pass bufferSnapshot() in workerData and call adoptBuffers() in the worker',
  );
}

/** What bufferSnapshot returns: every SharedArrayBuffer this thread knows, with its id. */
export interface BufferSnapshot {
  readonly weftBuffers: 1;
  readonly entries: readonly Announcement[];
}

/**
 * Returns every SharedArrayBuffer this thread has published or received, with its id, in a form that
 * `postMessage` and `workerData` carry (the buffers are shared, not copied).
 * Pass it to a new worker and call `adoptBuffers` there, so that handles published before the worker
 * started decode at once instead of asking other threads.
 */
export function bufferSnapshot(): BufferSnapshot {
  const dir = directory();
  drain(dir);
  const entries: Announcement[] = [];
  for (const [key, buffer] of dir.byKey) {
    const [a, b, n] = key.split(':').map(Number) as [number, number, number];
    entries.push([a, b, n, buffer]);
  }
  return { weftBuffers: 1, entries };
}

/**
 * Adds the buffers of a snapshot taken by `bufferSnapshot` (in this or another thread) to this thread's
 * directory.
 *
 * @throws TypeError if `snapshot` is not a snapshot.
 */
export function adoptBuffers(snapshot: unknown): void {
  const entries = (snapshot as BufferSnapshot | null)?.entries;
  if ((snapshot as BufferSnapshot | null)?.weftBuffers !== 1 || !Array.isArray(entries)) {
    throw new TypeError('adoptBuffers expects the value bufferSnapshot() returned');
  }
  const dir = directory();
  for (const entry of entries) learn(dir, entry);
}

// Open at load: a thread hears the buffers other threads publish only from the moment its channel exists.
directory();
