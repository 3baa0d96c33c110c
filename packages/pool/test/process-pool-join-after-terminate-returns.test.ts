import { describe, expect, it } from 'vitest';
import { runProgram } from './run-program.js';

describe("Pool({ context: 'process' }): join() after terminate()", () => {
  // A child's exit is handled once its channel has reported the disconnect (up to 1 s later): a join()
  // right after terminate() saw children that had exited but were not yet marked so, and waited for an
  // 'exit' event that had already been emitted, forever (CPython's test_pool tearDown does exactly this).
  it('returns, round after round (in a plain Node process)', async () => {
    expect(await runProgram('join-after-terminate-program.mjs')).toEqual({ hung: [] });
  });
});
