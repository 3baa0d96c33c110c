import { DataCloneError, decode, encode, isHandleKindRegistered, registerHandleKind } from '@weft/codec';
import { describe, expect, it } from 'vitest';

class Cell {
  constructor(readonly buffer = new SharedArrayBuffer(4)) {}
  get value(): number {
    return Atomics.load(new Int32Array(this.buffer), 0);
  }
  set value(value: number) {
    Atomics.store(new Int32Array(this.buffer), 0, value);
  }
}
class SpecialCell extends Cell {}

/** A kind whose state holds other handles. */
class Pair {
  constructor(
    readonly left: Cell,
    readonly right: Cell,
  ) {}
}

/** A kind whose state (wrongly) contains itself. */
class Loop {
  get self(): Loop {
    return this;
  }
}

let fromHandleCalls = 0;
registerHandleKind({
  name: 'codec-test#Cell',
  type: Cell,
  toHandle: (cell) => ({ buffer: cell.buffer }),
  fromHandle: (state: { buffer: SharedArrayBuffer }) => {
    fromHandleCalls++;
    return new Cell(state.buffer);
  },
});
registerHandleKind({
  name: 'codec-test#Pair',
  type: Pair,
  toHandle: (pair) => [pair.left, pair.right],
  fromHandle: ([left, right]: [Cell, Cell]) => new Pair(left, right),
});
registerHandleKind({
  name: 'codec-test#Loop',
  type: Loop,
  toHandle: (loop) => ({ again: loop.self }),
  fromHandle: () => new Loop(),
});

describe('handle kinds in one thread', () => {
  it('a handle decodes through fromHandle over the same memory', () => {
    const cell = new Cell();
    cell.value = 5;
    const copy = decode(encode(cell)) as Cell;
    expect(copy).toBeInstanceOf(Cell);
    expect(copy).not.toBe(cell);
    copy.value = 9;
    expect(cell.value).toBe(9);
  });

  it('an instance of a subclass encodes as the registered kind', () => {
    const special = new SpecialCell();
    special.value = 3;
    const copy = decode(encode({ special })) as { special: Cell };
    expect(copy.special).toBeInstanceOf(Cell);
    expect(copy.special.value).toBe(3);
  });

  it('handles inside a handle state, the same one twice', () => {
    const shared = new Cell();
    const pair = new Pair(shared, shared);
    const before = fromHandleCalls;
    const copy = decode(encode({ pair, again: shared })) as { pair: Pair; again: Cell };
    expect(copy.pair.left).toBe(copy.pair.right);
    expect(copy.again).toBe(copy.pair.left);
    expect(fromHandleCalls - before).toBe(1);
    copy.again.value = 11;
    expect(shared.value).toBe(11);
  });

  it('a state that contains its own handle is refused when encoding', () => {
    expect(() => encode({ loop: new Loop() })).toThrow(DataCloneError);
    expect(() => encode({ loop: new Loop() })).toThrow(
      'value.loop<codec-test#Loop handle state>.again is a handle whose state contains the handle itself',
    );
  });

  it('registration is checked and idempotent', () => {
    expect(isHandleKindRegistered('codec-test#Cell')).toBe(true);
    expect(isHandleKindRegistered('codec-test#Nothing')).toBe(false);
    expect(() =>
      registerHandleKind({ name: '', type: Cell, toHandle: () => 0, fromHandle: () => new Cell() }),
    ).toThrow(TypeError);
    expect(() => registerHandleKind(null as never)).toThrow(TypeError);
  });
});
