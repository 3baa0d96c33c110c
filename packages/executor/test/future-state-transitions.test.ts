import { CancelledError, DeadlockError, Future, InvalidStateError, TimeoutError } from '@weft/executor';
import { describe, expect, it } from 'vitest';

describe('Future state machine', () => {
  it('starts PENDING: not running, not done, not cancelled', () => {
    const f = new Future<number>();
    expect(f.state).toBe('PENDING');
    expect([f.running(), f.done(), f.cancelled()]).toEqual([false, false, false]);
  });

  it('PENDING -> RUNNING -> FINISHED with a value', async () => {
    const f = new Future<number>();
    expect(f.setRunningOrNotifyCancel()).toBe(true);
    expect(f.state).toBe('RUNNING');
    expect(f.running()).toBe(true);
    expect(f.done()).toBe(false);
    f.setResult(8);
    expect(f.state).toBe('FINISHED');
    expect([f.running(), f.done(), f.cancelled()]).toEqual([false, true, false]);
    expect(await f.result()).toBe(8);
    expect(await f.exception()).toBeUndefined();
    expect(f.resultSync()).toBe(8);
    expect(f.exceptionSync()).toBeUndefined();
    expect(await f).toBe(8);
  });

  it('PENDING -> RUNNING -> FINISHED with an error: result() rethrows it, exception() returns it', async () => {
    const f = new Future<number>();
    f.setRunningOrNotifyCancel();
    const error = new RangeError('too big');
    f.setException(error);
    expect(f.done()).toBe(true);
    await expect(f.result()).rejects.toBe(error);
    expect(await f.exception()).toBe(error);
    expect(() => f.resultSync()).toThrow(error);
    expect(f.exceptionSync()).toBe(error);
    await expect(Promise.resolve(f)).rejects.toBe(error);
  });

  it('PENDING -> CANCELLED: cancel() returns true (twice), result() and exception() throw CancelledError', async () => {
    const f = new Future<number>();
    expect(f.cancel()).toBe(true);
    expect(f.cancel()).toBe(true);
    expect(f.state).toBe('CANCELLED');
    expect([f.running(), f.done(), f.cancelled()]).toEqual([false, true, true]);
    await expect(f.result()).rejects.toBeInstanceOf(CancelledError);
    await expect(f.exception()).rejects.toBeInstanceOf(CancelledError);
    await expect(f.then((x) => x)).rejects.toBeInstanceOf(CancelledError);
    expect(f.setRunningOrNotifyCancel()).toBe(false);
  });

  it('cancel() is refused while RUNNING and after FINISHED', () => {
    const running = new Future<number>();
    running.setRunningOrNotifyCancel();
    expect(running.cancel()).toBe(false);
    expect(running.state).toBe('RUNNING');
    const finished = new Future<number>();
    finished.setResult(1);
    expect(finished.cancel()).toBe(false);
    expect(finished.cancelled()).toBe(false);
  });

  it('a pending future may finish without RUNNING (a task completed at once)', async () => {
    const f = new Future<string>();
    f.setResult('x');
    expect(await f.result()).toBe('x');
  });

  it('invalid transitions throw InvalidStateError', () => {
    const f = new Future<number>();
    f.setResult(1);
    expect(() => f.setResult(2)).toThrow(InvalidStateError);
    expect(() => f.setException(new Error('x'))).toThrow(InvalidStateError);
    expect(() => f.setRunningOrNotifyCancel()).toThrow(InvalidStateError);
    const c = new Future<number>();
    c.cancel();
    expect(() => c.setResult(1)).toThrow(InvalidStateError);
    const r = new Future<number>();
    r.setRunningOrNotifyCancel();
    expect(() => r.setRunningOrNotifyCancel()).toThrow(InvalidStateError);
  });

  it('result() waits for a later setResult', async () => {
    const f = new Future<number>();
    const pending = f.result();
    setTimeout(() => f.setResult(42), 10);
    expect(await pending).toBe(42);
  });

  it('result(timeout) throws TimeoutError, not early, and leaves the future pending', async () => {
    const f = new Future<number>();
    const started = performance.now();
    await expect(f.result(30)).rejects.toBeInstanceOf(TimeoutError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(30);
    await expect(f.exception(1)).rejects.toBeInstanceOf(TimeoutError);
    expect(f.state).toBe('PENDING');
    f.setResult(3);
    expect(await f.result(0)).toBe(3);
  });

  it('result(0) on a pending future times out, on a done one returns', async () => {
    const f = new Future<number>();
    await expect(f.result(0)).rejects.toBeInstanceOf(TimeoutError);
    f.setResult(1);
    expect(await f.result(0)).toBe(1);
  });

  it('result() with an aborted signal rejects with its reason', async () => {
    const f = new Future<number>();
    const controller = new AbortController();
    const pending = f.result(undefined, { signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    expect(f.done()).toBe(false);
  });

  it('a bad timeout is a TypeError', async () => {
    const f = new Future<number>();
    await expect(f.result(Number.NaN)).rejects.toBeInstanceOf(TypeError);
    await expect(f.result('10' as unknown as number)).rejects.toBeInstanceOf(TypeError);
  });

  it('resultSync() on the thread that completes the future is a DeadlockError, not a hang', () => {
    const f = new Future<number>();
    expect(() => f.resultSync()).toThrow(DeadlockError);
    expect(() => f.exceptionSync(10)).toThrow(DeadlockError);
  });

  it('await future works, and then() chains like a promise', async () => {
    const f = new Future<number>();
    setTimeout(() => f.setResult(2), 1);
    const doubled = await f.then((x) => x * 2);
    expect(doubled).toBe(4);
    const g = new Future<number>();
    g.setException(new Error('bad'));
    expect(await g.catch((e: unknown) => (e as Error).message)).toBe('bad');
  });

  it('an unawaited failed future does not raise an unhandled rejection', async () => {
    const seen: unknown[] = [];
    const onUnhandled = (reason: unknown) => seen.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const f = new Future<number>();
      f.setException(new Error('ignored'));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(seen).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('toString names the state', () => {
    const f = new Future<number>();
    expect(String(f)).toMatch(/^Future#\d+<PENDING>$/);
    f.setException(new TypeError('x'));
    expect(String(f)).toMatch(/FINISHED raised TypeError/);
  });
});
