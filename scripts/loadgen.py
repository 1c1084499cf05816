#!/usr/bin/env python3
"""A small load generator for `docsandbox serve`: uploads files at a fixed concurrency and
reports latency percentiles, throughput and every request that was lost.

    scripts/loadgen.py --url http://127.0.0.1:18080 --token-file T --count 2000 \
        --concurrency 16 FILE...

A request is *answered* when it gets the viewer's own answer: a complete page stream
(200, ending in the "done" line) or a typed refusal of the document (422). Anything else
(a connection error, a 502/503/504 from the balancer, a stream cut short) is *lost*.
Prints one JSON object; exits 1 when any request was lost.
"""

import argparse
import http.client
import json
import os
import threading
import time
import urllib.parse


def upload(url, token, name, data):
    parts = urllib.parse.urlsplit(url)
    boundary = "loadgen-boundary-7d1f"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{os.path.basename(name)}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        connection.request("POST", "/render", body=body, headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-Docsandbox-Token": token,
        })
        response = connection.getresponse()
        answer = response.read()
    finally:
        connection.close()
    if response.status == 200:
        last = answer.rstrip(b"\n").rsplit(b"\n", 1)[-1]
        return "answered" if b'"type":"done"' in last else "cut-short"
    if response.status == 422:
        return "answered"
    return f"http-{response.status}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--token-file", required=True)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--on-progress", help="run this shell command once, when a third of the requests are done")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    token = open(args.token_file).read().strip()
    documents = [(f, open(f, "rb").read()) for f in args.files]
    lock = threading.Lock()
    state = {"next": 0, "done": 0, "fired": False}
    results = []

    def worker():
        while True:
            with lock:
                i = state["next"]
                if i >= args.count:
                    return
                state["next"] += 1
            name, data = documents[i % len(documents)]
            started = time.monotonic()
            try:
                outcome = upload(args.url, token, name, data)
            except Exception as e:  # a refused or reset connection: lost
                outcome = f"error-{type(e).__name__}"
            took = time.monotonic() - started
            fire = False
            with lock:
                results.append((outcome, took, name))
                state["done"] += 1
                if args.on_progress and not state["fired"] and state["done"] >= args.count // 3:
                    state["fired"] = fire = True
            if fire:
                os.system(args.on_progress)

    began = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - began
    latencies = sorted(took for _, took, _ in results)

    def percentile(p):
        return round(latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000, 1)

    outcomes = {}
    for outcome, _, _ in results:
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    lost = [(o, n) for o, _, n in results if o != "answered"]
    print(json.dumps({
        "requests": len(results),
        "concurrency": args.concurrency,
        "wall_s": round(wall, 1),
        "throughput_per_s": round(len(results) / wall, 1),
        "p50_ms": percentile(50),
        "p90_ms": percentile(90),
        "p99_ms": percentile(99),
        "max_ms": round(latencies[-1] * 1000, 1),
        "outcomes": outcomes,
        "lost": len(lost),
        "lost_examples": lost[:5],
    }, indent=2))
    raise SystemExit(1 if lost else 0)


if __name__ == "__main__":
    main()
