"""multiprocessing.connection Listener/Client small-message throughput (request/response).

A client in a child process sends a small message and waits for the echo, N times.
Prints one JSON number on its last line: round trips per second. Optional argument: N.
"""
import json
import sys
import time
from multiprocessing import Process, Queue
from multiprocessing.connection import Client, Listener

AUTHKEY = b'weft-bench'
MESSAGE = [42, None, 'hello']


def client(address, n, out):
    with Client(address, authkey=AUTHKEY) as conn:
        for _ in range(200):  # warm-up
            conn.send(MESSAGE)
            conn.recv()
        t0 = time.perf_counter()
        for _ in range(n):
            conn.send(MESSAGE)
            conn.recv()
        out.put(n / (time.perf_counter() - t0))
        conn.send(None)


if __name__ == '__main__':
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    with Listener(('127.0.0.1', 0), authkey=AUTHKEY) as listener:
        out = Queue()
        p = Process(target=client, args=(listener.address, n, out))
        p.start()
        with listener.accept() as conn:
            while True:
                msg = conn.recv()
                if msg is None:
                    break
                conn.send(msg)
        rate = out.get()
        p.join()
    print(json.dumps(rate))
