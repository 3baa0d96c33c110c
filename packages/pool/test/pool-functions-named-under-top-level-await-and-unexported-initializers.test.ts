import { describe, expect, it } from 'vitest';
import { runProgram } from './run-program.js';

describe('functions that cannot be found by importing their module now', () => {
  it('task(fn, import.meta.url) from a module still evaluating (top-level await) does not deadlock', async () => {
    const result = (await runProgram('task-under-top-level-await.mjs')) as Record<
      string,
      { value?: unknown; name?: string; message?: string } | number
    >;
    expect(result.named).toEqual({ value: 42 });
    expect(result.exportNameGiven).toEqual({ value: 10 });
    // Without a name of its own or an export name, the module's exports would have to be searched,
    // which would wait for the module's own evaluation: a clear error instead of a deadlock.
    expect(result.namelessWithoutExportName).toMatchObject({ name: 'FunctionNotShippableError' });
    expect((result.namelessWithoutExportName as { message: string }).message).toMatch(
      /still evaluating.*task\(fn, import\.meta\.url, name\)/,
    );
    expect(result.processExitCode).toBe(0);
  });

  it('an unexported initializer that writes a module variable breaks the pool, naming it and the fix', async () => {
    const result = (await runProgram('initializer-closure-program.mjs')) as {
      value?: unknown;
      name?: string;
      message?: string;
    };
    // Shipped as source it used to assign a new global in the worker, and readGreeting() read 'unset'.
    expect(result.value).toBeUndefined();
    expect(result.name).toBe('BrokenPoolError');
    expect(result.message).toMatch(/setGreeting/);
    expect(result.message).toMatch(/greeting/);
    expect(result.message).toMatch(/export it/);
  });
});
