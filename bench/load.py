"""The load driver, run as its own process: fixed requests over keep-alive connections.

It uses the standard library's HTTP client rather than httpx because httpx costs several
times more CPU per request, and on a two-core machine the driver's CPU is taken from the
server it measures. Usage: python -m bench.load PORT REQUESTS CONCURRENCY PATH [PATH...]
Prints one JSON object: per-request latencies (seconds), wall time, errors, bytes.
"""

from __future__ import annotations

import http.client
import itertools
import json
import sys
import threading
import time


def run(port: int, paths: list[str], requests: int, concurrency: int) -> dict[str, object]:
    latencies: list[float] = []
    errors: list[str] = []
    received = [0]
    counter = itertools.count()
    lock = threading.Lock()

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        while True:
            number = next(counter)
            if number >= requests:
                break
            path = paths[number % len(paths)]
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept": "application/json"})
                response = connection.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                with lock:
                    errors.append(f"{path}: {exc!r}")
                continue
            mine.append(time.perf_counter() - started)
            if response.status != 200:
                with lock:
                    errors.append(f"{path}: HTTP {response.status}")
            with lock:
                received[0] += len(body)
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "latencies": latencies,
        "elapsed": elapsed,
        "failed": len(errors),
        "errors": errors[:5],
        "bytes": received[0],
    }


def main(argv: list[str]) -> None:
    port, requests, concurrency = int(argv[0]), int(argv[1]), int(argv[2])
    print(json.dumps(run(port, argv[3:], requests, concurrency)))


if __name__ == "__main__":
    main(sys.argv[1:])
