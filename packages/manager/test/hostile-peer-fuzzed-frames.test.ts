/**
 * The hostile-peer suite: generated and mutated frames, from an authenticated peer on a real socket,
 * against a manager serving in a process of its own. Seeds are real frames holding every weft handle
 * kind and SharedArrayBuffer ids that process knows. A watchdog fails the run if the host exits
 * (crashes), its RSS passes a bound, or any exchange hangs; nothing a frame holds may run as code
 * (a PriorityQueue comparator whose source writes a marker file is among the seeds).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeStrict, encode } from '@weft/codec';
import { Client } from '@weft/manager';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawPeer } from './hostile-wire.js';

const HOST = fileURLToPath(new URL('./fixtures/hostile-host.mjs', import.meta.url));
/** The host's resident memory may not pass this (it idles around 100 MB). */
const RSS_BOUND_BYTES = 768 * 1024 * 1024;
/** Any exchange that takes longer is a hang. */
const EXCHANGE_TIMEOUT_MS = 10_000;
const PING_ID = 1_000_000;
const PONG = Buffer.from(encode([2, PING_ID, 'pong']));

interface HostInfo {
  port: number;
  objects: { dict: number; list: number; queue: number; lock: number };
  seeds: Record<string, string>;
}

class Host {
  readonly child: ChildProcess;
  info!: HostInfo;
  failure: string | undefined;
  private stderr = '';
  private readonly watchdog: NodeJS.Timeout;

