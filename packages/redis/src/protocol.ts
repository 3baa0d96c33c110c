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
 * Messages of one script call to the same client go in one stream entry (fields m, m, ...): one XADD
 * per client and call rather than per task. At most 200 messages an entry (Lua's unpack has a limit).
 */
const GROUPED_XADD = `
local grouped, order = {}, {}
local function add(key, message)
  local fields = grouped[key]
  if fields == nil then
    fields = {}
    grouped[key] = fields
    order[#order + 1] = key
  end
  fields[#fields + 1] = 'm'
  fields[#fields + 1] = message
end
local function flush(ttl)
  for _, key in ipairs(order) do
    local fields = grouped[key]
    for first = 1, #fields, 400 do
      redis.call('XADD', key, '*', unpack(fields, first, math.min(first + 399, #fields)))
    end
    redis.call('PEXPIRE', key, ttl)
  end
end`;

/**
 * A worker takes tasks (every task of one read in one call: a script call costs Redis more than the
 * commands inside it). KEYS: tasks stream, then (task hash, results stream) per task. ARGV: worker,
 * ttl ms, then (entry id, maxAttempts, started message) per task.
 * Returns per task 0 (cancelled or finished: the entry is dropped), the attempt number, or minus the
 * attempt number when it is past maxAttempts (the worker then fails the task without running it).
 */
export const START_SCRIPT = `${GROUPED_XADD}
local out = {}
for i = 1, (#KEYS - 1) / 2 do
  local task, results = KEYS[2 * i], KEYS[2 * i + 1]
  local entry, max, message = ARGV[3 * i], tonumber(ARGV[3 * i + 1]), ARGV[3 * i + 2]
  local state = redis.call('HGET', task, 'state')
  if state == 'cancelled' or state == 'done' then
    redis.call('XACK', KEYS[1], '${WORKERS_GROUP}', entry)
    redis.call('XDEL', KEYS[1], entry)
    out[i] = 0
  else
    local attempts = redis.call('HINCRBY', task, 'attempts', 1)
    redis.call('HSET', task, 'state', 'running', 'worker', ARGV[1])
    if attempts > max then
      out[i] = -attempts
    else
      add(results, message)
      out[i] = attempts
    end
  end
end
flush(ARGV[2])
return out`;

/**
 * A worker reports outcomes (those ready in the same turn of its event loop, in one call). KEYS: tasks
 * stream, then (task hash, results stream) per task. ARGV: ttl ms, then (entry id, message) per task.
 * Only the first outcome of a task reaches its client (a task run twice reports once).
 */
export const FINISH_SCRIPT = `${GROUPED_XADD}
local out = {}
for i = 1, (#KEYS - 1) / 2 do
  local task, results = KEYS[2 * i], KEYS[2 * i + 1]
  local entry, message = ARGV[2 * i], ARGV[2 * i + 1]
  redis.call('XACK', KEYS[1], '${WORKERS_GROUP}', entry)
  redis.call('XDEL', KEYS[1], entry)
  if redis.call('HGET', task, 'state') == 'running' then
    redis.call('HSET', task, 'state', 'done')
    redis.call('PEXPIRE', task, ARGV[1])
    add(results, message)
    out[i] = 1
  else
    out[i] = 0
  end
end
flush(ARGV[1])
return out`;

/** The client cancels a task not yet taken. KEYS: task hash. ARGV: ttl ms. Returns 1 when cancelled. */
export const CANCEL_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'state', 'cancelled')
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1`;
