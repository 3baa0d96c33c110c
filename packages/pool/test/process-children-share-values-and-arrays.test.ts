import { Process } from '@weft/pool';
import { RawSharedArray, RawValue, SharedArray, Value } from '@weft/shared-memory';
import { describe, expect, it } from 'vitest';
import {
  incrementArrayUnderItsLock,
  incrementValue,
  incrementValueUnderItsLock,
  reportEachItem,
  updateArray,
  useWhatArrives,
} from './fixtures/child-primitives.mjs';
import { reportTo } from './fixtures/processes.mjs';

/** Starts every child, waits for all (bounded: a hang fails here), and expects each to end with 0. */
async function runChildren(children: Process[]): Promise<void> {
  for (const child of children) child.start();
  const deadline = Date.now() + 45_000;
  for (const child of children) await child.join(Math.max(0, deadline - Date.now()));
  const hung = children.filter((child) => child.exitCode === null);
  for (const child of hung) child.kill();
  expect(hung.map(String)).toEqual([]);
  expect(children.map((child) => child.exitCode)).toEqual(children.map(() => 0));
}

function child<A extends unknown[]>(target: (...args: A) => unknown, ...args: A): Process {
  return new Process({ target: target as (...args: unknown[]) => unknown, args, context: 'process' });
}

describe("a parent's Value and SharedArray in a child process are the parent's own, never a copy", () => {
  it('RawValue and Value: 50 `v.value = v.value + 1` in a child are seen by the parent', async () => {
    for (const v of [new RawValue('i', 0), new Value('i', 0), new Value('d', 0.5)]) {
      await runChildren([child(incrementValue, v, 50)]);
      expect(v.value).toBe(v.typecode === 'd' ? 50.5 : 50);
    }
  });

  it('a Value(str) reads and writes the same text', async () => {
    const v = new Value('str', '', { maxBytes: 64 });
    await runChildren([child(incrementValue, v, 3)]);
    // '' + 1 + 1 + 1, as in a thread
    expect(v.value).toBe('111');
  });

  it('two children and the parent increment one Value under its getLock()', async () => {
    const v = new Value('i', 0);
    const children = runChildren([
      child(incrementValueUnderItsLock, v, 40),
      child(incrementValueUnderItsLock, v, 40),
    ]);
    for (let i = 0; i < 40; i++) {
      await v.getLock().acquire();
      v.value = (v.value as number) + 1;
      v.getLock().release();
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await children;
    expect(v.value).toBe(120);
    expect(v.getLock().locked()).toBe(false);
  });

  it('a process pool: two tasks at once increment one Value under its lock', async () => {
    const { Pool } = await import('@weft/pool');
    const v = new Value('i', 0);
    await using pool = new Pool(2, { context: 'process' });
    await Promise.all([
      pool.apply(incrementValueUnderItsLock, [v, 30]),
      pool.apply(incrementValueUnderItsLock, [v, 30]),
    ]);
    expect(v.value).toBe(60);
  });

  it("SharedArray and RawSharedArray: `.array[i]` and get/set reach the parent's memory", async () => {
    for (const arr of [new SharedArray('i', [10, 20, 30]), new RawSharedArray('d', [1, 2, 3])]) {
      const before = arr.toArray();
      await runChildren([child(updateArray, arr)]);
      expect(arr.toArray()).toEqual(before.map((x, i) => (x + i + 1) * 2));
    }
  });

  it('two children increment one SharedArray element under its lock', async () => {
    const arr = new SharedArray('i', 4);
    await runChildren([
      child(incrementArrayUnderItsLock, arr, 40),
      child(incrementArrayUnderItsLock, arr, 40),
    ]);
    expect(arr.toArray()).toEqual([80, 0, 0, 0]);
  });
});

describe('raw shared memory in a child process’s args fails at start(), naming it and the alternative', () => {
  it('a SharedArrayBuffer, a typed array over one, or a SharedMemory block: DataCloneError at once', async () => {
    const { SharedMemory } = await import('@weft/shared-memory');
    const block = new SharedMemory({ size: 16 });
    try {
      const cases: [unknown[], RegExp][] = [
        [[new SharedArrayBuffer(8)], /^args\[0\] is a SharedArrayBuffer: .*Value or SharedArray/],
        [
          [1, { view: new Int32Array(new SharedArrayBuffer(8)) }],
          /^args\[1\]\.view is a Int32Array over a SharedArrayBuffer/,
        ],
        [[[block]], /^args\[0\]\[0\] is a SharedMemory block: .*SharedArray/],
      ];
      for (const [args, message] of cases) {
        const p = new Process({ target: incrementValue as never, args: args as never, context: 'process' });
        let thrown: unknown;
        try {
          p.start();
        } catch (error) {
          thrown = error;
        }
        expect((thrown as Error)?.name).toBe('DataCloneError');
        expect((thrown as Error).message).toMatch(message);
        expect(p.isAlive()).toBe(false);
        expect(p.pid).toBeUndefined();
      }
    } finally {
      block.close();
      block.unlink();
    }
  });

  it('in the thread context the same memory is shared as before', async () => {
    const view = new Int32Array(new SharedArrayBuffer(8));
    const p = new Process({ target: reportTo, args: [view, 1] });
    p.start();
    await p.join(30_000);
    expect(p.exitCode).toBe(0);
    expect(view[1]).toBe(process.pid);
  });
});

describe('a Value that reaches a child through a Queue, a Pipe or a manager dict is the parent’s too', () => {
  it('each arrives as a proxy of the same memory: the increments are seen by the parent', async () => {
    const { Queue } = await import('@weft/queue');
    const { Pipe } = await import('@weft/pipe');
    const { Lock } = await import('@weft/lock');
    const { Manager } = await import('@weft/manager');
    await using manager = await Manager.start();
    const [fromQueue, fromPipe, fromDict] = [new RawValue('i', 10), new Value('i', 20), new Value('d', 0.5)];
    const queue = new Queue<unknown>();
    const [parentEnd, childEnd] = Pipe();
    const dict = await manager.dict();
    await dict.set('v', fromDict);
    const lock = new Lock();
    queue.putSync([fromQueue, lock]);
    parentEnd.send(fromPipe);
    await runChildren([child(useWhatArrives, queue, childEnd, dict)]);
    expect([fromQueue.value, fromPipe.value, fromDict.value]).toEqual([11, 21, 1.5]);
    expect(lock.locked()).toBe(false);
  });
});

describe('raw shared memory that reaches a child through a Queue fails that get(), naming it', () => {
  it('a typed array over a SharedArrayBuffer, a SharedMemory block: DataCloneError; the child and the queue go on', async () => {
    const { Queue } = await import('@weft/queue');
    const { SharedMemory } = await import('@weft/shared-memory');
    const block = new SharedMemory({ size: 16 });
    try {
      const queue = new Queue<unknown>();
      const out = new Queue<string[]>();
      queue.putSync(new Int32Array(new SharedArrayBuffer(8)));
      queue.putSync(block);
      queue.putSync('plain');
      await runChildren([child(reportEachItem, queue, 3, out)]);
      const report = await out.get({ timeout: 1000 });
      expect(report[0]).toMatch(
        /^DataCloneError: the result is a Int32Array over a SharedArrayBuffer: .*SharedArray or Value/,
      );
      expect(report[1]).toMatch(/^DataCloneError: the result is a SharedMemory block: .*SharedArray/);
      expect(report[2]).toBe('plain');
    } finally {
      block.close();
      block.unlink();
    }
  });
});
