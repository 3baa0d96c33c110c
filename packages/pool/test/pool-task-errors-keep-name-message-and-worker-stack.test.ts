import { Pool, RemoteTraceback } from '@weft/pool';
import { afterAll, describe, expect, it } from 'vitest';
import { fail, square } from './fixtures/tasks.mjs';

const pool = new Pool(2);
afterAll(() => pool.terminate());

describe('errors thrown in tasks', () => {
  it('keep their type, message and the worker stack as cause', async () => {
    const error = (await pool.apply(fail, ['out of range']).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(RangeError);
    expect(error.name).toBe('RangeError');
    expect(error.message).toBe('out of range');
    expect(error.cause).toBeInstanceOf(RemoteTraceback);
    expect(String((error.cause as Error).message)).toMatch(/at fail .*tasks\.mjs/);
  });

  it('keep a custom error name', async () => {
    const thrower = () => {
      class QuotaError extends Error {
        override name = 'QuotaError';
      }
      throw new QuotaError('too many');
    };
    const error = (await pool.apply(thrower, []).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('QuotaError');
    expect(error.message).toBe('too many');
  });

  it('in map, fail the whole map with the first error to arrive (as Python); the pool goes on', async () => {
    const error = (await pool.map(fail, ['a', 'b']).catch((e: unknown) => e)) as Error;
    expect(['a', 'b']).toContain(error.message);
    expect(await pool.apply(square, [2])).toBe(4);
  });

  it('a result that cannot be sent back fails with a clone error', async () => {
    const error = (await pool.apply(() => ({ f: () => 1 }), []).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toMatch(/DataCloneError/);
  });
});
