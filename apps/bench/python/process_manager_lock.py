"""A Manager().Lock() proxy's acquire() + release() round trip from a child process, in µs.

The child loops acquire/release `warmup` times, then N times under the clock, and sends its µs per
round trip back on a Queue. Prints one JSON number on its last line. Optional argument: N.
"""
import json
import sys
import time
from multiprocessing import Manager, Process, Queue


def work(lock, out, warmup, n):
    for _ in range(warmup):
        lock.acquire()
        lock.release()
    t0 = time.perf_counter()
    for _ in range(n):
        lock.acquire()
        lock.release()
    out.put((time.perf_counter() - t0) * 1e6 / n)


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000
    with Manager() as manager:
        lock = manager.Lock()
        out = Queue()
        p = Process(target=work, args=(lock, out, 200, n))
        p.start()
        us = out.get()
        p.join()
        if p.exitcode != 0:
            sys.exit(f"child exited with {p.exitcode}")
    print(json.dumps(us))
