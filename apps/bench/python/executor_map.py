"""concurrent.futures.ProcessPoolExecutor(2).map(x + 1, range(N), chunksize=1000), consumed in order.

Prints items/s on its last line. The pool is started and warmed up before the clock starts.
"""
import sys
import time
from concurrent.futures import ProcessPoolExecutor


def increment(x):
    return x + 1


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    with ProcessPoolExecutor(max_workers=2) as executor:
        list(executor.map(increment, range(2000), chunksize=1000))
        start = time.perf_counter()
        total = 0
        for value in executor.map(increment, range(n), chunksize=1000):
            total += value
        elapsed = time.perf_counter() - start
    assert total == n * (n + 1) // 2
    print(n / elapsed)
