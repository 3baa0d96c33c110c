import { ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION, Future, wait } from '@weft/executor';
import { describe, expect, it } from 'vitest';

describe('wait', () => {
  it('ALL_COMPLETED (default) returns when every future is done; done/notDone are sets without duplicates', async () => {
    const a = new Future<number>();
    const b = new Future<number>();
    setTimeout(() => a.setResult(1), 5);
    setTimeout(() => b.setException(new Error('x')), 10);
    const { done, notDone } = await wait([a, b, a]);
    expect(done).toEqual(new Set([a, b]));
    expect(done.size).toBe(2);
    expect(notDone.size).toBe(0);
  });

  it('FIRST_COMPLETED returns after the first completion', async () => {
    const a = new Future<number>();
    const b = new Future<number>();
    setTimeout(() => b.setResult(1), 5);
    const { done, notDone } = await wait([a, b], { returnWhen: FIRST_COMPLETED });
    expect(done).toEqual(new Set([b]));
    expect(notDone).toEqual(new Set([a]));
  });

  it('FIRST_COMPLETED counts a cancellation, and returns at once if one is already done', async () => {
    const a = new Future<number>();
    const b = new Future<number>();
    setTimeout(() => a.cancel(), 5);
    expect((await wait([a, b], { returnWhen: FIRST_COMPLETED })).done).toEqual(new Set([a]));
    expect((await wait([a, b], { returnWhen: FIRST_COMPLETED })).notDone).toEqual(new Set([b]));
  });

  it('FIRST_EXCEPTION returns on the first error, ignoring plain results and cancellations', async () => {
    const ok = new Future<number>();
    const cancelled = new Future<number>();
    const failing = new Future<number>();
    const never = new Future<number>();
    setTimeout(() => ok.setResult(1), 1);
    setTimeout(() => cancelled.cancel(), 2);
    setTimeout(() => failing.setException(new Error('bad')), 30);
    const { done, notDone } = await wait([ok, cancelled, failing, never], { returnWhen: FIRST_EXCEPTION });
    expect(done).toEqual(new Set([ok, cancelled, failing]));
    expect(notDone).toEqual(new Set([never]));
  });

  it('FIRST_EXCEPTION returns when all complete without an error', async () => {
    const a = new Future<number>();
    const b = new Future<number>();
    setTimeout(() => a.setResult(1), 1);
    setTimeout(() => b.setResult(2), 5);
    const { done } = await wait([a, b], { returnWhen: FIRST_EXCEPTION });
    expect(done.size).toBe(2);
  });

  it('FIRST_EXCEPTION returns at once when an error is already there', async () => {
    const a = new Future<number>();
    a.setException(new Error('x'));
    const b = new Future<number>();
    const { done, notDone } = await wait([a, b], { returnWhen: FIRST_EXCEPTION });
    expect([...done]).toEqual([a]);
    expect([...notDone]).toEqual([b]);
  });

  it('timeout returns (not throws) with the unfinished in notDone, not early', async () => {
    const a = new Future<number>();
    const b = new Future<number>();
    b.setResult(1);
    const started = performance.now();
    const { done, notDone } = await wait([a, b], { timeout: 40, returnWhen: ALL_COMPLETED });
    expect(performance.now() - started).toBeGreaterThanOrEqual(40);
    expect(done).toEqual(new Set([b]));
    expect(notDone).toEqual(new Set([a]));
  });

  it('an empty list returns at once; a bad returnWhen is a TypeError', async () => {
    expect(await wait([])).toEqual({ done: new Set(), notDone: new Set() });
    await expect(wait([], { returnWhen: 'SOMETIMES' as typeof ALL_COMPLETED })).rejects.toBeInstanceOf(
      TypeError,
    );
  });

  it('an aborted signal rejects with its reason', async () => {
    const controller = new AbortController();
    const pending = wait([new Future()], { signal: controller.signal });
    controller.abort(new Error('enough'));
    await expect(pending).rejects.toThrow('enough');
  });
});
