import { describe, expect, it } from 'vitest';
import { runProgram } from './run-program.js';

// A pool worker loads a task module with require() when that gives what import() would, for less than a
// worker's first import() costs (src/module-load.ts). The cases run in a plain Node process
// (fixtures/module-load-program.mjs): vitest's own --require preload turns require() off in its workers.
describe('a task module loaded by a fresh pool worker', () => {
  it('behaves as import() would, and import() is used only where require() cannot do it', async () => {
    expect(await runProgram('module-load-program.mjs')).toEqual({
      // One module: the state bump() counts is the one import() of the same file reaches.
      sameModule: { bumps: [1], asyncLoaderUsed: false, bumpsThroughImport: [2, 3] },
      // Top-level await: loaded by import(), evaluated once.
      topLevelAwait: [1, 1],
      // A CommonJS module.exports function and a function on it, by the names import() gives them.
      commonJs: { results: ['whole 1', 'inner 2'], asyncLoaderUsed: false },
      // A module that throws: its own error, every time, from one evaluation.
      throwing: {
        outcomes: [
          'RangeError: this module does not load in a worker',
          'RangeError: this module does not load in a worker',
        ],
        evaluations: 1,
      },
      // A file that is gone: import()'s error, with none of require()'s internals.
      missing: { name: 'FunctionNotShippableError', cause: 'ERR_MODULE_NOT_FOUND', requireStack: false },
      // Hooks registered by the initializer (module.register) apply to the task module.
      hooks: 'through the hooks',
      // Error.prepareStackTrace is what it was (the caller lookup reads call sites through its own).
      prepareStackTraceKept: true,
    });
  });
});
