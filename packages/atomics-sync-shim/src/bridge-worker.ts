/**
 * The helper thread of a sync bridge: imports the user's module, runs the functions it is asked to
 * run (awaiting their promises, several at a time), and answers each request on the port.
 */
import { workerData } from 'node:worker_threads';
import { ANSWERS, type BridgeAnswer, type BridgeRequest, type BridgeWorkerData } from './bridge-protocol.js';
import { toTransported } from './transported-error.js';

const { moduleUrl, port, state } = workerData as BridgeWorkerData;
const answers = new Int32Array(state);
let fatalSent = false;

function answer(message: BridgeAnswer, functionName: string): void {
  try {
    port.postMessage(message);
  } catch (cloneError) {
    // The result could not be cloned (a function, a class instance with private state, …).
    port.postMessage({
      id: message.id,
      ok: false,
      error: toTransported(
        new TypeError(
          `the result of ${functionName}() cannot cross to the calling thread: ${String(cloneError)}`,
        ),
      ),
    } satisfies BridgeAnswer);
  }
  // Post first, bump second: a caller that sees the new count finds the answer on its port.
  Atomics.add(answers, ANSWERS, 1);
  Atomics.notify(answers, ANSWERS);
}

function sendFatal(reason: unknown): void {
  if (fatalSent) return;
  fatalSent = true;
  port.postMessage({ id: 0, ok: false, fatal: toTransported(reason) } satisfies BridgeAnswer);
  Atomics.add(answers, ANSWERS, 1);
  Atomics.notify(answers, ANSWERS);
}

// A crash of the helper must wake a blocked caller: it cannot see the Worker's 'exit' event, since its
// event loop is stopped while it waits.
process.on('uncaughtException', (error) => {
  sendFatal(error);
  process.exit(1);
});
process.on('unhandledRejection', (reason) => {
  sendFatal(reason);
  process.exit(1);
});
process.on('exit', (code) => {
  sendFatal(new Error(`the sync bridge's helper thread exited (code ${code})`));
});

const loaded: Promise<Record<string, unknown>> = import(moduleUrl);
loaded.catch(() => {}); // reported to each call below

port.on('message', async ({ id, name, args }: BridgeRequest) => {
  let message: BridgeAnswer;
  try {
    const module = await loaded.catch((error: unknown) => {
      const hint =
        (error as { code?: unknown } | null)?.code === 'ERR_UNKNOWN_FILE_EXTENSION'
          ? ' (a loader such as tsx does not reach worker threads on Node 20: point the bridge at a JavaScript module)'
          : '';
      throw new Error(`the sync bridge could not load ${moduleUrl}: ${String(error)}${hint}`, {
        cause: error,
      });
    });
    const fn = module[name] ?? (module.default as Record<string, unknown> | undefined)?.[name];
    if (typeof fn !== 'function') throw new TypeError(`${moduleUrl} exports no function named "${name}"`);
    const value: unknown = await fn(...args);
    message = { id, ok: true, value };
  } catch (error) {
    message = { id, ok: false, error: toTransported(error) };
  }
  answer(message, name);
});
