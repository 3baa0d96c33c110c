"""multiprocessing.Barrier(2) round trip between two processes, in µs per round (rounds given)."""
import json
import multiprocessing as mp
import sys
import time


def party(barrier, rounds):
    for _ in range(rounds):
        barrier.wait()


if __name__ == "__main__":
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    barrier = mp.Barrier(2)
    other = mp.Process(target=party, args=(barrier, rounds + 1))
    other.start()
    barrier.wait()  # both sides running
    began = time.perf_counter()
    for _ in range(rounds):
        barrier.wait()
    elapsed = time.perf_counter() - began
    other.join()
    print(json.dumps(elapsed / rounds * 1e6))
