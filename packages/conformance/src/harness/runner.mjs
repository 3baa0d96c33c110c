/**
 * The worker thread one ported test runs in (CPython's main thread for that test). Running each test
 * in a thread of its own lets the watchdog in run-scenario.ts end a test that blocks its thread for
 * good (a frozen Atomics.wait), and kill the child processes it started, without stalling the suite.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { makeHarness } from './harness.mjs';

const { moduleUrl, className, testName, backend } = workerData;

function describeError(error) {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'Error', message: String(error) };
}

// CPython's main thread stays while it waits; a worker whose event loop empties ends instead (Node
// ends a thread whose only pending work is an await on nothing it tracks — weft's Queue.get() and
// Process.join() on daemon children are such waits today). Hold the loop open for the test's length.
const keepAlive = setInterval(() => {}, 1 << 30);

let t;
let outcome;
try {
  const module = await import(moduleUrl);
  const cls = module.classes[className];
  const test = cls?.tests[testName];
  if (typeof test !== 'function') throw new Error(`${className}.${testName} is not in ${moduleUrl}`);
  t = await makeHarness(backend, moduleUrl, (pid) => parentPort.postMessage({ type: 'child', pid }));
  const self = cls.setUp ? await cls.setUp(t) : {};
  try {
    await test(t, self);
  } finally {
    if (cls.tearDown) await cls.tearDown(t, self);
  }
  outcome = { type: 'done', ok: true };
} catch (error) {
  outcome = { type: 'done', ok: false, error: describeError(error) };
}
try {
  await t?.close();
} catch (error) {
  if (outcome.ok) outcome = { type: 'done', ok: false, error: describeError(error) };
}
clearInterval(keepAlive);
parentPort.postMessage(outcome);
