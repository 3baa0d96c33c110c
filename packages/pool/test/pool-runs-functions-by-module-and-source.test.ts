import { FunctionNotShippableError, Pool, task } from '@weft/pool';
import { afterAll, describe, expect, it } from 'vitest';
import { add, square, whoami } from './fixtures/tasks.mjs';

const pool = new Pool(2);
afterAll(() => pool.terminate());

/** A variable of this module: a function sent as source cannot see it in the worker. */
const OFFSET = 10;

describe('functions cross by module and export name, or as source', () => {
  it('runs an exported function found from the calling module', async () => {
    expect(await pool.apply(square, [7])).toBe(49);
    expect(await pool.apply(add, [2, 3])).toBe(5);
  });

  it('runs in worker threads, not on the main thread', async () => {
    const names = await pool.map(whoami, [1, 2, 3, 4], 1);
    for (const name of names) expect(name).toMatch(/^PoolWorker-\d+$/);
  });

  it('ships a self-contained inline function as source', async () => {
    expect(await pool.apply((x: number) => x + 1, [41])).toBe(42);
    expect(await pool.map((s: string) => s.toUpperCase(), ['a', 'b'])).toEqual(['A', 'B']);
  });

  it('accepts an explicit module URL through task()', async () => {
    const url = new URL('./fixtures/tasks.mjs', import.meta.url).href;
    const explicitSquare = task(square, url);
    expect(await pool.apply(explicitSquare, [5])).toBe(25);
  });

  it('rejects a closure over a local variable with an error naming it and the fix', async () => {
    const offset = 10;
    const addOffset = (x: number) => x + offset;
    const error = await pool.apply(addOffset, [1]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('FunctionNotShippableError');
    expect((error as Error).message).toMatch(/addOffset/);
    expect((error as Error).message).toMatch(/offset/);
    expect((error as Error).message).toMatch(/export it from a module/);
  });

  it('refuses at once a function sent as source that uses a variable of its module, naming it', async () => {
    const error = (await pool.apply((x: number) => x + OFFSET, [1]).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(FunctionNotShippableError);
    expect(error.message).toMatch(/uses OFFSET, which its module .*pool-runs-functions-by-module-and-source/);
    expect(error.message).toMatch(/export it from a module/);
    // The same name as a parameter, a local, a property or an object key is the function's own.
    expect(await pool.apply((OFFSET: number) => OFFSET * 2, [4])).toBe(8);
    expect(
      await pool.apply(
        (x: number) => {
          const OFFSET = x;
          return OFFSET + 1;
        },
        [4],
      ),
    ).toBe(5);
    expect(await pool.apply((o: { OFFSET: number }) => ({ OFFSET: o.OFFSET + 1 }), [{ OFFSET: 1 }])).toEqual({
      OFFSET: 2,
    });
  });

  it('rejects a bound method at once', async () => {
    const counter = {
      n: 1,
      get(x: number) {
        return this.n + x;
      },
    };
    const bound: (x: number) => number = counter.get.bind(counter);
    await expect(pool.apply(bound, [1])).rejects.toThrow(FunctionNotShippableError);
    await expect(pool.apply(bound, [1])).rejects.toThrow(/bound/);
  });

  it('rejects a native function and a method shorthand at once', async () => {
    await expect(pool.apply(Math.max, [1, 2])).rejects.toThrow(/native/);
    const holder = {
      method(x: number) {
        return x;
      },
    };
    await expect(pool.apply(holder.method, [1])).rejects.toThrow(FunctionNotShippableError);
  });

  it('rejects a module that cannot be loaded, naming it', async () => {
    const missing = task((x: number) => x, 'file:///nonexistent/weft-missing.mjs', 'f');
    await expect(pool.apply(missing, [1])).rejects.toThrow(/cannot be loaded/);
  });

  it('maps with results in order, over any iterable, with Python-style chunks', async () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i);
    expect(await pool.map(square, xs)).toEqual(xs.map((x) => x * x));
    expect(await pool.map(square, new Set([1, 2, 3]))).toEqual([1, 4, 9]);
    expect(await pool.map(square, [])).toEqual([]);
    expect(
      await pool.starmap(add, [
        [1, 2],
        [3, 4],
      ]),
    ).toEqual([3, 7]);
  });

  it('moves structured values through the codec', async () => {
    const echo = (value: unknown) => value;
    const value = { a: [1, 'two', null], b: new Map([[1, { c: true }]]), d: new Uint8Array([1, 2, 3]) };
    expect(await pool.apply(echo, [value])).toEqual(value);
    expect(await pool.apply(echo, [undefined])).toBeUndefined();
  });
});
