"""Page speed under a production server: requests/s and latency for the item and search pages.

Starts gunicorn on a fresh database loaded with the demo network, then sends a bounded number of
requests from a few client threads to 127.0.0.1 only. Prints a table and one JSON line last.

    python bench/page_speed.py [--backend sqlite|postgres] [--requests 600] [--concurrency 4]
"""

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def wait_until_up(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not come up")


def hammer(port: int, paths: list[str], total: int, concurrency: int) -> tuple[list[float], int, float]:
    """Send `total` GETs cycling through paths; return latencies (ms), error count, wall seconds."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(total))

    def worker() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for i in counter:
            path = paths[i % len(paths)]
            start = time.perf_counter()
            conn.request("GET", path, headers={"Accept-Language": "th"})
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                if response.status != 200:
                    errors += 1

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors, time.perf_counter() - began


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="platoo-bench-"))
    env = {**os.environ, "PLATOO_VAR_DIR": str(workdir), "DEBUG": "false", "LOG_LEVEL": "ERROR"}
    dbname = None
    if args.backend == "postgres":
        dbname = f"platoo_bench_{os.getpid()}"
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", dbname], check=True)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{dbname}"
    server = None
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo")
        manage(env, "collectstatic", "--noinput")
        ids = json.loads(
            manage(
                env,
                "shell",
                "-c",
                "import json; from platoo.knowledge.models import KnowledgeItem as K; "
                "print(json.dumps(list(K.objects.filter(visibility='public').values_list('pk', flat=True)[:20])))",
            )
            .strip()
            .splitlines()[-1]
        )
        server = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "platoo.wsgi", "--bind", f"127.0.0.1:{args.port}", "--workers", "2",
             "--threads", "2", "--log-level", "error"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        wait_until_up(args.port)
        queries = ["ชุมชนแนวปฏิบัติ", "ถอดบทเรียน", "งบประมาณ", "การจัดการความรู้", "คุณอำนวย", "นวัตกรรม"]
        pages = {
            "item": [f"/knowledge/{pk}/" for pk in ids],
            "search": [f"/search/?q={urllib.parse.quote(q)}" for q in queries],
        }
        results = {}
        for name, paths in pages.items():
            hammer(args.port, paths, 20, 2)  # warm up
            latencies, errors, wall = hammer(args.port, paths, args.requests, args.concurrency)
            results[name] = {
                "requests": len(latencies),
                "errors": errors,
                "rps": round(len(latencies) / wall, 1),
                "p50_ms": round(statistics.median(latencies), 1),
                "p95_ms": round(pct(latencies, 95), 1),
            }
            print(f"{name:8} {results[name]}")
        print(json.dumps({"backend": args.backend, "server": "gunicorn 2x2", **results}, ensure_ascii=False))
    finally:
        if server:
            server.terminate()
            server.wait(10)
        if dbname:
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", dbname], check=False)


if __name__ == "__main__":
    main()