  constructor(readonly marker: string) {
    this.child = spawn(process.execPath, [HOST, marker], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    this.child.once('exit', (code, signal) => {
      this.failure ??= `the host died (code ${code}, signal ${signal}): ${this.stderr}`;
    });
    this.watchdog = setInterval(() => {
      const rss = residentBytes(this.child.pid);
      if (rss !== undefined && rss > RSS_BOUND_BYTES) {
        this.failure ??= `the host's RSS reached ${Math.round(rss / 2 ** 20)} MiB, over ${RSS_BOUND_BYTES / 2 ** 20} MiB`;
        this.child.kill('SIGKILL');
      }
    }, 50);
    this.watchdog.unref();
  }

  async started(): Promise<HostInfo> {
    let output = '';
    this.info = await new Promise<HostInfo>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the host did not start: ${this.stderr}`)), 30_000);
      this.child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const newline = output.indexOf('\n');
        if (newline < 0) return;
        clearTimeout(timer);
        resolve(JSON.parse(output.slice(0, newline)) as HostInfo);
      });
      this.child.once('exit', () => reject(new Error(this.failure)));
    });
    return this.info;
  }

  /** Throws the watchdog's finding, if any: the host died, grew too big, or code ran. */
  check(what: string): void {
    if (this.failure !== undefined) throw new Error(`${what}: ${this.failure}`);
    if (existsSync(this.marker)) throw new Error(`${what}: code sent by the peer ran in the host`);
  }

  async stop(): Promise<void> {
    clearInterval(this.watchdog);
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

function residentBytes(pid: number | undefined): number | undefined {
  if (pid === undefined || process.platform !== 'linux') return undefined;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined; // gone: the exit handler reports it
  }
}

let host: Host;
let dir: string;
let peer: RawPeer | undefined;

/**
 * Sends `frame`, then a ping, on the current connection (a new authenticated one if the last was
 * closed). The server must answer the ping or close the connection within the bound: anything else
 * is a hang. @returns 'answered' or 'closed'.
 */
async function exchange(frame: Uint8Array, what: string): Promise<'answered' | 'closed'> {
  host.check(what);
  if (peer === undefined || peer.socket.destroyed) {
    peer = await RawPeer.authenticated(['127.0.0.1', host.info.port], 'hostile');
  }
  peer.send(frame);
  peer.send(encode([0, PING_ID, 0, 'ping', []]));
  const deadline = performance.now() + EXCHANGE_TIMEOUT_MS;
  for (;;) {
    let answer: Buffer;
    try {
      answer = await peer.next(Math.max(1, deadline - performance.now()));
    } catch (error) {
      if (peer.socket.destroyed) {
        peer = undefined;
        host.check(what);
        return 'closed';
      }
      host.check(what);
      throw new Error(`${what}: the server neither answered nor closed (${(error as Error).message})`);
    }
    if (answer.equals(PONG)) {
      host.check(what);
      return 'answered';
    }
    // Any other answer is data only, by the same strict rules the server applies to us.
    decodeStrict(answer);
  }
}

/** A generated value, for a failure message (some have no string form: null prototypes). */
function describeValue(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function seed(name: string): Uint8Array {
  return new Uint8Array(Buffer.from(host.info.seeds[name]!, 'base64'));
}

describe('hostile peer: generated and mutated frames against a real manager over a real socket', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'weft-hostile-suite-'));
    host = new Host(join(dir, 'pwned'));
    await host.started();
  });

  afterAll(async () => {
    peer?.close();
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every weft handle kind and buffer id, in every position, is refused and closes only that connection', async () => {
    const names = Object.keys(host.info.seeds);
    expect(names.length).toBeGreaterThanOrEqual(19 * 4);
    for (const name of names) {
      const outcome = await exchange(seed(name), name);
      // Only a manager proxy (a plain-data RemoteRef) may arrive; every other kind closes the connection.
      expect([name, outcome]).toEqual([name, name.endsWith('ManagerProxy') ? 'answered' : 'closed']);
    }
  });

  it('mutated seeds: flipped bytes, truncations, splices and trailing garbage', async () => {
    const names = Object.keys(host.info.seeds);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...names),
        fc.constantFrom(...names),
        fc.array(fc.record({ at: fc.nat(), byte: fc.nat(255) }), { maxLength: 6 }),
        fc.constantFrom('flip', 'truncate', 'splice', 'append'),
        fc.nat(),
        fc.uint8Array({ maxLength: 16 }),
        async (first, second, flips, mode, cut, extra) => {
          let bytes = Buffer.from(seed(first));
          for (const { at, byte } of flips) bytes[at % bytes.length] = byte;
          if (mode === 'truncate') bytes = bytes.subarray(0, cut % bytes.length);
          if (mode === 'splice') {
            const other = seed(second);
            bytes = Buffer.concat([
              bytes.subarray(0, cut % bytes.length),
              other.subarray(cut % other.length),
            ]);
          }
          if (mode === 'append') bytes = Buffer.concat([bytes, extra]);
          await exchange(bytes, `${mode} of ${first}`);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('generated calls: any object id, method name and arguments', async () => {
    const { dict, list, queue, lock } = host.info.objects;
    const smallValue = fc.anything({
      maxDepth: 2,
      maxKeys: 4,
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withTypedArray: true,
      withSparseArray: true,
      withNullPrototype: true,
    });
    const method = fc.constantFrom(
      'ping',
      'create',
      'typeid',
      'locate',
      'adoptOwner',
      'get',
      'set',
      'append',
      'extend',
      'insert',
      'put',
      'putNowait',
      'getNowait',
      'qsize',
      'acquire',
      'locked',
      'toArray',
      'keys',
      'update',
      'toHandle',
      'fromHandle',
      'word',
      'held',
      'items',
      'onPut',
      'constructor',
      '__proto__',
      'then',
      'valueOf',
      'toString',
      'hasOwnProperty',
      '_private',
      'getSync',
      '',
    );
    const typeid = fc.constantFrom('dict', 'list', 'Array', 'Queue', 'Barrier', 'Semaphore', 'Value', 'nope');
    const createArgs = fc.tuple(
      typeid,
      fc.array(fc.oneof(smallValue, fc.constantFrom(4e8, 2 ** 53, -1, 1e308, 'd')), { maxLength: 3 }),
    );
    const objectId = fc.oneof(fc.constantFrom(0, dict, list, queue, lock, 999_999, -1, 1.5), smallValue);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(0, 0, 0, 1, 2, 3, 9),
        fc.oneof(fc.nat(), smallValue),
        objectId,
        method,
        fc.oneof(fc.array(smallValue, { maxLength: 4 }), createArgs, smallValue),
        async (type, callId, object, name, args) => {
          const message = [type, callId, object, name, args];
          await exchange(encode(message), `call ${describeValue(name)} on ${describeValue(object)}`);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('random frames', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 256 }), async (bytes) => {
        await exchange(bytes, 'random bytes');
      }),
      { numRuns: 1000 },
    );
  });

  it('the caps hold: a 4e8 Array, a 2^32 sparse list, 4 GiB resizable buffers, by the thousand', async () => {
    const created = await exchange(encode([0, 1, 0, 'create', ['Array', ['d', 4e8]]]), 'Array 4e8');
    expect(created).toBe('answered');
    const sparse: unknown[] = [];
    sparse.length = 2 ** 32 - 1;
    expect(await exchange(encode([0, 1, 0, 'create', ['list', [sparse]]]), 'sparse list')).toBe('closed');
    // RESIZABLE_BUFFER, length 0, max 2^32: 7 bytes that reserved 4 GiB each.
    const bomb = Buffer.from([0x11, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10]);
    const call = Buffer.from(encode([0, 1, host.info.objects.dict, 'set', ['k', null]]));
    const frame = Buffer.concat([call.subarray(0, call.length - 3), bomb, call.subarray(call.length - 2)]);
    for (let i = 0; i < 200; i++) await exchange(frame, `resizable bomb #${i}`);
  });

  it('afterwards the host is alive, within its memory bound, ran nothing, and serves a normal client', async () => {
    host.check('after the suite');
    const conn = await Client(['127.0.0.1', host.info.port], { authkey: 'hostile' });
    conn.send([0, 1, 0, 'ping', []]);
    expect(await conn.recv()).toEqual([2, 1, 'pong']);
    conn.close();
    expect(existsSync(host.marker)).toBe(false);
  });
});
