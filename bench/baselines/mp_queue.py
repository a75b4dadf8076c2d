"""Baseline: Python's multiprocessing.Queue, producer process -> consumer process, small items.

    python3 mp_queue.py <batch> <warmup_ms> <measure_ms>

batch 1: one dict per put; batch N: lists of N dicts per put. The item is the benchmark's small item,
{seq, t, value: 3.14, tag: "sensor-1"}. The consumer counts items over the window after the warm-up
and prints {"rate": items/s} as JSON on stdout.
"""
import json
import multiprocessing as mp
import sys
import time


def produce(queue, batch, stop):
    seq = 0
    while not stop.is_set():
        if batch == 1:
            queue.put({"seq": seq, "t": time.perf_counter_ns(), "value": 3.14, "tag": "sensor-1"})
            seq += 1
        else:
            items = []
            for _ in range(batch):
                items.append({"seq": seq, "t": time.perf_counter_ns(), "value": 3.14, "tag": "sensor-1"})
                seq += 1
            queue.put(items)


def main():
    batch, warmup_ms, measure_ms = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    # As users write it: multiprocessing.Queue() with no maxsize.
    queue = mp.Queue()
    stop = mp.Event()
    producer = mp.Process(target=produce, args=(queue, batch, stop), daemon=True)
    producer.start()
    count = 0
    queue.get()  # the producer runs
    began = time.perf_counter()
    warm_end = began + warmup_ms / 1000
    while time.perf_counter() < warm_end:
        got = queue.get()
        count += 1 if batch == 1 else len(got)
    first, started = count, time.perf_counter()
    end = started + measure_ms / 1000
    now = started
    while now < end:
        got = queue.get()
        count += 1 if batch == 1 else len(got)
        now = time.perf_counter()
    rate = (count - first) / (now - started)
    stop.set()
    # Drain so that the producer's feeder thread is not blocked on a full pipe, then end it.
    producer.join(timeout=0.05)
    if producer.is_alive():
        producer.terminate()
    print(json.dumps({"rate": rate}))


if __name__ == "__main__":
    main()
