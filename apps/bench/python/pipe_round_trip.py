"""multiprocessing.Pipe round trip main <-> child process, in µs, for a time budget in seconds."""
import json
import multiprocessing as mp
import sys
import time


def echo(conn):
    while True:
        message = conn.recv()
        if message is None:  # the parent's copy of this end stays open in a forked child: no EOF
            break
        conn.send(message)


if __name__ == "__main__":
    budget = float(sys.argv[1]) if len(sys.argv) > 1 else 0.5
    parent, child = mp.Pipe()
    process = mp.Process(target=echo, args=(child,))
    process.start()
    child.close()
    for i in range(2000):
        parent.send(i)
        parent.recv()
    trips = 0
    start = time.perf_counter()
    while True:
        for i in range(64):
            parent.send(i)
            parent.recv()
        trips += 64
        if time.perf_counter() - start >= budget:
            break
    elapsed = time.perf_counter() - start
    parent.send(None)
    process.join()
    print(json.dumps(elapsed / trips * 1e6))
