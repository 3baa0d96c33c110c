/**
 * s4-35 — seeds/004_10c85533a5432f39.txt, `p17_singleton.py`: a double-checked-locking singleton —
 * `if not hasattr(Singleton, "_instance"): with Singleton._instance_lock: if not hasattr(...):
 * create` — used by the main thread and 10 threads, which all print the same object.
 * weft's threads do not share JavaScript objects, so "the instance" is a record in shared memory: an
 * id, written once under the lock; every thread's `Singleton.instance()` returns a handle to that one
 * record and prints its id. A second counter shows the creating branch ran exactly once.
 */
import { threadId } from 'node:worker_threads';
import { Lock } from '@weft/lock';
import { isMainThread, Process } from '@weft/pool';
import { RawValue } from '@weft/shared-memory';
import { print } from './lib/print.js';

export interface SingletonState {
  instanceLock: Lock; // Singleton._instance_lock
  instanceId: RawValue<'i'>; // 0: no instance yet (hasattr(Singleton, "_instance") is False)
  created: RawValue<'i'>; // how many times the creating branch ran
}

export class Singleton {
  private constructor(readonly id: number) {}

  static instance(state: SingletonState): Singleton {
    if (state.instanceId.value === 0) {
      state.instanceLock.acquireSync();
      try {
        if (state.instanceId.value === 0) {
          state.created.value += 1;
          state.instanceId.value = 1000 + threadId * 100 + Math.floor(Math.random() * 100);
        }
      } finally {
        state.instanceLock.release();
      }
    }
    return new Singleton(state.instanceId.value);
  }

  toString(): string {
    return `<Singleton object id=${this.id}>`;
  }
}

export function task(state: SingletonState, arg: number): void {
  const obj = Singleton.instance(state);
  print(String(obj), `(thread ${arg})`);
}

if (isMainThread) {
  const state: SingletonState = {
    instanceLock: new Lock(),
    instanceId: new RawValue('i', 0),
    created: new RawValue('i', 0),
  };
  const threads = Array.from({ length: 10 }, (_, i) => new Process({ target: task, args: [state, i] }));
  for (const t of threads) t.start();
  const obj1 = Singleton.instance(state);
  const obj2 = Singleton.instance(state);
  print(String(obj1), String(obj2));
  for (const t of threads) await t.join();
  print(`instances created: ${state.created.value}`);
}
