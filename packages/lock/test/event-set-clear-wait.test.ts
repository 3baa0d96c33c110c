import { Event, ValueError } from '@weft/lock';
import { describe, expect, it } from 'vitest';

describe('Event', () => {
  it('set, isSet, clear', () => {
    const event = new Event();
    expect(event.isSet()).toBe(false);
    event.set();
    expect(event.isSet()).toBe(true);
    expect(event.waitSync()).toBe(true);
    event.clear();
    expect(event.isSet()).toBe(false);
  });

  it('wait returns false after the timeout (not before) and true once set', async () => {
    const event = new Event();
    let started = performance.now();
    expect(await event.wait({ timeout: 20 })).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(19);
    started = performance.now();
    expect(event.waitSync({ timeout: 20 })).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(19);
    setTimeout(() => event.set(), 10);
    expect(await event.wait({ timeout: 10_000 })).toBe(true);
  });

  it('set() then clear() at once still releases the waiters that were waiting', async () => {
    const event = new Event();
    const waiters = [event.wait(), event.wait({ timeout: 10_000 })];
    await new Promise((resolve) => setTimeout(resolve, 5));
    event.set();
    event.clear();
    expect(await Promise.all(waiters)).toEqual([true, true]);
  });

  it('an aborted wait rejects with the reason', async () => {
    const event = new Event();
    const controller = new AbortController();
    const pending = event.wait({ signal: controller.signal });
    controller.abort(new Error('gone'));
    await expect(pending).rejects.toThrow('gone');
    expect(() => event.waitSync({ timeout: -1 })).toThrow(ValueError);
  });
});
