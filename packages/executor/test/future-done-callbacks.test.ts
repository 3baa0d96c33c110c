import { Future } from '@weft/executor';
import { afterEach, describe, expect, it } from 'vitest';

const defaultReporter = Future.onCallbackError;
afterEach(() => {
  Future.onCallbackError = defaultReporter;
});

describe('Future.addDoneCallback', () => {
  it('is called once, in order, when the future finishes', () => {
    const f = new Future<number>();
    const calls: string[] = [];
    f.addDoneCallback((g) => calls.push(`a${g.resultSync()}`));
    f.addDoneCallback(() => calls.push('b'));
    expect(calls).toEqual([]);
    f.setResult(1);
    expect(calls).toEqual(['a1', 'b']);
    expect(() => f.setResult(2)).toThrow();
    expect(calls).toEqual(['a1', 'b']);
  });

  it('is called at once (synchronously) if the future is already done', () => {
    const f = new Future<number>();
    f.setResult(5);
    let seen: Future<number> | undefined;
    f.addDoneCallback((g) => {
      seen = g;
    });
    expect(seen).toBe(f);
  });

  it('is called on cancel', () => {
    const f = new Future<number>();
    let cancelled = false;
    f.addDoneCallback((g) => {
      cancelled = g.cancelled();
    });
    f.cancel();
    expect(cancelled).toBe(true);
  });

  it('an error thrown by a callback is reported, not thrown into setResult, and later callbacks still run', () => {
    const reported: Array<[unknown, Future<unknown>]> = [];
    Future.onCallbackError = (error, future) => reported.push([error, future]);
    const f = new Future<number>();
    const boom = new Error('boom');
    const calls: string[] = [];
    f.addDoneCallback(() => {
      throw boom;
    });
    f.addDoneCallback(() => calls.push('second'));
    expect(() => f.setResult(1)).not.toThrow();
    expect(calls).toEqual(['second']);
    expect(reported).toEqual([[boom, f]]);
    // Also for a callback added after completion.
    expect(() =>
      f.addDoneCallback(() => {
        throw boom;
      }),
    ).not.toThrow();
    expect(reported).toHaveLength(2);
  });

  it('a rejected promise returned by a callback is reported too', async () => {
    const reported: unknown[] = [];
    Future.onCallbackError = (error) => reported.push(error);
    const f = new Future<number>();
    f.addDoneCallback(async () => {
      throw new Error('async boom');
    });
    f.setResult(1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect((reported[0] as Error).message).toBe('async boom');
  });

  it('by default a callback error becomes a process warning of type FutureCallbackError', async () => {
    const f = new Future<number>();
    const warned = new Promise<Error>((resolve) => {
      const onWarning = (warning: Error) => {
        process.off('warning', onWarning);
        resolve(warning);
      };
      process.on('warning', onWarning);
    });
    f.addDoneCallback(() => {
      throw new Error('visible');
    });
    f.setResult(1);
    const warning = await warned;
    expect(warning.name).toBe('FutureCallbackError');
    expect(warning.message).toMatch(/exception calling callback for Future#\d+.*visible/s);
  });

  it('rejects a non-function', () => {
    expect(() => new Future().addDoneCallback(42 as unknown as () => void)).toThrow(TypeError);
  });
});
