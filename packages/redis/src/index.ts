export {
  describeTarget,
  RedisAuthError,
  type RedisConnectionOptions,
  type RedisTarget,
} from './connection.js';
export { FunctionNotShippableError, TaskLostError } from './errors.js';
export {
  RedisExecutor,
  type RedisExecutorOptions,
  type RedisMapOptions,
  type RedisShutdownOptions,
  type WorkerInfo,
} from './redis-executor.js';
export {
  type RedisGetOptions,
  type RedisJoinOptions,
  type RedisPutOptions,
  RedisQueue,
  type RedisQueueOptions,
} from './redis-queue.js';
export { task } from './remote-function.js';
export { type RedisWorker, type ServeRedisExecutorOptions, serveRedisExecutor } from './serve.js';
