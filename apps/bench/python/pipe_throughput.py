"""multiprocessing.Pipe, one sender process -> the main process, in messages per second: `count`
copies of [42, None, 'hello'] (or, with `size`, `size`-byte bytes objects)."""
import json
import multiprocessing as mp
import sys
import time


def send(conn, go, count, size):
    item = b"x" * size if size else [42, None, "hello"]
    go.wait()
    for _ in range(count):
        conn.send(item)
    conn.close()


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    receiver, sender = mp.Pipe(duplex=False)
    go = mp.Event()
    process = mp.Process(target=send, args=(sender, go, count, size))
    process.start()
    sender.close()
    time.sleep(0.2)
    start = time.perf_counter()
    go.set()
    for _ in range(count):
        receiver.recv()
    elapsed = time.perf_counter() - start
    process.join()
    print(json.dumps(count / elapsed))
