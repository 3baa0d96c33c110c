import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { firstMessage, fixture } from './worker-helpers.js';

describe('on a thread that may not block', () => {
  it('canBlock() is false, every blocking wait and bridge call throws SyncWaitNotAllowedError, waitAsync works', async () => {
    const report = (await firstMessage(new Worker(fixture('no-blocking.mjs')))) as Record<string, unknown>;
    const refused = {
      name: 'SyncWaitNotAllowedError',
      message: expect.stringContaining('cannot block this thread'),
      typed: true,
    };
    expect(report).toEqual({
      canBlock: false,
      wait: refused,
      waitOnChangedWord: refused,
      waitUntilChanged: refused,
      bridgeCall: refused,
      waitAsync: 'ok',
    });
  });
});
