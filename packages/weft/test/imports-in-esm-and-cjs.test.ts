import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as shim from '@weft/atomics-sync-shim';
import * as codec from '@weft/codec';
import * as executor from '@weft/executor';
import * as lock from '@weft/lock';
import * as manager from '@weft/manager';
import * as pipe from '@weft/pipe';
import * as pool from '@weft/pool';
import * as queue from '@weft/queue';
import * as sharedMemory from '@weft/shared-memory';
import { describe, expect, it } from 'vitest';
import * as weft from 'weft';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('import { Pool, Queue, Lock } from "weft"', () => {
  it('works in ESM and gives the packages’ own classes', async () => {
    const { Pool, Queue, Lock } = await import('weft');
    expect(Pool).toBe(pool.Pool);
    expect(Queue).toBe(queue.Queue);
    expect(Lock).toBe(lock.Lock);
  });

  it('works in CJS (require)', () => {
    const required = createRequire(import.meta.url)('weft') as typeof weft;
    expect(typeof required.Pool).toBe('function');
    expect(typeof required.Queue).toBe('function');
    expect(typeof required.Lock).toBe('function');
  });

  it('works from plain Node in both module systems', () => {
    const check = `if (typeof m.Pool !== 'function' || typeof m.Queue !== 'function' || typeof m.Lock !== 'function') throw new Error('missing');`;
    execFileSync(
      process.execPath,
      ['--input-type=module', '-e', `const m = await import('weft'); ${check}`],
      { cwd: packageDir },
    );
    execFileSync(process.execPath, ['-e', `const m = require('weft'); ${check}`], { cwd: packageDir });
  });
});

describe('names that more than one package exports', () => {
  it('resolves each one explicitly, as the README says', () => {
    expect(weft.wait).toBe(executor.wait);
    expect(weft.atomics.wait).toBe(shim.wait);
    // Python's built-ins are one class across every package, so instanceof holds whoever threw.
    for (const m of [lock, pipe, pool, executor, manager]) expect(m.TimeoutError).toBe(shim.TimeoutError);
    for (const m of [lock, pipe, pool, queue, sharedMemory]) expect(m.ValueError).toBe(shim.ValueError);
    expect(weft.TimeoutError).toBe(shim.TimeoutError);
    expect(weft.Empty).toBe(queue.Empty);
    expect(weft.Full).toBe(queue.Full);
    expect(manager.Empty).toBe(queue.Empty);
    expect(weft.Connection).toBe(pipe.Connection);
    expect(weft.ManagerConnection).toBe(manager.Connection);
    expect(weft.EOFError).toBe(pipe.EOFError);
    expect(weft.BrokenBarrierError).toBe(lock.BrokenBarrierError);
    expect(weft.ValueError).toBe(shim.ValueError);
    expect(weft.RuntimeError).toBe(lock.RuntimeError);
    expect(weft.ClosedError).toBe(sharedMemory.ClosedError);
    expect(weft.ManagerClosedError).toBe(manager.ClosedError);
  });

  it('leaves no export of any package unreachable', () => {
    const packages: Record<string, Record<string, unknown>> = {
      codec,
      'shared-memory': sharedMemory,
      executor,
      lock,
      manager,
      pipe,
      pool,
      queue,
    };
    const exported = new Set<unknown>(Object.values(weft));
    for (const [name, module] of Object.entries(packages)) {
      for (const [key, value] of Object.entries(module)) {
        expect(exported.has(value), `@weft/${name}'s ${key} is not exported by weft under any name`).toBe(
          true,
        );
      }
    }
    for (const [key, value] of Object.entries(shim))
      expect(weft.atomics[key as keyof typeof shim]).toBe(value);
  });
});
