import { describe, expect, it } from 'vitest';
import { runProgram } from './run-program.js';

// A pool worker loads task modules with require() when it can (src/module-load.ts), and Node 20 aborts
// the whole process when a worker is terminated while require() links an ES module. So the pool does
// not end a worker inside such a load: it waits for the load to end (src/load-gate.ts). Each case runs
// in a plain Node process (fixtures/load-gate-program.mjs), where workers load with require().
const run = (...args: string[]) => runProgram('load-gate-program.mjs', ...args);

describe('a pool worker that is loading a task module', () => {
  it('is terminated only after the load: terminate() waits for it, and the task rejects', async () => {
    expect(await run('terminate')).toEqual({
      finishedBefore: false,
      finishedAfter: true,
      task: { error: 'AbortError' },
    });
  });

  it('is terminated even if its module never finishes loading (after a bounded wait)', async () => {
    expect(await run('forever')).toEqual({ finished: false, task: { error: 'AbortError' } });
  });

  it('is not ended inside the load by a task timeout, and the pool goes on', async () => {
    expect(await run('timeout')).toEqual({
      task: { error: 'TimeoutError' },
      next: 'number',
      firstLoadFinished: true,
    });
  });

  it('holds back the exit of the process until the load is over', async () => {
    expect(await run('exit')).toEqual({ finishedAtExit: true });
  });

  it('survives pools terminated at random points around their loads', async () => {
    const { rounds, ok, terminated } = (await run('rounds', '60')) as {
      rounds: number;
      ok: number;
      terminated: number;
    };
    expect(rounds).toBe(60);
    expect(ok + terminated).toBe(60);
  });
});
