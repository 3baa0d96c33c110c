import { asCompleted, Future, TimeoutError } from '@weft/executor';
import { describe, expect, it } from 'vitest';

function finished<T>(value: T): Future<T> {
  const f = new Future<T>();
  f.setResult(value);
  return f;
}

describe('asCompleted', () => {
  it('yields already-finished futures first, then in completion order, duplicates once', async () => {
    const a = new Future<string>();
    const b = new Future<string>();
    const c = finished('c');
    const d = new Future<string>();
    d.cancel();
    setTimeout(() => b.setResult('b'), 5);
    setTimeout(() => a.setResult('a'), 30);
    const order: Future<string>[] = [];
    for await (const f of asCompleted([a, b, c, a, d, c])) order.push(f);
    expect(order).toEqual([c, d, b, a]);
  });

  it('yields futures that complete while the consumer is busy, in completion order', async () => {
    const fs = [new Future<number>(), new Future<number>(), new Future<number>()];
    setTimeout(() => fs[0]?.setResult(0), 1);
    const seen: number[] = [];
    for await (const f of asCompleted(fs)) {
      if (seen.length === 0) {
        fs[2]?.setResult(2);
        fs[1]?.setResult(1);
      }
      seen.push(f.resultSync());
    }
    expect(seen).toEqual([0, 2, 1]);
  });

  it('throws TimeoutError naming how many are unfinished, counted from the call, never early', async () => {
    const a = new Future<number>();
    const b = finished(1);
    const c = new Future<number>();
    const started = performance.now();
    const seen: Future<number>[] = [];
    let error: unknown;
    try {
      for await (const f of asCompleted([a, b, c], { timeout: 40 })) seen.push(f);
    } catch (e) {
      error = e;
    }
    expect(performance.now() - started).toBeGreaterThanOrEqual(40);
    expect(seen).toEqual([b]);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe('2 (of 3) futures unfinished');
  });

  it('does not time out when everything completes in time', async () => {
    const a = new Future<number>();
    setTimeout(() => a.setResult(1), 1);
    const seen: Future<number>[] = [];
    for await (const f of asCompleted([a], { timeout: 60_000 })) seen.push(f);
    expect(seen).toEqual([a]);
  });

  it('an empty list ends at once', async () => {
    const seen: unknown[] = [];
    for await (const f of asCompleted([])) seen.push(f);
    expect(seen).toEqual([]);
  });

  it('breaking out early removes its listeners (later completions do not reach the loop)', async () => {
    const a = finished(1);
    const b = new Future<number>();
    for await (const f of asCompleted([a, b])) {
      expect(f).toBe(a);
      break;
    }
    b.setResult(2);
    expect(b.done()).toBe(true);
  });
});
