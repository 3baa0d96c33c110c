import { execFile } from 'node:child_process';
import { type DictProxy, Listener, Manager } from '@weft/manager';
import { runPython, runWorker, type Suite, workerPath } from '../harness.js';

const CALLS = 20_000;
const MESSAGES = 20_000;
const AUTHKEY = 'weft-bench';

let manager: Manager | undefined;
let dict: DictProxy | undefined;

/** dict.set calls per second from a worker thread through a Manager proxy (shared-memory path). */
async function dictSetFromWorker(): Promise<number> {
  return (await runWorker('manager-dict-set.mjs', { ref: dict!.ref, calls: CALLS })) as number;
}

/** Echoes every message until the client sends null. */
async function echo(listener: Listener): Promise<void> {
  const conn = await listener.accept();
  for (;;) {
    const message = await conn.recv();
    if (message === null) break;
    conn.send(message);
  }
  conn.close();
}

/** Request/response round trips per second; the client in a worker thread of this process. */
async function connectionFromThread(): Promise<number> {
  await using listener = await Listener.listen(['127.0.0.1', 0], { authkey: AUTHKEY });
  const served = echo(listener);
  const rate = (await runWorker('manager-client.mjs', {
    address: listener.address,
    authkey: AUTHKEY,
    messages: MESSAGES,
  })) as number;
  await served;
  return rate;
}

/** The same, the client in another OS process (TCP on 127.0.0.1). */
async function connectionFromProcess(): Promise<number> {
  await using listener = await Listener.listen(['127.0.0.1', 0], { authkey: AUTHKEY });
  const served = echo(listener);
  const args = JSON.stringify({ address: listener.address, authkey: AUTHKEY, messages: MESSAGES });
  const rate = await new Promise<number>((resolve, reject) => {
    execFile(process.execPath, [workerPath('manager-client.mjs'), args], (error, stdout) => {
      if (error) reject(error);
      else resolve(Number(JSON.parse(String(stdout).trim().split('\n').pop() ?? 'NaN')));
    });
  });
  await served;
  return rate;
}

const suite: Suite = {
  name: 'manager',
  setup: async () => {
    manager = await Manager.start();
    dict = await manager.dict();
  },
  teardown: async () => {
    await manager?.shutdown();
  },
  rows: [
    {
      name: 'Manager dict.set round trip from a worker (Python: Manager().dict() __setitem__ from a process)',
      unit: 'calls/s',
      better: 'higher',
      weft: dictSetFromWorker,
      anchors: { python: () => runPython('manager_dict_set.py', [CALLS]) },
      goal: { anchor: 'python', ratio: 3 },
    },
    {
      name: 'Listener/Client request/response [42,null,"hello"], client in a worker thread',
      unit: 'msgs/s',
      better: 'higher',
      weft: connectionFromThread,
      anchors: { python: () => runPython('manager_connection.py', [MESSAGES]) },
      goal: { anchor: 'python', ratio: 3 },
    },
    {
      name: 'Listener/Client request/response [42,null,"hello"], client in another process (TCP)',
      unit: 'msgs/s',
      better: 'higher',
      weft: connectionFromProcess,
      anchors: { python: () => runPython('manager_connection.py', [MESSAGES]) },
    },
  ],
};

export default suite;
