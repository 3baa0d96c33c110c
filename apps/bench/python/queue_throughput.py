"""multiprocessing.Queue, one producer process -> the main process, in messages per second: the
producer puts `count` copies of [42, None, 'hello'] (or `size`-byte bytes objects); timed from the
first put being allowed to the last get."""
import json
import multiprocessing as mp
import sys
import time


def produce(queue, go, count, size):
    item = b"x" * size if size else [42, None, "hello"]
    go.wait()
    for _ in range(count):
        queue.put(item)


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    queue = mp.Queue()
    go = mp.Event()
    producer = mp.Process(target=produce, args=(queue, go, count, size))
    producer.start()
    time.sleep(0.2)
    start = time.perf_counter()
    go.set()
    for _ in range(count):
        queue.get()
    elapsed = time.perf_counter() - start
    producer.join()
    print(json.dumps(count / elapsed))
