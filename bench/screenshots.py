"""The README's screenshots, from a real run of the demo: ``rashomon demo`` into a fresh store, then
``rashomon serve``, then Debian's chromium (Playwright) on the list page and on the incident with the
most reports (its high figure clicked, so its sentence is highlighted).

    python bench/screenshots.py            # writes docs/img/incidents.png and docs/img/incident.png
    python bench/screenshots.py --out DIR
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import urlopen

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("RASHOMON_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def rashomon(*args: str) -> list[str]:
    return [sys.executable, "-c", "from rashomon.cli import main; main()", *args]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str) -> dict:
    with urlopen(url, timeout=10) as res:
        return json.loads(res.read())


def wait_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("rashomon serve stopped")
        try:
            get_json(url + "/incidents.json")
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("rashomon serve did not start")


def shoot(url: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(url + "/incidents")
        page.wait_for_selector(".lmap[data-land=drawn]", state="attached")
        page.wait_for_selector(".timeline[data-ready]", state="attached")
        page.screenshot(path=out / "incidents.png", full_page=True)
        incidents = get_json(url + "/incidents.json?per_page=100")["incidents"]
        busiest = max(incidents, key=lambda i: (i["n_articles"], i["id"]))
        data = get_json(url + f"/incidents/{busiest['id']}.json")
        page.goto(url + busiest["href"])
        page.wait_for_selector(".lmap[data-land=drawn]", state="attached")
        high = next(f for f in data["figures"] if "high" in f["bounds"])
        page.locator(f'tr[data-figure="{high["id"]}"] button').click()
        page.screenshot(path=out / "incident.png", full_page=True)
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "img")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.sqlite"
        subprocess.run(rashomon("demo", "--db", str(db), "--no-serve"), check=True, env=env,
                       stdout=subprocess.DEVNULL)
        port = free_port()
        server = subprocess.Popen(rashomon("serve", "--db", str(db), "--port", str(port)), env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_up(url, server)
            shoot(url, out)
        finally:
            server.terminate()
            server.wait(10)
    print(f"wrote {out / 'incidents.png'} and {out / 'incident.png'}")


if __name__ == "__main__":
    main()
