import { Pipe } from '@weft/pipe';
import { Pool } from '@weft/pool';
import { describe, expect, it } from 'vitest';
import { sendEach } from './fixtures/child-primitives.mjs';
import { doubleAfter } from './fixtures/process-pool-tasks.mjs';

describe("a process pool's tasks: pipe ends are the task's copies; raw shared memory fails at once", () => {
  it('the caller closes its copy right after submitting; the task sends and closes; the peer gets EOFError', async () => {
    await using pool = new Pool(1, { context: 'process' });
    const [parentEnd, childEnd] = Pipe();
    const done = pool.apply(sendEach, [childEnd, [1, 2, 3]]);
    childEnd.close();
    const got: unknown[] = [];
    for (;;) {
      try {
        got.push(await parentEnd.recv({ timeout: 30_000 }));
      } catch (error) {
        expect((error as Error).name).toBe('EOFError');
        break;
      }
    }
    expect(got).toEqual([1, 2, 3]);
    await done;
  });

  it('a task that does not close its end: the end closes when the task settles', async () => {
    await using pool = new Pool(1, { context: 'process' });
    const [parentEnd, childEnd] = Pipe();
    await pool.apply(sendEach, [childEnd, ['x'], false]);
    childEnd.close();
    expect(await parentEnd.recv({ timeout: 30_000 })).toBe('x');
    const error = (await parentEnd.recv({ timeout: 30_000 }).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('EOFError');
  });

  it('a SharedArrayBuffer in a task’s args: DataCloneError before anything is queued', async () => {
    await using pool = new Pool(1, { context: 'process' });
    const sab = new SharedArrayBuffer(8);
    const error = (await pool.apply(doubleAfter, [sab as never, 0]).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('DataCloneError');
    expect(error.message).toMatch(
      /^args\[0\] is a SharedArrayBuffer: shared memory cannot reach a child process/,
    );
    expect(() => pool.applyAsync(doubleAfter, [1, new Int8Array(sab) as never])).toThrow(
      /args\[1\] is a Int8Array over a SharedArrayBuffer/,
    );
    expect(await pool.apply(doubleAfter, [21, 0])).toBe(42);
  });
});
