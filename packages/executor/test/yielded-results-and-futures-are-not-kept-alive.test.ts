import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const program = fileURLToPath(new URL('./fixtures/yielded-values-are-freed.mjs', import.meta.url));

// CPython, test_concurrent_futures: test_free_reference ("Result iterator should not keep an internal
// reference to result objects", bpo-14406) and test_free_reference_yielded_future ("Generator should not
// keep references to finished futures"). Run in a plain Node process with --expose-gc.
describe('what the executors yield is not kept alive by them', () => {
  it('map() results and asCompleted() futures are collected once the loop drops them', async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--expose-gc', program], {
      timeout: 60_000,
    });
    expect(stderr).toBe('');
    expect(JSON.parse(stdout.trim())).toEqual({
      map: [],
      chunkedMap: [],
      asCompleted: [],
      asCompletedTimeout: 'TimeoutError',
      asCompletedYielded: 10,
    });
  });
});
