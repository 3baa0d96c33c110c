import { type Future, ThreadPoolExecutor } from '@weft/executor';
import { describe, expectTypeOf, it } from 'vitest';

function power(base: number, exponent: number): number {
  return base ** exponent;
}
async function greet(name: string): Promise<string> {
  return `hello ${name}`;
}

describe('types flow from the function', () => {
  it('submit infers arguments and result', () => {
    const executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    expectTypeOf(executor.submit(power, 2, 3)).toEqualTypeOf<Future<number>>();
    expectTypeOf(executor.submit(greet, 'x')).toEqualTypeOf<Future<string>>();
    // @ts-expect-error a string where a number is expected
    executor.submit(power, 2, '3');
    // @ts-expect-error a missing argument
    executor.submit(power, 2);
    expectTypeOf(executor.map(power, [1, 2], [3, 4])).toEqualTypeOf<AsyncIterableIterator<number>>();
    expectTypeOf(executor.map(greet, ['a'], { timeout: 10 })).toEqualTypeOf<AsyncIterableIterator<string>>();
    // @ts-expect-error an iterable of the wrong element type
    executor.map(power, ['1'], [2]);
    void executor.shutdown({ wait: false });
  });

  it('await future gives the value type', async () => {
    const executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    const future = executor.submit(power, 2, 3);
    expectTypeOf(await future).toEqualTypeOf<number>();
    expectTypeOf(future.result()).toEqualTypeOf<Promise<number>>();
    await future;
    await executor.shutdown();
  });
});
