import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Every worker starts from the same CommonJS bundle (src/entries.ts), but loads @weft/codec — and through
// it the packages of the handles it decodes — in the format of the program that made the pool, so that a
// task sees the very classes its own module imports.
const run = (program: string) =>
  JSON.parse(
    execFileSync(process.execPath, [fileURLToPath(new URL(`./fixtures/${program}`, import.meta.url))], {
      encoding: 'utf8',
      timeout: 30_000,
    }),
  ) as unknown;

describe('a Lock passed to a task', () => {
  it('arrives as the CommonJS Lock in a CommonJS program', () => {
    expect(run('format-program.cjs')).toEqual({ sameClass: true, acquired: true, lockedAfter: false });
  });

  it('arrives as the ES module Lock in an ES module program', () => {
    expect(run('format-program.mjs')).toEqual({ sameClass: true, acquired: true, lockedAfter: false });
  });
});
