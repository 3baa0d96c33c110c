import { activeChildren, FunctionNotShippableError, Process, ValueError } from '@weft/pool';
import { Queue } from '@weft/queue';
import { describe, expect, it } from 'vitest';
import { greet, Holder } from './fixtures/processes.mjs';

/** Stands for an object that lives in one thread: its methods and callbacks cannot cross. */
class ThreadOnlyQueue {
  readonly items: unknown[] = [];
  readonly onPut = (item: unknown) => this.items.push(item);
}

function startError(p: Process): Error {
  try {
    p.start();
  } catch (error) {
    return error as Error;
  }
  throw new Error('start() did not throw');
}

describe.each(['thread', 'process'] as const)('Process.start() in the %s context', (context) => {
  it('throws DataCloneError at once, naming the path in args as the caller wrote it', () => {
    const p = new Process({ target: greet, args: [{ cb: () => 1 }] as never, context });
    const error = startError(p);
    expect(error.name).toBe('DataCloneError');
    expect(error.message).toBe('args[0].cb is a function');
    expect((error as Error & { path: string }).path).toBe('args[0].cb');
  });

  it('names a class instance that is no weft handle (a thread-only queue)', () => {
    const p = new Process({ target: greet, args: [new ThreadOnlyQueue()] as never, context });
    const error = startError(p);
    expect(error.name).toBe('DataCloneError');
    expect(error.message).toMatch(/^args\[0\].*ThreadOnlyQueue/);
  });

  it('a weft primitive beside the bad value does not hide it', () => {
    const queue = new Queue<number>();
    const p = new Process({ target: greet, args: [queue, { later: Symbol('x') }] as never, context });
    expect(startError(p).message).toBe('args[1].later is a symbol');
  });

  it('leaves the process not started: not alive, no pid, no exit code, not a child, join refuses', async () => {
    const p = new Process({ target: greet, args: [() => 1] as never, context });
    startError(p);
    expect(p.isAlive()).toBe(false);
    expect(p.pid).toBeUndefined();
    expect(p.ident).toBeUndefined();
    expect(p.exitCode).toBeNull();
    expect(activeChildren()).not.toContain(p);
    expect(String(p)).toMatch(/ initial>$/);
    await expect(p.join()).rejects.toThrow(ValueError);
    // the same bad value fails the same way again: nothing half-started remains
    expect(startError(p).message).toBe('args[0] is a function');
    p.close();
  });

  it("a subclass's own field that cannot cross fails at once; fixed, the same object starts", async () => {
    const h = new Holder(() => 1, context);
    const error = startError(h);
    expect(error.name).toBe('DataCloneError');
    expect(error.message).toBe('this.value is a function');
    expect(h.isAlive()).toBe(false);
    h.value = 7;
    h.start();
    expect(h.isAlive()).toBe(true);
    await h.join();
    expect(h.exitCode).toBe(0);
  });

  it('a bound target still fails without a hang: exit code 1, join() names it', async () => {
    const holder = { greet };
    const bound: (name: string) => void = holder.greet.bind(holder);
    const p = new Process({ target: bound, args: ['x'], context });
    p.start();
    expect(p.pid).toBeGreaterThan(0);
    await expect(p.join()).rejects.toThrow(FunctionNotShippableError);
    await expect(p.join()).rejects.toThrow(/bound/);
    expect(p.exitCode).toBe(1);
    expect(p.isAlive()).toBe(false);
  });

  it('a closure target ends with exit code 1 (its free variable is named in the child)', async () => {
    const secret = 42;
    const p = new Process({ target: () => secret, context });
    p.start();
    await p.join();
    expect(p.exitCode).toBe(1);
  });
});
