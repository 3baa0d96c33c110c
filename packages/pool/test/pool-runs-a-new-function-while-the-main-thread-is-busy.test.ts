import { FunctionNotShippableError, Pool, task } from '@weft/pool';
import { afterEach, describe, expect, it } from 'vitest';
import defaultExport, {
  countAfterInitializer,
  countExplicit,
  countImported,
  countMapped,
  publicName,
  rememberInitargs,
  renamed,
  sameNameDifferentBody,
} from './fixtures/counting-tasks.mjs';

const TASKS = 400;
/** How long the main thread keeps busy waiting for the workers (a bound, not a speed claim). */
const BUSY_BOUND_MS = 10_000;

let pool: Pool | undefined;
afterEach(async () => {
  await pool?.terminate();
  pool = undefined;
});

/** Keeps this thread busy (no await, no event loop turn) until `view[0]` reaches `target`, or the bound. */
function busyUntil(view: Int32Array, target: number): number {
  const end = Date.now() + BUSY_BOUND_MS;
  while (Atomics.load(view, 0) < target && Date.now() < end) {}
  return Atomics.load(view, 0);
}

describe('a function the pool has not run before reaches the workers while the main thread is busy', () => {
  it('an exported function imported by name from a module', async () => {
    pool = new Pool(2);
    // Made after the pool: its workers, still starting, have not heard of this buffer either.
    const view = new Int32Array(new SharedArrayBuffer(4));
    const results = Array.from({ length: TASKS }, () => pool!.applyAsync(countImported, [view]));
    expect(busyUntil(view, TASKS)).toBe(TASKS);
    expect((await Promise.all(results.map((r) => r.get(BUSY_BOUND_MS)))).length).toBe(TASKS);
  });

  it('a function named with task(fn, moduleUrl)', async () => {
    pool = new Pool(2);
    // Made after the pool: its workers, still starting, have not heard of this buffer either.
    const view = new Int32Array(new SharedArrayBuffer(4));
    const fn = task(countExplicit, new URL('./fixtures/counting-tasks.mjs', import.meta.url).href);
    const results = Array.from({ length: TASKS }, () => pool!.applyAsync(fn, [view]));
    expect(busyUntil(view, TASKS)).toBe(TASKS);
    await Promise.all(results.map((r) => r.get(BUSY_BOUND_MS)));
  });

  it('mapAsync of an exported function', async () => {
    pool = new Pool(2);
    // Made after the pool: its workers, still starting, have not heard of this buffer either.
    const view = new Int32Array(new SharedArrayBuffer(4));
    const result = pool.mapAsync(
      countMapped,
      Array.from({ length: TASKS }, () => view),
      1,
    );
    expect(busyUntil(view, TASKS)).toBe(TASKS);
    expect((await result.get(BUSY_BOUND_MS)).length).toBe(TASKS);
  });

  it('in a pool with an initializer (exported, so known at once)', async () => {
    pool = new Pool(2, { initializer: rememberInitargs, initargs: ['ready'] });
    const view = new Int32Array(new SharedArrayBuffer(4));
    const results = Array.from({ length: TASKS }, () => pool!.applyAsync(countAfterInitializer, [view]));
    expect(busyUntil(view, TASKS)).toBe(TASKS);
    expect(new Set(await Promise.all(results.map((r) => r.get(BUSY_BOUND_MS))))).toEqual(new Set(['ready']));
  });

  it('a self-contained inline function', async () => {
    pool = new Pool(2);
    // Made after the pool: its workers, still starting, have not heard of this buffer either.
    const view = new Int32Array(new SharedArrayBuffer(4));
    const results = Array.from({ length: TASKS }, () =>
      pool!.applyAsync(
        (counter: Int32Array) => {
          Atomics.add(counter, 0, 1);
          return 1;
        },
        [view],
      ),
    );
    expect(busyUntil(view, TASKS)).toBe(TASKS);
    await Promise.all(results.map((r) => r.get(BUSY_BOUND_MS)));
  });

  it("task(fn, url) finds an export whose name is not the function's own (default, renamed)", async () => {
    pool = new Pool(1);
    const url = new URL('./fixtures/counting-tasks.mjs', import.meta.url).href;
    expect(await pool.apply(task(defaultExport, url), [1])).toBe(4);
    expect(await pool.apply(task(renamed, url), [1])).toBe(5);
    expect(await pool.apply(task(publicName, url), [1])).toBe(6);
  });

  it('the worker refuses an export that is not the function sent, naming both', async () => {
    pool = new Pool(1);
    expect(await pool.apply(sameNameDifferentBody, [1])).toBe(2);
    {
      // Same name as the import, another function: it must not run the module's export instead.
      const sameNameDifferentBody = (x: number) => x * 100;
      const error = await pool.apply(sameNameDifferentBody, [1]).catch((e: unknown) => e as Error);
      expect((error as Error).name).toBe(FunctionNotShippableError.name);
      expect((error as Error).message).toMatch(/sameNameDifferentBody/);
      expect((error as Error).message).toMatch(/counting-tasks\.mjs/);
    }
  });
});
