import { LifoQueue, PriorityQueue, type Queue, queueToHandle } from '@weft/queue';
import { describe, expect, it } from 'vitest';
import { runWorker } from './run-worker.js';

function drain<T>(queue: Queue<T>): T[] {
  const items: T[] = [];
  while (!queue.empty()) items.push(queue.getSync());
  return items;
}

describe('LifoQueue', () => {
  it('gets the item put last first', async () => {
    const queue = new LifoQueue<number>();
    for (let i = 0; i < 5; i++) await queue.put(i);
    expect(drain(queue)).toEqual([4, 3, 2, 1, 0]);
  });

  it('respects maxsize like any queue', () => {
    const queue = new LifoQueue({ maxsize: 2 });
    queue.putNowait(1);
    queue.putNowait(2);
    expect(queue.full()).toBe(true);
    expect(() => queue.putNowait(3)).toThrow('queue is full');
  });
});

describe('PriorityQueue orders like Python', () => {
  it("puts (1,'work'), (-1,'life'), (1,'drink'), (-2,'sleep') and gets -2, -1, (1,'drink'), (1,'work') (the notes s4-30)", () => {
    const queue = new PriorityQueue<[number, string]>();
    for (const item of [
      [1, 'work'],
      [-1, 'life'],
      [1, 'drink'],
      [-2, 'sleep'],
    ] as [number, string][])
      queue.putSync(item);
    expect(drain(queue)).toEqual([
      [-2, 'sleep'],
      [-1, 'life'],
      [1, 'drink'],
      [1, 'work'],
    ]);
  });

  it('orders numbers, strings by code point, and arrays element by element then by length', () => {
    const numbers = new PriorityQueue<number>();
    for (const n of [3, -1.5, 10, 0, 2n as unknown as number, true as unknown as number]) numbers.putSync(n);
    expect(drain(numbers)).toEqual([-1.5, 0, true, 2n, 3, 10]);
    const strings = new PriorityQueue<string>();
    for (const s of ['b', 'a', 'ab', '', 'B', '\u{1F600}', '\uFFFF']) strings.putSync(s);
    expect(drain(strings)).toEqual(['', 'B', 'a', 'ab', 'b', '\uFFFF', '\u{1F600}']);
    const arrays = new PriorityQueue<unknown[]>();
    for (const a of [[1, 2], [1], [0, 'z'], [1, 2, 0]]) arrays.putSync(a);
    // [1] < [1, 2] < [1, 2, 0]
    expect(drain(arrays)).toEqual([[0, 'z'], [1], [1, 2], [1, 2, 0]]);
    const nested = new PriorityQueue<unknown[]>();
    for (const a of [
      [[2], 'x'],
      [[1, 5], 'y'],
      [[1], 'z'],
    ])
      nested.putSync(a);
    expect(drain(nested)).toEqual([
      [[1], 'z'],
      [[1, 5], 'y'],
      [[2], 'x'],
    ]);
  });

  it('keeps items that compare equal in the order they were put', () => {
    const queue = new PriorityQueue<[number, { id: number }]>({ compare: (a, b) => a[0] - b[0] });
    for (let id = 0; id < 20; id++) queue.putSync([id % 3, { id }]);
    const ids = drain(queue).map(([, { id }]) => id);
    expect(ids).toEqual([0, 3, 6, 9, 12, 15, 18, 1, 4, 7, 10, 13, 16, 19, 2, 5, 8, 11, 14, 17]);
  });

  it("raises TypeError like Python when items can't be compared, and puts nothing", () => {
    const queue = new PriorityQueue<unknown>();
    queue.putSync(1);
    expect(() => queue.putSync('a')).toThrow(TypeError);
    expect(() => queue.putSync('a')).toThrow("'<' not supported between instances of 'str' and 'int'");
    expect(queue.qsize()).toBe(1);
    const tuples = new PriorityQueue<unknown>();
    tuples.putSync([1, 'a']);
    // Python: (1, 2) < (1, 'a') compares 2 with 'a' -> TypeError; (2, 2) never reaches the second element.
    expect(() => tuples.putSync([1, 2])).toThrow(TypeError);
    tuples.putSync([2, 2]);
    const objects = new PriorityQueue<unknown>();
    objects.putSync({ a: 1 });
    expect(() => objects.putSync({ a: 2 })).toThrow(
      "'<' not supported between instances of 'dict' and 'dict'",
    );
    expect(() => objects.putSync(null)).toThrow(TypeError);
  });

  it('a compare option overrides the order', () => {
    const queue = new PriorityQueue<{ name: string; rank: number }>({ compare: (a, b) => b.rank - a.rank });
    for (const [name, rank] of [
      ['low', 1],
      ['high', 9],
      ['mid', 5],
    ] as const)
      queue.putSync({ name, rank });
    expect(drain(queue).map((item) => item.name)).toEqual(['high', 'mid', 'low']);
  });

  it('keeps its order (and its compare, shipped as source) when used from another thread', async () => {
    const queue = new PriorityQueue<number>({ compare: (a, b) => b - a });
    queue.putSync(5);
    await runWorker('producer.mjs', { handle: queueToHandle(queue), producer: 0, count: 0, mode: 'sync' })
      .done;
    const python = new PriorityQueue<number>();
    for (const q of [queue, python]) for (const n of [3, 9, 1]) q.putSync(n);
    expect(drain(queue)).toEqual([9, 5, 3, 1]);
    expect(drain(python)).toEqual([1, 3, 9]);
  });
});
