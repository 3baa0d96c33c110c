import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  createSyncBridge,
  type SyncBridge,
  SyncBridgeClosedError,
  SyncBridgeTimeoutError,
} from '@weft/atomics-sync-shim';
import { afterEach, describe, expect, it } from 'vitest';
import type * as BridgeModule from './fixtures/bridge-module.mjs';
import { firstMessage, fixture } from './worker-helpers.js';

const bridges: Array<SyncBridge<unknown>> = [];
afterEach(async () => {
  await Promise.all(bridges.splice(0).map((bridge) => bridge.close()));
});

function open(moduleName = 'bridge-module.mjs') {
  const bridge = createSyncBridge<typeof BridgeModule>(fixture(moduleName));
  bridges.push(bridge);
  return bridge;
}

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

describe('sync bridge: results', () => {
  it('returns the awaited result of an async function run on the helper thread', () => {
    const bridge = open();
    expect(bridge.call('add', 2, 3)).toBe(5);
    expect(bridge.fn('add')(40, 2)).toBe(42);
    expect(bridge.call('sleep', 5, 'slept')).toBe('slept');
  });

  it('carries structured-clone values both ways, and shares SharedArrayBuffers', () => {
    const bridge = open();
    const value = {
      n: -0,
      big: 10n,
      list: [1, null, 'x'],
      map: new Map([[1, new Set([2])]]),
      date: new Date(5),
    };
    expect(bridge.call('echo', value)).toEqual(value);
    const sab = new SharedArrayBuffer(16);
    expect(bridge.call('fillShared', sab, 9)).toBe(4);
    expect(Array.from(new Int32Array(sab))).toEqual([9, 9, 9, 9]);
  });

  it('is accepted as a path as well as a URL', () => {
    const bridge = createSyncBridge(fileURLToPath(fixture('bridge-module.mjs')));
    bridges.push(bridge);
    expect(bridge.call('add', 1, 2)).toBe(3);
  });
});

describe('sync bridge: errors', () => {
  it('rethrows the helper error with its name, message, stack and primitive properties', () => {
    const error = thrownBy(() => open().call('fail', 'it broke')) as Error & { code: string; detail: number };
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CustomError');
    expect(error.message).toBe('it broke');
    expect(error.code).toBe('E_CUSTOM');
    expect(error.detail).toBe(42);
    expect(error.stack).toContain('bridge-module.mjs');
  });

  it('keeps built-in error classes and causes', () => {
    const bridge = open();
    expect(thrownBy(() => bridge.call('failTypeError'))).toBeInstanceOf(TypeError);
    const outer = thrownBy(() => bridge.call('failWithCause')) as Error;
    expect(outer.message).toBe('outer');
    expect(outer.cause).toBeInstanceOf(RangeError);
    expect((outer.cause as Error).message).toBe('inner');
  });

  it('rethrows thrown non-errors as they were', () => {
    expect(thrownBy(() => open().call('throwString'))).toBe('just a string');
  });

  it('reports an unknown function, a result that cannot cross, and arguments that cannot cross', () => {
    const bridge = open();
    const unknown = thrownBy(() =>
      (bridge as unknown as SyncBridge<Record<string, () => void>>).call('nope'),
    );
    expect(String(unknown)).toMatch(/exports no function named "nope"/);
    expect(String(thrownBy(() => bridge.call('returnFunction')))).toMatch(/cannot cross/);
    expect(thrownBy(() => bridge.call('echo', () => 1))).toMatchObject({ name: 'DataCloneError' });
    expect(bridge.call('add', 1, 1)).toBe(2); // still usable
  });

  it('reports a module that fails to load on every call', () => {
    const bridge = open('bridge-broken-module.mjs');
    for (let n = 0; n < 2; n++) {
      expect(String(thrownBy(() => bridge.call('add' as never)))).toMatch(
        /could not load .*this module fails to load/,
      );
    }
  });
});

describe('sync bridge: timeouts', () => {
  it('throws SyncBridgeTimeoutError, drops the late answer, and goes on working', async () => {
    const bridge = open();
    const error = thrownBy(() => bridge.callWithTimeout(20, 'sleep', 200, 'late'));
    expect(error).toBeInstanceOf(SyncBridgeTimeoutError);
    expect(error).toMatchObject({ functionName: 'sleep', timeoutMs: 20 });
    expect(bridge.call('add', 1, 2)).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the late answer is on the port by now
    expect(bridge.call('sleep', 0, 'fresh')).toBe('fresh');
  });

  it('applies the default timeout given at creation', () => {
    const bridge = createSyncBridge<typeof BridgeModule>(fixture('bridge-module.mjs'), { timeout: 10 });
    bridges.push(bridge);
    expect(() => bridge.call('sleep', 60_000, 'never')).toThrow(SyncBridgeTimeoutError);
    expect(bridge.callWithTimeout(undefined, 'add', 2, 2)).toBe(4);
  });
});

describe('sync bridge: lifecycle', () => {
  it('close() stops the helper; later calls throw SyncBridgeClosedError', async () => {
    const bridge = open();
    expect(bridge.call('add', 1, 1)).toBe(2);
    expect(bridge.closed).toBe(false);
    await bridge.close();
    expect(bridge.closed).toBe(true);
    expect(() => bridge.call('add', 1, 1)).toThrow(SyncBridgeClosedError);
    await bridge.close(); // twice is fine
  });

  it('a helper that crashes fails the blocked call and every later one', () => {
    const bridge = open();
    const error = thrownBy(() => bridge.call('crashLater'));
    expect(error).toBeInstanceOf(SyncBridgeClosedError);
    expect(((error as Error).cause as Error).message).toBe('helper crashed');
    expect(() => bridge.call('add', 1, 1)).toThrow(SyncBridgeClosedError);
    expect(bridge.closed).toBe(true);
  });

  it('a helper whose module calls process.exit fails the blocked call', () => {
    const bridge = open();
    expect(thrownBy(() => bridge.call('exitHelper'))).toBeInstanceOf(SyncBridgeClosedError);
  });

  it('does not keep the process alive: a script that never closes its bridge exits', async () => {
    const output = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        [fileURLToPath(fixture('bridge-no-close.mjs'))],
        { timeout: 60_000 },
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      );
    });
    expect(output.trim()).toBe('42');
  });
});

describe('sync bridge: used from several threads at once', () => {
  it('each thread with its own bridge gets exactly its own answers', async () => {
    const moduleUrl = fixture('bridge-module.mjs').href;
    const calls = 400;
    const workers = [1000, 2000].map(
      (salt) => new Worker(fixture('bridge-caller.mjs'), { workerData: { moduleUrl, calls, salt } }),
    );
    const results = workers.map(firstMessage);
    // The main thread calls at the same time.
    const bridge = open();
    let correct = 0;
    for (let i = 0; i < calls; i++) if (bridge.call('add', i, 7) === i + 7) correct++;
    expect(correct).toBe(calls);
    const perWorker = calls + calls / 50; // adds, plus one failing call every 50
    expect(await Promise.all(results)).toEqual([perWorker, perWorker]);
  });
});
