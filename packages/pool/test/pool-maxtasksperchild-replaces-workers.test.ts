import { Pool } from '@weft/pool';
import { describe, expect, it } from 'vitest';
import { threadId } from './fixtures/tasks.mjs';

describe('maxtasksperchild', () => {
  it('with 10, 100 tasks see every worker replaced', async () => {
    await using pool = new Pool(2, { maxtasksperchild: 10 });
    const ids = await pool.map(
      threadId,
      Array.from({ length: 100 }, (_, i) => i),
      1,
    );
    // each worker runs at most 10 tasks: at least 10 distinct workers served 100 tasks
    const counts = new Map<number, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect(counts.size).toBeGreaterThanOrEqual(10);
    for (const count of counts.values()) expect(count).toBeLessThanOrEqual(10);
  });
});
