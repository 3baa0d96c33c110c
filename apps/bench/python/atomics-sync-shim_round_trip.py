"""Thread <-> thread round trip in CPython with threading.Condition, in µs: the same hand-off as the
weft row (one side flips a turn, the other answers), for a time budget given in seconds."""
import json
import sys
import threading
import time

budget = float(sys.argv[1]) if len(sys.argv) > 1 else 0.5
cond = threading.Condition()
state = {"turn": 0, "stop": False}


def echo():
    with cond:
        turn = 0
        while True:
            while state["turn"] == turn and not state["stop"]:
                cond.wait()
            if state["stop"]:
                return
            state["turn"] += 1
            turn = state["turn"]
            cond.notify()


worker = threading.Thread(target=echo)
worker.start()
trips = 0
start = time.perf_counter()
deadline = start + budget
with cond:
    while True:
        state["turn"] += 1
        mine = state["turn"]
        cond.notify()
        while state["turn"] == mine:
            cond.wait()
        trips += 1
        if trips % 64 == 0 and time.perf_counter() >= deadline:
            break
    elapsed = time.perf_counter() - start
    state["stop"] = True
    cond.notify()
worker.join()
print(json.dumps(elapsed / trips * 1e6))
