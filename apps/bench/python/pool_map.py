"""multiprocessing.Pool(2).map of a trivial function over range(N), default chunksize.

Prints items/s on its last line. The pool is started and warmed up before the clock starts.
"""
import sys
import time
from multiprocessing import Pool


def increment(x):
    return x + 1


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    with Pool(2) as pool:
        pool.map(increment, range(1000))
        start = time.perf_counter()
        results = pool.map(increment, range(n))
        elapsed = time.perf_counter() - start
    assert results[-1] == n
    print(n / elapsed)
