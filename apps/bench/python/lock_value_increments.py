"""2 processes x N increments of a multiprocessing.Value('i') under its own lock (`with v.get_lock():
v.value += 1`), timed from a start Event to both joined, in ms. Exits non-zero unless the value is
exactly 2N."""
import json
import multiprocessing as mp
import sys
import time


def work(value, start, n):
    start.wait()
    for _ in range(n):
        with value.get_lock():
            value.value += 1


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    value = mp.Value("i", 0)
    start = mp.Event()
    procs = [mp.Process(target=work, args=(value, start, n)) for _ in range(2)]
    for p in procs:
        p.start()
    time.sleep(0.2)  # let both processes reach start.wait()
    began = time.perf_counter()
    start.set()
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - began
    if value.value != 2 * n:
        sys.exit(f"expected {2 * n}, got {value.value}")
    print(json.dumps(elapsed * 1000))
