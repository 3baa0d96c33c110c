import { connectRemote, type ListProxy, Manager } from '@weft/manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('50 concurrent clients x 1,000 operations', () => {
  let manager: Manager;
  beforeAll(async () => {
    manager = await Manager.start({ address: ['127.0.0.1', 0] });
  });
  afterAll(async () => {
    await manager.shutdown();
  });

  it('each on its own socket connection: every append arrives, none twice', async () => {
    const shared = await manager.list<number>();
    const clients = Array.from(
      { length: 50 },
      () =>
        connectRemote(shared.ref, {
          ownConnection: true,
          sharedMemory: false,
        }) as unknown as ListProxy<number>,
    );
    expect(await clients[0]!.transportKind()).toBe('socket');
    const perClient = 1000;
    await Promise.all(
      clients.map(async (client, c) => {
        // Pipelined in batches: many calls in flight on each connection at once.
        for (let i = 0; i < perClient; i += 100) {
          const batch = [];
          for (let j = i; j < i + 100; j++) batch.push(client.append(c * perClient + j));
          await Promise.all(batch);
        }
      }),
    );
    const items = await shared.toArray();
    expect(items.length).toBe(50 * perClient);
    const sorted = items.slice().sort((a, b) => a - b);
    for (let k = 0; k < sorted.length; k++) if (sorted[k] !== k) expect(sorted[k]).toBe(k);
    for (const client of clients) client.close();
  });
});
