"""Uncontended multiprocessing.Lock acquire() + release() in one process, in ns per pair."""
import json
import multiprocessing as mp
import sys
import time

if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    lock = mp.Lock()
    acquire, release = lock.acquire, lock.release
    began = time.perf_counter()
    for _ in range(n):
        acquire()
        release()
    elapsed = time.perf_counter() - began
    print(json.dumps(elapsed / n * 1e9))
