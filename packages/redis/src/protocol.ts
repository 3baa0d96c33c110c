/**
 * What the client and the workers write to Redis, and the scripts that change a task's state
 * atomically. Keys, under `<prefix>:exec:<executor name>`:
 *   :tasks           stream of tasks, consumer group `workers` (at-least-once, redelivery on timeout)
 *   :task:<id>       hash: state (running | done | cancelled; absent = pending), attempts, worker. Written
 *                    by the worker that starts the task and by a cancel, not by submit: a submit is one
 *                    plain XADD (a script costs Redis several times more, and Redis's CPU is what bounds
 *                    tiny tasks).
 *   :results:<client> stream of messages for one client: started, result, error (expires after resultTtl).
 *                    A stream, not a list: the client reads past its last id and trims below it, both
 *                    idempotent, so a reply lost when Redis goes away (the command is sent again after
 *                    the reconnection) never loses a result, as a pop would.
 *   :workers         sorted set: worker name → time of its last heartbeat (ms)
 */
import { decodeStrict, encode } from '@weft/codec';

export const WORKERS_GROUP = 'workers';

export interface ExecutorKeys {
  base: string;
  tasks: string;
  workers: string;
  task(id: string): string;
  results(client: string): string;
}

export function executorKeys(prefix: string, name: string): ExecutorKeys {
  const base = `${prefix}:exec:${name}`;
  return {
    base,
    tasks: `${base}:tasks`,
    workers: `${base}:workers`,
    task: (id) => `${base}:task:${id}`,
    results: (client) => `${base}:results:${client}`,
  };
}

/** The task itself, in the stream entry's `p` field. */
export interface TaskPayload {
  module: string;
  name: string;
  args: unknown[];
}

/** An error as it crosses back: its class name, message, and the stack where it was thrown. */
export interface ErrorRecord {
  name: string;
  message: string;
  stack: string;
}

/** Messages to a client: ['S', id] started, ['R', id, value] result, ['E', id, ErrorRecord] error. */
export type ClientMessage = ['S', string] | ['R', string, unknown] | ['E', string, ErrorRecord];

export function encodeMessage(message: ClientMessage): Buffer {
  const bytes = encode(message);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Decodes a message read from Redis (strictly: data only), refusing anything of another shape. */
export function decodeMessage(bytes: Uint8Array): ClientMessage {
  const message = decodeStrict(bytes) as unknown;
  if (!Array.isArray(message) || typeof message[1] !== 'string' || !['S', 'R', 'E'].includes(message[0]))
    throw new TypeError('malformed @weft/redis result message');
  if (message[0] === 'E') {
    const record = message[2] as Partial<ErrorRecord> | undefined;
    if (
      typeof record?.name !== 'string' ||
      typeof record.message !== 'string' ||
      typeof record.stack !== 'string'
    )
      throw new TypeError('malformed @weft/redis error record');
  }
  return message as ClientMessage;
}

/** Decodes a task read from Redis (strictly: data only); its arguments travel as encoded bytes inside. */
export function decodePayload(bytes: Uint8Array): TaskPayload {
  const payload = decodeStrict(bytes) as { module?: unknown; name?: unknown; args?: unknown } | undefined;
  if (
    typeof payload?.module !== 'string' ||
    typeof payload.name !== 'string' ||
    !(payload.args instanceof Uint8Array)
  )
    throw new TypeError('malformed @weft/redis task payload');
  const args = decodeStrict(payload.args);
  if (!Array.isArray(args)) throw new TypeError('malformed @weft/redis task arguments');
  return { module: payload.module, name: payload.name, args };
}

/**
 * A worker takes a task. KEYS: task hash, tasks stream, results list. ARGV: entry id, worker, maxAttempts,
 * started message, ttl ms.
 * Returns 0 (cancelled, finished or unknown: the entry is dropped), the attempt number, or minus the
 * attempt number when it is past maxAttempts (the worker then fails the task without running it).
 */
export const START_SCRIPT = `
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'cancelled' or state == 'done' then
  redis.call('XACK', KEYS[2], '${WORKERS_GROUP}', ARGV[1])
  redis.call('XDEL', KEYS[2], ARGV[1])
  return 0
end
local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('HSET', KEYS[1], 'state', 'running', 'worker', ARGV[2])
if attempts > tonumber(ARGV[3]) then return -attempts end
redis.call('XADD', KEYS[3], '*', 'm', ARGV[4])
redis.call('PEXPIRE', KEYS[3], ARGV[5])
return attempts`;

/**
 * A worker reports an outcome. KEYS: task hash, tasks stream, results list. ARGV: entry id, message,
 * ttl ms. Only the first outcome of a task reaches its client (a task run twice reports once).
 */
export const FINISH_SCRIPT = `
redis.call('XACK', KEYS[2], '${WORKERS_GROUP}', ARGV[1])
redis.call('XDEL', KEYS[2], ARGV[1])
if redis.call('HGET', KEYS[1], 'state') ~= 'running' then return 0 end
redis.call('HSET', KEYS[1], 'state', 'done')
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('XADD', KEYS[3], '*', 'm', ARGV[2])
redis.call('PEXPIRE', KEYS[3], ARGV[3])
return 1`;

/** The client cancels a task not yet taken. KEYS: task hash. ARGV: ttl ms. Returns 1 when cancelled. */
export const CANCEL_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'state', 'cancelled')
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1`;
