import { MessageChannel } from 'node:worker_threads';
import { DataCloneError, encode } from '@weft/codec';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

function errorOf(value: unknown, root?: string): DataCloneError {
  try {
    encode(value, root === undefined ? undefined : { root });
  } catch (error) {
    expect(error).toBeInstanceOf(DataCloneError);
    return error as DataCloneError;
  }
  throw new Error('encode did not throw');
}

describe('DataCloneError names the path', () => {
  it('a function inside arguments', () => {
    const error = errorOf([1, { onDone: () => {} }], 'args');
    expect(error.message).toBe('args[1].onDone is a function');
    expect(error.path).toBe('args[1].onDone');
    expect(error.reason).toBe('is a function');
    expect(error.name).toBe('DataCloneError');
  });

  it('the root itself, symbols, odd keys, Map and Set entries, causes, buffers', () => {
    expect(errorOf(() => 1).message).toBe('value is a function');
    expect(errorOf({ 'a-b': Symbol('s') }).message).toBe('value["a-b"] is a symbol');
    expect(errorOf(new Map([['k', () => 1]])).path).toBe('value.get("k")');
    expect(errorOf(new Map([[() => 1, 1]])).path).toBe('value<Map key #0>');
    expect(errorOf(new Set([1, Symbol()])).path).toBe('value<Set element #1>');
    expect(errorOf(new Error('x', { cause: { f: () => 1 } })).path).toBe('value.cause.f');
    const extra = Object.assign([1], { cb: () => 1 });
    expect(errorOf(extra).path).toBe('value.cb');
  });

  it('class instances would lose their methods', () => {
    class Foo {
      method() {
        return 1;
      }
    }
    const error = errorOf({ list: [new Foo()] });
    expect(error.message).toBe(
      'value.list[0] is an instance of class Foo: its methods would be lost; pass a plain object or register a handle kind',
    );
    class MyMap extends Map {}
    expect(errorOf(new MyMap()).message).toContain('class MyMap');
  });

  it('thread-local and uncopyable objects', () => {
    const { port1, port2 } = new MessageChannel();
    try {
      expect(errorOf({ port: port1 }).message).toMatch(/^value\.port is a MessagePort: .*postMessage/);
    } finally {
      port1.close();
      port2.close();
    }
    expect(errorOf({ p: Promise.resolve(1) }).message).toMatch(/value\.p is a Promise/);
    expect(errorOf(new WeakMap()).message).toMatch(/is a WeakMap/);
    expect(errorOf(new WeakSet()).message).toMatch(/is a WeakSet/);
    expect(errorOf(new WeakRef({})).message).toMatch(/is a WeakRef/);
    expect(errorOf(Object(Symbol())).message).toMatch(/^value is an instance of class Symbol/);
  });

  it('a detached ArrayBuffer', () => {
    const buffer = new ArrayBuffer(8);
    structuredClone(buffer, { transfer: [buffer] });
    expect(errorOf({ buffer }).message).toBe('value.buffer is a detached ArrayBuffer');
  });

  it('values nested too deeply for the stack', () => {
    let deep: unknown[] = [];
    const root = deep;
    for (let i = 0; i < 200_000; i++) {
      const next: unknown[] = [];
      deep.push(next);
      deep = next;
    }
    expect(errorOf(root).message).toMatch(/nested too deeply/);
  });

  it('the path leads to the offending value, wherever it is put', () => {
    const culprit = () => 'not cloneable';
    // A random tree of plain objects and arrays; `route` picks where the function goes.
    const tree = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.integer(),
        fc.string(),
        fc.array(tie('node'), { minLength: 1, maxLength: 4 }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), tie('node'), { minKeys: 1, maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(tree, fc.array(fc.nat(), { maxLength: 6 }), (root, route) => {
        // Walk down the route while there are containers, then replace that child with the function.
        const holder: { root: unknown } = { root };
        let parent: Record<string, unknown> = holder;
        let key = 'root';
        for (const step of route) {
          const node = parent[key];
          if (typeof node !== 'object' || node === null) break;
          const keys = Object.keys(node);
          parent = node as Record<string, unknown>;
          key = keys[step % keys.length]!;
        }
        parent[key] = culprit;
        const error = errorOf(holder.root, 'root');
        expect(resolve(holder.root, error.path)).toBe(culprit);
        expect(error.message).toBe(`${error.path} is a function`);
      }),
      { numRuns: 500 },
    );
  });

  it('a failed encode leaves the encoder usable', () => {
    errorOf({ a: 'x'.repeat(100), f: () => 1 });
    expect(encode('ok')).toStrictEqual(encode('ok'));
  });
});

/** Follows a DataCloneError path made of `.key`, `["key"]` and `[index]` segments from `root`. */
function resolve(root: unknown, path: string): unknown {
  let rest = path.slice('root'.length);
  let node = root;
  while (rest !== '') {
    const match = /^(?:\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\])/.exec(rest);
    if (match === null) throw new Error(`cannot follow ${rest}`);
    const key = match[1] ?? match[2] ?? (JSON.parse(match[3]!) as string);
    node = (node as Record<string, unknown>)[key];
    rest = rest.slice(match[0].length);
  }
  return node;
}
