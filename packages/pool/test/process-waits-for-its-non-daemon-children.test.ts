import { Process } from '@weft/pool';
import { RawValue } from '@weft/shared-memory';
import { describe, expect, it } from 'vitest';
import { startGrandchild } from './fixtures/child-primitives.mjs';

describe("a child's non-daemon children are joined before it exits (as Python's are)", () => {
  for (const context of ['thread', 'process'] as const) {
    it(`${context} context: the grandchild finishes its work; the child ends after it`, async () => {
      const v = new RawValue('i', 0);
      const p = new Process({ target: startGrandchild, args: [v, context, false, 300], context });
      p.start();
      await p.join(45_000);
      if (p.exitCode === null) p.kill();
      expect(p.exitCode).toBe(0);
      expect(v.value).toBe(42);
    });

    it(`${context} context: a daemon grandchild is not waited for (it ends with its parent)`, async () => {
      const v = new RawValue('i', 0);
      const p = new Process({ target: startGrandchild, args: [v, context, true, 2000], context });
      p.start();
      await p.join(45_000);
      if (p.exitCode === null) p.kill();
      expect(p.exitCode).toBe(0);
      // it would have marked 2 s after it started; it was ended with its parent long before
      await new Promise((resolve) => setTimeout(resolve, 2600));
      expect(v.value).toBe(0);
    });
  }
});
