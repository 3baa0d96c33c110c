import { existsSync, readFileSync } from 'node:fs';
import { closeGate, gatePath, openGate } from './fixtures/tasks.mjs';

let nextKey = Math.floor(Math.random() * 1e9);

/** A fresh gate number for this test run (a file in the temp directory; removed when opened and done). */
export function newGate(): number {
  const key = nextKey++;
  closeGate(key);
  return key;
}

export { closeGate, openGate };

/** Resolves when `predicate` holds, polling; rejects after `timeoutMs` (generous: tests run under load). */
export async function until(predicate: () => boolean, timeoutMs = 30_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export function gateReached(key: number): boolean {
  return existsSync(gatePath(key));
}

/** The text a task wrote into a gate file (signalPidThenWait writes its pid). */
export function gateText(key: number): string {
  return readFileSync(gatePath(key), 'utf8');
}
