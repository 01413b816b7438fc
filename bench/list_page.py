"""The incident list page at scale: how big it is and how long the browser takes to draw its map and
timeline, over a generated store (bench/load.py's generator; no NLP).

    python bench/list_page.py [--incidents 10000] [--db PATH] [--json]

Reports the HTML size of ``/incidents`` (its JSON data element holds every matching incident, at
most 10,000), the server's time to answer it (median of 5), and, in Debian's chromium, the time from
navigation until the map has drawn its land and markers and the timeline its bars, plus the number of
clusters shown at the first zoom.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import urlopen

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import fill, start_server

CHROMIUM = os.environ.get("RASHOMON_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def fetch(url: str) -> tuple[float, int]:
    began = time.monotonic()
    with urlopen(url, timeout=120) as res:
        body = res.read()
    return time.monotonic() - began, len(body)


def browser_times(url: str) -> dict[str, float | int]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        began = time.monotonic()
        page.goto(url, timeout=120_000)
        page.wait_for_selector(".lmap[data-ready][data-land=drawn]", state="attached", timeout=120_000)
        page.wait_for_selector(".timeline[data-ready]", state="attached", timeout=120_000)
        drawn = time.monotonic() - began
        clusters = page.locator(".marker-cluster").count()
        browser.close()
    return {"drawn_seconds": round(drawn, 2), "clusters": clusters}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "list.sqlite"
        fill(db, args.incidents, 1)
        server, port = start_server(db, Path(tmp) / "serve.log")
        try:
            url = f"http://127.0.0.1:{port}/incidents"
            fetch(url)  # warm up
            runs = [fetch(url) for _ in range(5)]
            with urlopen(url + ".json", timeout=60) as res:
                total = json.loads(res.read())["total"]
            result = {"incidents": total, "html_bytes": runs[0][1],
                      "server_seconds_median": round(statistics.median(t for t, _ in runs), 3),
                      **browser_times(url)}
        finally:
            server.terminate()
            server.wait(10)
    print(json.dumps(result) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
