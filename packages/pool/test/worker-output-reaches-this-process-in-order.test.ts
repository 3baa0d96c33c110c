import { describe, expect, it } from 'vitest';
import { runProgram } from './run-program.js';

// Pool workers and Process threads forward their stdout and stderr themselves (src/worker-output.ts),
// touching this process's streams only when a worker first writes. The program replaces those streams'
// write() with one that keeps everything and asks for a pause every third chunk; its last pool is
// terminated right after a printing task's result while the output is held back (terminate() must let
// the worker hand it over first).

describe('what workers print', () => {
  it('reaches stdout and stderr complete and in order, through the pauses of a slow destination', async () => {
    expect(await runProgram('output-program.mjs')).toEqual({
      stdout: { lines: 8000, inOrder: true },
      stderr: { lines: 8000, inOrder: true },
    });
  });
});
