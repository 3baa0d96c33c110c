import { type AsyncResult, type IMapIterator, type Pool, Process, type TaskHandle } from '@weft/pool';
import { describe, expectTypeOf, it } from 'vitest';
import { add, slowDouble, square } from './fixtures/tasks.mjs';

// Checked by `tsc --noEmit` (npm run typecheck); at run time these only build the calls, never run them.
function typeChecks(pool: Pool) {
  expectTypeOf(pool.apply(square, [2])).toEqualTypeOf<Promise<number>>();
  expectTypeOf(pool.apply(slowDouble, [2])).toEqualTypeOf<Promise<number>>();
  expectTypeOf(pool.apply((s: string) => s.length, ['abc'])).toEqualTypeOf<Promise<number>>();
  expectTypeOf(pool.apply(() => 'x')).toEqualTypeOf<Promise<string>>();
  expectTypeOf(pool.applyAsync(add, [1, 2])).toEqualTypeOf<AsyncResult<number>>();
  expectTypeOf(pool.map(square, [1, 2])).toEqualTypeOf<Promise<number[]>>();
  expectTypeOf(pool.map(slowDouble, [1, 2])).toEqualTypeOf<Promise<number[]>>();
  expectTypeOf(pool.starmap(add, [[1, 2]])).toEqualTypeOf<Promise<number[]>>();
  expectTypeOf(pool.imap(square, [1])).toEqualTypeOf<IMapIterator<number>>();
  expectTypeOf(pool.submit(add, [1, 2])).toEqualTypeOf<TaskHandle<number>>();
  pool.applyAsync(square, [1], { callback: (value) => expectTypeOf(value).toEqualTypeOf<number>() });

  // @ts-expect-error: square takes a number
  pool.apply(square, ['two']);
  // @ts-expect-error: add takes two arguments
  pool.apply(add, [1]);
  // @ts-expect-error: args are required when the function takes some
  pool.apply(square);
  // @ts-expect-error: map's items must fit the function's parameter
  pool.map(square, ['a']);
  // @ts-expect-error: map calls a one-argument function
  pool.map(add, [1, 2]);
  // @ts-expect-error: starmap items are argument lists
  pool.starmap(add, [1, 2]);
  // @ts-expect-error: applyAsync args must match
  pool.applyAsync(add, ['1', 2]);
  // @ts-expect-error: Process args must match the target
  new Process({ target: square, args: ['x'] });
}

describe('types flow from the function', () => {
  it('is checked by the compiler', () => {
    expectTypeOf(typeChecks).toBeFunction();
  });
});
