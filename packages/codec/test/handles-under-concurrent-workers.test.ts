import { once } from 'node:events';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import * as codec from '@weft/codec';
import { decode, encode } from '@weft/codec';
import { afterEach, describe, expect, it } from 'vitest';

interface CounterLike {
  add(n?: number): number;
  readonly value: number;
}

const workerUrl = new URL('./fixtures/handle-worker.mjs', import.meta.url);
const workers: Worker[] = [];

async function ask<T>(worker: Worker, message: unknown): Promise<T> {
  const reply = once(worker, 'message');
  worker.postMessage(message);
  const [answer] = (await reply) as [T];
  return answer;
}

afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.terminate()));
});

describe('handles under concurrent workers', () => {
  it('counters made in four workers, sent to all of them at once, add up exactly', async () => {
    const early = [0, 1].map(() => new Worker(workerUrl, { workerData: { importCounter: true } }));
    workers.push(...early);
    const made: Uint8Array[] = [];
    for (const worker of early)
      made.push((await ask<{ bytes: Uint8Array }>(worker, { op: 'make', start: 0 })).bytes);
    // Two more workers start after those counters were published: they must ask for the buffers.
    const late = [0, 1].map(() => new Worker(workerUrl));
    workers.push(...late);
    const all = [...early, ...late];
    const counters = made.map((bytes) => (decode(bytes) as { counter: CounterLike }).counter);
    const times = 2000;
    const bytes = encode({ counters, times });
    await Promise.all(all.map((worker) => ask(worker, { op: 'add-all', bytes })));
    for (const counter of counters) expect(counter.value).toBe(times * all.length);
  });

  it('the ESM and the CJS build in one thread share one registry and one buffer directory', () => {
    const cjs = createRequire(import.meta.url)('@weft/codec') as typeof codec;
    expect(cjs.decode).not.toBe(codec.decode); // really two copies
    class Probe {
      constructor(readonly buffer: SharedArrayBuffer) {}
    }
    cjs.registerHandleKind({
      name: 'probe-from-cjs#Probe',
      type: Probe,
      toHandle: (probe) => ({ buffer: probe.buffer }),
      fromHandle: (state: { buffer: SharedArrayBuffer }) => new Probe(state.buffer),
    });
    expect(codec.isHandleKindRegistered('probe-from-cjs#Probe')).toBe(true);
    const probe = new Probe(new SharedArrayBuffer(4));
    const decoded = codec.decode(cjs.encode({ probe })) as { probe: Probe };
    expect(decoded.probe).toBeInstanceOf(Probe);
    expect(decoded.probe.buffer).toBe(probe.buffer);
  });
});
