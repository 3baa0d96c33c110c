"""multiprocessing.Pool(2): N apply_async of x + 1, one at a time, then every result.

Prints tasks/s on its last line. The pool is started and warmed up before the clock starts.
"""
import sys
import time
from multiprocessing import Pool


def increment(x):
    return x + 1


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    with Pool(2) as pool:
        [r.get() for r in [pool.apply_async(increment, (i,)) for i in range(200)]]
        start = time.perf_counter()
        results = [pool.apply_async(increment, (i,)) for i in range(n)]
        total = sum(r.get() for r in results)
        elapsed = time.perf_counter() - start
    assert total == n * (n + 1) // 2
    print(n / elapsed)
