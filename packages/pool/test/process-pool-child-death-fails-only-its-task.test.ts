import { Pool, WorkerCrashedError } from '@weft/pool';
import { describe, expect, it } from 'vitest';
import { dieNow, doubleAfter } from './fixtures/process-pool-tasks.mjs';

/** Settles every promise; returns the values and the errors, in order. */
async function outcomes(promises: Promise<unknown>[]): Promise<unknown[]> {
  return (await Promise.allSettled(promises)).map((r) => (r.status === 'fulfilled' ? r.value : r.reason));
}

describe('when a process-pool child dies, only the task it was running fails', () => {
  it('49 tasks batched around a task that kills its child: 48 results, 1 WorkerCrashedError', async () => {
    await using pool = new Pool(1, { context: 'process' });
    // warm up: the child's window grows to hundreds of tiny tasks, so the next ones are batched to it
    await pool.map(
      doubleAfter as (x: number) => number,
      Array.from({ length: 300 }, (_, i) => i),
      1,
    );
    const submitted: Promise<unknown>[] = [];
    for (let i = 0; i < 49; i++) {
      submitted.push(i === 20 ? pool.apply(dieNow, []) : pool.apply(doubleAfter, [i, 0]));
    }
    const got = await outcomes(submitted);
    const crashed = got.filter((x) => x instanceof WorkerCrashedError);
    expect(crashed).toHaveLength(1);
    expect(got[20]).toBeInstanceOf(WorkerCrashedError);
    expect(got.filter((x, i) => i !== 20 && x !== i * 2)).toEqual([]);
  });

  it('130 tasks, every 10th kills its child, maxtasksperchild 3: exactly the 13 killers fail', async () => {
    await using pool = new Pool(2, { context: 'process', maxtasksperchild: 3 });
    const submitted: Promise<unknown>[] = [];
    for (let i = 0; i < 130; i++) {
      submitted.push(i % 10 === 9 ? pool.apply(dieNow, []) : pool.apply(doubleAfter, [i, 1]));
    }
    const got = await outcomes(submitted);
    const failedAt = got.flatMap((x, i) => (x instanceof WorkerCrashedError ? [i] : []));
    expect(failedAt).toEqual(Array.from({ length: 13 }, (_, k) => k * 10 + 9));
    expect(got.filter((x, i) => i % 10 !== 9 && x !== i * 2)).toEqual([]);
  });

  it('tasks of a map chunked around a killer are not lost either', async () => {
    await using pool = new Pool(2, { context: 'process' });
    await pool.map(
      doubleAfter as (x: number) => number,
      Array.from({ length: 300 }, (_, i) => i),
      1,
    );
    const chunks = Array.from({ length: 40 }, (_, i) =>
      i === 7 ? pool.apply(dieNow, []) : pool.map(doubleAfter as (x: number) => number, [i, i + 1], 1),
    );
    const got = await outcomes(chunks);
    expect(got.filter((x) => x instanceof WorkerCrashedError)).toHaveLength(1);
    expect(got[7]).toBeInstanceOf(WorkerCrashedError);
    expect(
      got.filter((x, i) => i !== 7 && JSON.stringify(x) !== JSON.stringify([i * 2, (i + 1) * 2])),
    ).toEqual([]);
  });
});
