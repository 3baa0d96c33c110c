import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  activeChildren,
  currentProcess,
  FunctionNotShippableError,
  isMainThread,
  Process,
  parentProcess,
  ValueError,
} from '@weft/pool';
import { describe, expect, it } from 'vitest';
import { Counter, exitWith, greet, sleepy, throws, whoAmI } from './fixtures/processes.mjs';

const run = promisify(execFile);

describe.each(['thread', 'process'] as const)('Process in the %s context', (context) => {
  it('runs its target with args; exitCode 0 after a normal end', async () => {
    const p = new Process({ target: greet, args: ['bob'], context });
    expect(p.exitCode).toBeNull();
    expect(p.isAlive()).toBe(false);
    p.start();
    expect(p.isAlive()).toBe(true);
    await p.join();
    expect(p.exitCode).toBe(0);
    expect(p.isAlive()).toBe(false);
    expect(p.name).toMatch(/^Process-\d+$/);
  });

  it('exitCode is 1 after an uncaught error, and the code given to process.exit', async () => {
    const failing = new Process({ target: throws, context });
    failing.start();
    await failing.join();
    expect(failing.exitCode).toBe(1);
    const exiting = new Process({ target: exitWith, args: [3], context });
    exiting.start();
    await exiting.join();
    expect(exiting.exitCode).toBe(3);
  });

  it('terminate() gives -15 and kill() -9; join(timeout) returns while the child runs', async () => {
    const p = new Process({ target: sleepy, args: [60_000], context });
    p.start();
    await p.join(50);
    expect(p.isAlive()).toBe(true);
    expect(activeChildren()).toContain(p);
    p.terminate();
    await p.join();
    expect(p.exitCode).toBe(-15);
    expect(activeChildren()).not.toContain(p);
    const q = new Process({ target: sleepy, args: [60_000], context });
    q.start();
    await q.join(50);
    q.kill();
    await q.join();
    expect(q.exitCode).toBe(-9);
  });

  it('the child sees its own pid and its parent', async () => {
    const view = new Int32Array(new SharedArrayBuffer(8));
    if (context === 'process') return; // shared memory does not cross a process boundary (see README)
    const p = new Process({ target: whoAmI, args: [view], context });
    p.start();
    await p.join();
    expect(view[0]).toBe(process.pid);
    expect(view[1]).toBe(process.pid);
  });

  it('a self-contained inline target works', async () => {
    const p = new Process({ target: (n: number) => n + 1, args: [1], context });
    p.start();
    await p.join();
    expect(p.exitCode).toBe(0);
  });
});

describe('Process', () => {
  it('a subclass exported from a module runs its run() with its own fields', async () => {
    const c = new Counter(5);
    c.start();
    await c.join();
    expect(c.exitCode).toBe(0);
  });

  it('in the process context the child has its own pid', async () => {
    const p = new Process({ target: greet, args: ['pid'], context: 'process' });
    p.start();
    await p.join();
    expect(p.pid).toBeGreaterThan(0);
    expect(p.pid).not.toBe(process.pid);
    expect(p.ident).toBe(p.pid);
  });

  it('refuses to start twice, to join before start, to close while running', async () => {
    const p = new Process({ target: sleepy, args: [60_000] });
    await expect(p.join()).rejects.toThrow(ValueError);
    p.start();
    expect(() => p.start()).toThrow(ValueError);
    expect(() => p.close()).toThrow(ValueError);
    p.terminate();
    await p.join();
    p.close();
  });

  it('a closure target fails at join with an error naming it, not a hang', async () => {
    const secret = 42;
    const leaky = () => secret;
    const p = new Process({ target: leaky });
    p.start();
    await p.join();
    expect(p.exitCode).toBe(1);
  });

  it('a non-function target is refused at once', () => {
    expect(() => new Process({ target: 'nope' as never })).toThrow(TypeError);
    void FunctionNotShippableError;
  });

  it('currentProcess, parentProcess and isMainThread on the main thread', () => {
    expect(isMainThread).toBe(true);
    expect(currentProcess().name).toBe('MainProcess');
    expect(currentProcess().pid).toBe(process.pid);
    expect(parentProcess()).toBeNull();
  });

  it.each(['thread', 'process'])(
    'output of %s children is flushed before they exit: nothing is lost',
    async (context) => {
      const script = fileURLToPath(new URL('./fixtures/print-and-exit.mjs', import.meta.url));
      const { stdout } = await run(process.execPath, [script, context], { maxBuffer: 1 << 24 });
      const lines = stdout.split('\n');
      expect(lines.filter((l) => l.startsWith('line ')).length).toBe(3000);
      expect(lines.filter((l) => l.startsWith('ping ')).length).toBe(500);
      expect(lines).toContain('parent done 0 0');
    },
  );
});
