#!/usr/bin/env node
/**
 * weft-redis-worker: joins a machine to a RedisExecutor with one command.
 *   weft-redis-worker --redis redis://host:6379 [--name default] [--prefix weft] [--concurrency N]
 *                     [--context thread|process] [--root DIR] [--visibility-timeout MS]
 * The password can come from REDIS_URL instead of the command line (not visible in `ps`).
 * SIGTERM / SIGINT: stops taking tasks, finishes the running ones, exits.
 */
import { parseArgs } from 'node:util';
import { serveRedisExecutor } from './serve.js';

const { values } = parseArgs({
  options: {
    redis: { type: 'string' },
    name: { type: 'string' },
    prefix: { type: 'string' },
    concurrency: { type: 'string' },
    context: { type: 'string' },
    root: { type: 'string' },
    'visibility-timeout': { type: 'string' },
    'heartbeat-interval': { type: 'string' },
    'worker-name': { type: 'string' },
    prefetch: { type: 'string' },
  },
});
const number = (text: string | undefined) => (text === undefined ? undefined : Number(text));
const context = values.context as 'thread' | 'process' | undefined;
if (context !== undefined && !['thread', 'process'].includes(context)) {
  console.error(`weft-redis-worker: --context must be thread or process, got ${context}`);
  process.exit(2);
}
async function main(): Promise<void> {
  try {
    const worker = await serveRedisExecutor({
      redis: values.redis ?? process.env.REDIS_URL,
      name: values.name,
      prefix: values.prefix,
      concurrency: number(values.concurrency),
      context,
      root: values.root,
      visibilityTimeout: number(values['visibility-timeout']),
      heartbeatInterval: number(values['heartbeat-interval']),
      workerName: values['worker-name'],
      prefetch: number(values.prefetch),
    });
    console.log(`weft-redis-worker ${worker.name}: serving`);
    const stop = () => {
      worker.stop().then(() => process.exit(0));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  } catch (error) {
    console.error(`weft-redis-worker: ${(error as Error).message}`);
    process.exit(1);
  }
}

void main();
