import { CancelledTask, Pool, type TaskSink } from '@weft/pool';
import { describe, expect, it } from 'vitest';
import { fail, ownTaskId, slowDouble, square } from './fixtures/tasks.mjs';

/** A sink that records what it is given, in order. */
function recorder(): TaskSink & { outcome: Promise<[string, unknown]> } {
  let settle!: (value: [string, unknown]) => void;
  const outcome = new Promise<[string, unknown]>((resolve) => (settle = resolve));
  return {
    outcome,
    resolve: (value) => settle(['value', value]),
    reject: (error) => settle(['error', error]),
  };
}

for (const context of ['thread', 'process'] as const) {
  describe(`submitTo: a task's outcome handed to a sink (${context} context)`, () => {
    it('hands the value or the error to the sink; the control reports the state and id', async () => {
      await using pool = new Pool(2, { context });
      const ok = recorder();
      const control = pool.submitTo(ok, square, [7]);
      expect(['queued', 'running', 'done']).toContain(control.state);
      expect(control.id).toBeGreaterThan(0);
      expect(await ok.outcome).toEqual(['value', 49]);
      expect(control.state).toBe('done');
      expect(control.cancel()).toBe(false);
      const bad = recorder();
      pool.submitTo(bad, fail, ['nope']);
      const [kind, error] = await bad.outcome;
      expect(kind).toBe('error');
      expect((error as Error).message).toContain('nope');
      const own = recorder();
      const ownControl = pool.submitTo(own, ownTaskId, []);
      if (context === 'thread') expect(await own.outcome).toEqual(['value', ownControl.id]);
      else await own.outcome;
    });

    it('one sink serves many tasks: each outcome comes with the token its task was submitted with', async () => {
      await using pool = new Pool(2, { context });
      const outcomes = new Map<unknown, [string, unknown]>();
      let expected = 0;
      let settled!: () => void;
      const all = new Promise<void>((resolve) => (settled = resolve));
      const record = (kind: string) => (value: unknown, token?: unknown) => {
        expect(outcomes.has(token)).toBe(false);
        outcomes.set(token, [kind, value]);
        if (outcomes.size === expected) settled();
      };
      const sink: TaskSink = { resolve: record('value'), reject: record('error') };
      const tokens = Array.from({ length: 300 }, (_, i) => ({ i }));
      expected = tokens.length;
      for (const token of tokens) {
        if (token.i % 7 === 3) pool.submitTo(sink, fail, [`bad ${token.i}`], undefined, token);
        else pool.submitTo(sink, square, [token.i], undefined, token);
      }
      await all;
      for (const token of tokens) {
        const [kind, value] = outcomes.get(token)!;
        if (token.i % 7 === 3) {
          expect(kind).toBe('error');
          expect((value as Error).message).toContain(`bad ${token.i}`);
        } else expect([kind, value]).toEqual(['value', token.i * token.i]);
      }
    });

    it('cancel() withdraws a queued task: the sink gets CancelledTask, the task never runs', async () => {
      await using pool = new Pool(1, { context });
      const blocker = recorder();
      pool.submitTo(blocker, slowDouble, [1, 300]);
      // queued behind the blocker (in the process context it may already sit in the child's window)
      const sinks = Array.from({ length: 20 }, () => recorder());
      const controls = sinks.map((sink, i) => pool.submitTo(sink, square, [i]));
      const last = controls[controls.length - 1]!;
      const cancelled = last.cancel();
      expect(await blocker.outcome).toEqual(['value', 2]);
      const [kind, value] = await sinks[sinks.length - 1]!.outcome;
      if (cancelled) {
        expect(kind).toBe('error');
        expect(value).toBeInstanceOf(CancelledTask);
      } else expect([kind, value]).toEqual(['value', 19 * 19]);
      for (let i = 0; i < sinks.length - 1; i++) expect(await sinks[i]!.outcome).toEqual(['value', i * i]);
    });
  });
}
