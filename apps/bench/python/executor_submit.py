"""concurrent.futures.ProcessPoolExecutor(2): N submits of x + 1, one at a time, then all results.

Prints tasks/s on its last line. The pool is started and warmed up before the clock starts.
"""
import sys
import time
from concurrent.futures import ProcessPoolExecutor, wait


def increment(x):
    return x + 1


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    with ProcessPoolExecutor(max_workers=2) as executor:
        wait([executor.submit(increment, i) for i in range(200)])
        start = time.perf_counter()
        futures = [executor.submit(increment, i) for i in range(n)]
        total = sum(f.result() for f in futures)
        elapsed = time.perf_counter() - start
    assert total == n * (n + 1) // 2
    print(n / elapsed)
