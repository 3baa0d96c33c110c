import { Process, ValueError } from '@weft/pool';
import { describe, expect, it } from 'vitest';
import { greet } from './fixtures/processes.mjs';

describe("a closed Process refuses what Python's does, with ValueError('process object is closed')", () => {
  for (const context of ['thread', 'process'] as const) {
    it(`after start, join and close (${context} context)`, async () => {
      const p = new Process({ target: greet, args: ['closed'], context, name: 'closing' });
      p.start();
      await p.join(30_000);
      expect(p.exitCode).toBe(0);
      p.close();
      const refused: [string, () => unknown][] = [
        ['start', () => p.start()],
        ['terminate', () => p.terminate()],
        ['kill', () => p.kill()],
        ['isAlive', () => p.isAlive()],
        ['exitCode', () => p.exitCode],
        ['pid', () => p.pid],
        ['ident', () => p.ident],
      ];
      for (const [, call] of refused) {
        expect(call).toThrow(ValueError);
        expect(call).toThrow('process object is closed');
      }
      await expect(p.join()).rejects.toThrow(ValueError);
      await expect(p.join(10)).rejects.toThrow('process object is closed');
      // what Python keeps: the name, the daemon flag, close() again, and a repr saying closed
      expect(p.name).toBe('closing');
      expect(p.daemon).toBe(false);
      expect(() => p.close()).not.toThrow();
      expect(String(p)).toMatch(/ name='closing' closed>$/);
    });
  }

  it('a Process closed before it started refuses start()', () => {
    const p = new Process({ target: greet, args: ['never'] });
    p.close();
    expect(() => p.start()).toThrow('process object is closed');
    expect(() => p.isAlive()).toThrow(ValueError);
  });
});
