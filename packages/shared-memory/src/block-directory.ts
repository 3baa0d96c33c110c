/**
 * The process-wide directory of named SharedMemory blocks: how `SharedMemory.attach(name)` finds, in
 * any worker, the SharedArrayBuffer that another thread created under that name.
 *
 * Node has no named shared memory between threads, so every thread that loads this package keeps its
 * own map name -> SharedArrayBuffer, kept in step by one BroadcastChannel:
 * - creating a block announces it ('created'); unlinking announces that ('unlinked');
 * - a thread reads the channel synchronously (`receiveMessageOnPort`) before every lookup, so an
 *   announcement posted before the lookup is always seen, even while the event loop is busy;
 * - a worker started later inherits its parent's map through `setEnvironmentData` (Node copies it
 *   into each new Worker), since a BroadcastChannel only delivers to channels open when it posts;
 * - failing all that (a sibling created the block before this worker was started), the lookup asks
 *   ('wanted'): any thread that knows the name re-announces it and wakes the asker through a shared
 *   word. That needs some knowing thread's event loop to turn, so the ask has a timeout.
 */

import {
  BroadcastChannel,
  getEnvironmentData,
  receiveMessageOnPort,
  setEnvironmentData,
} from 'node:worker_threads';
import { wait } from '@weft/atomics-sync-shim';
import { FileExistsError, FileNotFoundError } from './errors.js';

const CHANNEL_NAME = 'weft:shared-memory:directory';
const ENVIRONMENT_KEY = 'weft:shared-memory:blocks';

type Announcement =
  | { type: 'created'; name: string; buffer: SharedArrayBuffer }
  | { type: 'unlinked'; name: string }
  | { type: 'wanted'; name: string; reply: SharedArrayBuffer };

function inherited(): Map<string, SharedArrayBuffer> {
  const data = getEnvironmentData(ENVIRONMENT_KEY);
  return data instanceof Map ? new Map(data as Map<string, SharedArrayBuffer>) : new Map();
}

const blocks = inherited();
let channel: BroadcastChannel | undefined;

function openChannel(): BroadcastChannel {
  if (channel === undefined) {
    channel = new BroadcastChannel(CHANNEL_NAME);
    channel.onmessage = (event) => apply((event as unknown as { data: Announcement }).data);
    // The directory must never keep a thread alive.
    (channel as unknown as { unref(): void }).unref();
  }
  return channel;
}

function publishToChildren(): void {
  setEnvironmentData(ENVIRONMENT_KEY, blocks);
}

function apply(message: Announcement): void {
  if (message.type === 'created') {
    blocks.set(message.name, message.buffer);
    publishToChildren();
  } else if (message.type === 'unlinked') {
    if (blocks.delete(message.name)) publishToChildren();
  } else if (message.type === 'wanted') {
    const buffer = blocks.get(message.name);
    if (buffer === undefined) return;
    openChannel().postMessage({ type: 'created', name: message.name, buffer } satisfies Announcement);
    const reply = new Int32Array(message.reply);
    Atomics.store(reply, 0, 1);
    Atomics.notify(reply, 0);
  }
}

/** Applies every announcement already posted, without waiting for the event loop. */
function catchUp(): void {
  const port = openChannel() as unknown as Parameters<typeof receiveMessageOnPort>[0];
  for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port)) {
    apply(message.message as Announcement);
  }
}

/** Records a new block under `name` for every thread. @throws FileExistsError if the name is taken. */
export function registerBlock(name: string, buffer: SharedArrayBuffer): void {
  catchUp();
  if (blocks.has(name)) throw new FileExistsError(name);
  blocks.set(name, buffer);
  publishToChildren();
  openChannel().postMessage({ type: 'created', name, buffer } satisfies Announcement);
}

/** Removes `name` for every thread (blocks already attached stay usable). */
export function unregisterBlock(name: string): void {
  catchUp();
  blocks.delete(name);
  publishToChildren();
  openChannel().postMessage({ type: 'unlinked', name } satisfies Announcement);
}

/** Whether `name` is known here without asking other threads. */
export function hasBlock(name: string): boolean {
  catchUp();
  return blocks.has(name);
}

/**
 * The buffer registered as `name`, from any thread.
 * @throws FileNotFoundError if no thread answers for it within `timeoutMs`.
 */
export function findBlock(name: string, timeoutMs: number): SharedArrayBuffer {
  catchUp();
  const known = blocks.get(name);
  if (known !== undefined) return known;
  const reply = new Int32Array(new SharedArrayBuffer(4));
  openChannel().postMessage({
    type: 'wanted',
    name,
    reply: reply.buffer as SharedArrayBuffer,
  } satisfies Announcement);
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const left = deadline - performance.now();
    if (left <= 0) break;
    wait(reply, 0, 0, Math.min(left, 20));
    catchUp();
    const found = blocks.get(name);
    if (found !== undefined) return found;
  }
  throw new FileNotFoundError(
    name,
    ` (no thread of this program answered within ${timeoutMs} ms: it was never created, was unlinked, or every thread that knows it is blocked)`,
  );
}
