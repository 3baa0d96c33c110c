// A BullMQ worker process for the redis bench: the same tiny task as weft's (x + 1), concurrency 1.
import { Worker } from 'bullmq';

const { port, queue } = JSON.parse(process.argv[2]);
const worker = new Worker(queue, async (job) => job.data.x + 1, {
  connection: { host: '127.0.0.1', port, maxRetriesPerRequest: null },
  concurrency: 1,
});
await worker.waitUntilReady();
process.stdout.write('ready\n');
process.on('SIGTERM', async () => {
  await worker.close();
  process.exit(0);
});
