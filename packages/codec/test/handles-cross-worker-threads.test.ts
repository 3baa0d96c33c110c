import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { bufferSnapshot, DecodeError, decode, encode, isHandleKindRegistered } from '@weft/codec';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM fixture without types
import { COUNTER_KIND, Counter } from './fixtures/counter-kind.mjs';

interface CounterLike {
  add(n?: number): number;
  readonly value: number;
  readonly buffer: SharedArrayBuffer;
}
const NewCounter = Counter as new (buffer?: SharedArrayBuffer) => CounterLike;

const workerUrl = new URL('./fixtures/handle-worker.mjs', import.meta.url);
const workers: Worker[] = [];

function startWorker(workerData: unknown = {}): Worker {
  const worker = new Worker(workerUrl, { workerData });
  workers.push(worker);
  return worker;
}

async function ask<T>(worker: Worker, message: unknown): Promise<T> {
  const reply = once(worker, 'message');
  worker.postMessage(message);
  const [answer] = (await reply) as [T];
  return answer;
}

afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.terminate()));
});

describe('handles across worker threads', () => {
  it('a handle decodes in a worker over the same memory, which the worker mutates', async () => {
    const worker = startWorker({ importCounter: true });
    await ask(worker, { op: 'echo', bytes: encode(1) }); // the worker is up and its channel open
    const counter = new NewCounter();
    counter.add(5);
    const reply = await ask<{ value: number; className: string }>(worker, {
      op: 'add',
      bytes: encode({ counter, times: 1000 }),
    });
    expect(reply.className).toBe('Counter');
    expect(reply.value).toBe(1005);
    expect(counter.value).toBe(1005);
  });

  it('a worker started after the buffer was published gets it by asking', async () => {
    const counter = new NewCounter();
    const bytes = encode({ counter, times: 10 }); // published now, before the worker exists
    const worker = startWorker({ importCounter: true });
    const reply = await ask<{ value: number }>(worker, { op: 'add', bytes });
    expect(reply.value).toBe(10);
    expect(counter.value).toBe(10);
  });

  it('a worker seeded with bufferSnapshot decodes while its creator is blocked', () => {
    const counter = new NewCounter();
    counter.add(1);
    const bytes = encode({ counter, times: 41 });
    const signal = new Int32Array(new SharedArrayBuffer(8));
    startWorker({ importCounter: true, snapshot: bufferSnapshot(), bytes, signal: signal.buffer });
    // Blocked: this thread cannot answer a request, so only the snapshot can make the decode succeed.
    const deadline = Date.now() + 55_000;
    while (Atomics.load(signal, 0) === 0 && Date.now() < deadline) Atomics.wait(signal, 0, 0, 1000);
    expect(Atomics.load(signal, 0)).toBe(1);
    expect(Atomics.load(signal, 1)).toBe(42);
    expect(counter.value).toBe(42);
  });

  it('a handle made in a worker decodes here over the worker memory', async () => {
    const worker = startWorker({ importCounter: true });
    const { bytes } = await ask<{ bytes: Uint8Array }>(worker, { op: 'make', start: 7 });
    const { counter } = decode(bytes) as { counter: CounterLike };
    expect(counter).toBeInstanceOf(NewCounter);
    expect(counter.value).toBe(7);
    counter.add(3);
    const reply = await ask<{ value: number }>(worker, { op: 'add', bytes: encode({ counter, times: 0 }) });
    expect(reply.value).toBe(10);
  });

  it('a worker that never imported the kind loads it from the kind name', async () => {
    const worker = startWorker();
    const counter = new NewCounter();
    const reply = await ask<{ value: number; className: string }>(worker, {
      op: 'add',
      bytes: encode({ counter, times: 3 }),
    });
    expect(reply.className).toBe('Counter');
    expect(counter.value).toBe(3);
  });

  it('the same handle and buffer twice in one value decode to one object', async () => {
    const counter = new NewCounter();
    const decoded = decode(encode({ a: counter, b: counter, raw: counter.buffer })) as {
      a: CounterLike;
      b: CounterLike;
      raw: SharedArrayBuffer;
    };
    expect(decoded.a).toBe(decoded.b);
    expect(decoded.a.buffer).toBe(decoded.raw);
    const worker = startWorker();
    const reply = await ask<{ bytes: Uint8Array }>(worker, {
      op: 'echo',
      bytes: encode({ a: counter, b: counter, raw: counter.buffer }),
    });
    const back = decode(reply.bytes) as { a: CounterLike; b: CounterLike; raw: SharedArrayBuffer };
    expect(back.a).toBe(back.b);
    back.a.add(2);
    expect(counter.value).toBe(2);
    // Re-sent from the worker under the id it received: this thread maps it to its own buffer.
    expect(back.raw).toBe(counter.buffer);
  });

  it('plain SharedArrayBuffers and views over them travel by reference', async () => {
    const shared = new SharedArrayBuffer(16);
    const view = new Int32Array(shared, 4, 2);
    const worker = startWorker();
    const reply = await ask<{ bytes: Uint8Array }>(worker, { op: 'echo', bytes: encode({ shared, view }) });
    const back = decode(reply.bytes) as { shared: SharedArrayBuffer; view: Int32Array };
    expect(back.shared).toBe(shared);
    expect(back.view.byteOffset).toBe(4);
    back.view[1] = 99;
    expect(new Int32Array(shared)[2]).toBe(99);
  });

  it('a kind no module registers fails with the kind and the import to add', async () => {
    expect(isHandleKindRegistered(COUNTER_KIND)).toBe(true);
    // Forge bytes naming a kind from a package that does not exist.
    const bytes = encode(new NewCounter());
    const text = new TextDecoder().decode(bytes);
    const start = text.indexOf(COUNTER_KIND);
    expect(start).toBeGreaterThan(0);
    const fake = '@weft/no-such-package#Thing'.padEnd(COUNTER_KIND.length, 'x');
    const patched = new Uint8Array(bytes);
    patched.set(new TextEncoder().encode(fake), start);
    const worker = startWorker();
    const reply = await ask<{ error: { name: string; message: string } }>(worker, {
      op: 'decode-error',
      bytes: patched,
    });
    expect(reply.error.name).toBe('DecodeError');
    expect(reply.error.message).toContain(fake);
    expect(reply.error.message).toContain("import '@weft/no-such-package'");
    expect(() => decode(patched)).toThrow(DecodeError);
  });

  it('importKinds: false never imports a package named by the bytes', async () => {
    const worker = startWorker();
    const bytes = encode({ counter: new NewCounter(), times: 1 });
    const reply = await ask<{ error: { name: string; message: string } | null }>(worker, {
      op: 'decode-error',
      bytes,
      options: { importKinds: false },
    });
    expect(reply.error?.name).toBe('DecodeError');
    expect(reply.error?.message).toContain('importKinds: false');
    // The same bytes decode once the kind is allowed to load.
    const allowed = await ask<{ error: unknown }>(worker, { op: 'decode-error', bytes });
    expect(allowed.error).toBeNull();
  });

  it('a buffer no thread knows fails with a clear error instead of hanging', () => {
    const bytes = encode(new SharedArrayBuffer(8));
    // Change the random part of the id: no thread ever published that one.
    bytes[1] = (bytes[1]! + 1) & 0xff;
    const started = Date.now();
    expect(() => decode(bytes)).toThrow(/SharedArrayBuffer .* is not known in this thread/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
  });
});
