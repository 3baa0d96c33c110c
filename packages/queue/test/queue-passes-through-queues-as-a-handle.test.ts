import { decode, encode } from '@weft/codec';
import { JoinableQueue, LifoQueue, PriorityQueue, Queue, queueToHandle } from '@weft/queue';
import { describe, expect, it } from 'vitest';
import { runWorker } from './run-worker.js';

describe('a queue is a handle', () => {
  it('encodes by reference: the decoded queue is the same queue, of the same kind', () => {
    for (const queue of [new Queue(3), new JoinableQueue(), new LifoQueue(), new PriorityQueue()]) {
      const copy = decode(encode(queue)) as Queue<number>;
      expect(copy).not.toBe(queue);
      expect(copy.constructor).toBe(queue.constructor);
      copy.putSync(1);
      expect(queue.qsize()).toBe(1);
      expect(queue.getSync()).toBe(1);
    }
  });

  it('travels through another queue to a worker, which then uses it', async () => {
    const inbox = new Queue<{ reply: Queue<unknown>; tag: string }>();
    const reply = new LifoQueue<unknown>({ maxsize: 100 });
    await inbox.put({ reply, tag: 'from worker' });
    await runWorker('queue-through-queue.mjs', { inbox: queueToHandle(inbox) }).done;
    expect(reply.qsize()).toBe(6);
    const items = [];
    while (!reply.empty()) items.push(reply.getSync());
    expect(items).toEqual([4, 3, 2, 1, 0, 'from worker: LifoQueue 100']);
  });
});
