"""2 processes x N increments of a Manager().Value('i', 0) under a Manager().Lock(), both proxies:
`lock.acquire(); value.value = value.value + 1; lock.release()`. Each child records the wall-clock
times at which it began and ended (after a start Event, set once both are ready); prints increments per second over the span
from the first start to the last end, as one JSON number. Exits non-zero unless the value is exactly 2N.
Optional argument: N.
"""
import json
import sys
import time
from multiprocessing import Manager, Process, Queue


def work(value, lock, start, out, n):
    out.put("ready")
    start.wait()
    began = time.time()
    for _ in range(n):
        lock.acquire()
        try:
            value.value = value.value + 1
        finally:
            lock.release()
    out.put((began, time.time()))


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with Manager() as manager:
        value = manager.Value("i", 0)
        lock = manager.Lock()
        start = manager.Event()
        out = Queue()
        procs = [Process(target=work, args=(value, lock, start, out, n)) for _ in range(2)]
        for p in procs:
            p.start()
        for _ in procs:
            out.get()  # "ready": both children are about to wait for start
        start.set()
        spans = [out.get() for _ in procs]
        for p in procs:
            p.join()
            if p.exitcode != 0:
                sys.exit(f"child exited with {p.exitcode}")
        if value.value != 2 * n:
            sys.exit(f"expected {2 * n}, got {value.value}")
        elapsed = max(end for _, end in spans) - min(began for began, _ in spans)
    print(json.dumps(2 * n / elapsed))
