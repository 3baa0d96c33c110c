import { local, Timer } from '@weft/pool';
import { describe, expect, it } from 'vitest';

describe('Timer', () => {
  it('calls the function with its args after the interval', async () => {
    const calls: unknown[] = [];
    const timer = new Timer(20, (a: string, b: number) => calls.push([a, b]), ['hello, world', 1]);
    expect(timer.isAlive()).toBe(false);
    timer.start();
    expect(timer.isAlive()).toBe(true);
    expect(calls).toEqual([]);
    expect(await timer.join()).toBe(true);
    expect(calls).toEqual([['hello, world', 1]]);
    expect(timer.isAlive()).toBe(false);
  });

  it('cancel() before it fires stops it; starting twice throws', async () => {
    let fired = false;
    const timer = new Timer(50, () => {
      fired = true;
    });
    timer.start();
    expect(() => timer.start()).toThrow('threads can only be started once');
    timer.cancel();
    expect(await timer.join()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fired).toBe(false);
  });

  it('join(timeout) returns false while it has not fired', async () => {
    const timer = new Timer(60_000, () => {});
    timer.start();
    expect(await timer.join(10)).toBe(false);
    timer.cancel();
  });
});

describe('local()', () => {
  it('is storage of its own, with any fields', () => {
    const school = local<{ student: string }>();
    expect(school.student).toBeUndefined();
    school.student = 'Alice';
    expect(school.student).toBe('Alice');
    expect(local<{ student: string }>().student).toBeUndefined();
  });
});
