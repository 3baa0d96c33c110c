import { Condition, Lock } from '@weft/lock';
import { describe, expect, it } from 'vitest';
import { runWorker } from './run-worker.js';

describe('Condition loses no notification', () => {
  for (const [first, second] of [
    ['sync', 'sync'],
    ['async', 'async'],
    ['sync', 'async'],
  ]) {
    it(`two workers ping-pong 5,000 turns with notify(1) (${first} / ${second})`, async () => {
      const condition = new Condition(new Lock());
      const turnBuffer = new SharedArrayBuffer(8);
      const handle = condition.toHandle();
      await Promise.all([
        runWorker('condition-ping-pong', { handle, turnBuffer, me: 0, rounds: 5000, mode: first }),
        runWorker('condition-ping-pong', { handle, turnBuffer, me: 1, rounds: 5000, mode: second }),
      ]);
      expect(new Int32Array(turnBuffer)[1]).toBe(10_000);
    });
  }
});
