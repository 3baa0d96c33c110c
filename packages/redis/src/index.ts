export {
  describeTarget,
  RedisAuthError,
  type RedisConnectionOptions,
  type RedisTarget,
} from './connection.js';
export {
  type RedisGetOptions,
  type RedisJoinOptions,
  type RedisPutOptions,
  RedisQueue,
  type RedisQueueOptions,
} from './redis-queue.js';
