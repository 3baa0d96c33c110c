"""Manager().dict() __setitem__ round trips per second, from a child process (like a worker).

Prints one JSON number on its last line: calls per second. Optional argument: number of calls.
"""
import json
import sys
import time
from multiprocessing import Manager, Process, Queue


def worker(d, n, out):
    for i in range(200):  # warm-up
        d[i % 16] = i
    t0 = time.perf_counter()
    for i in range(n):
        d[i % 16] = i
    out.put(n / (time.perf_counter() - t0))


if __name__ == '__main__':
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    with Manager() as manager:
        d = manager.dict()
        out = Queue()
        p = Process(target=worker, args=(d, n, out))
        p.start()
        rate = out.get()
        p.join()
    print(json.dumps(rate))
