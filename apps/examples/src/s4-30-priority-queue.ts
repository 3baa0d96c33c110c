/**
 * s4-30 — seeds/004_10c85533a5432f39.txt, `queue.PriorityQueue()` of tuples: put (1,"work"),
 * (-1,"life"), (1,"drink"), (-2,"sleep"); four gets give (-2, 'sleep') (-1, 'life') (1, 'drink')
 * (1, 'work'): smaller first, ties broken by the next element, as Python compares tuples. Tuples are
 * arrays here; weft's default order compares arrays element by element like Python.
 */
import { PriorityQueue } from '@weft/queue';
import { print, repr } from './lib/print.js';

type Item = [number, string];
const tuple = (item: Item) => `(${item.map(repr).join(', ')})`;

const q = new PriorityQueue<Item>();
// 每个元素都是元组, 数字越小优先级越高
await q.put([1, 'work']);
await q.put([-1, 'life']);
await q.put([1, 'drink']);
await q.put([-2, 'sleep']);
print(tuple(await q.get()));
print(tuple(await q.get()));
print(tuple(await q.get()));
print(tuple(await q.get()));
