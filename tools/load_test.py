"""Many viewers at once: N concurrent browser sessions exploring the dashboard on 127.0.0.1.

    .venv/bin/python tools/load_test.py --sessions 20 --seconds 60 [--rounds 2]

Starts its own `streamlit run dashboard.py` on a free loopback port (or uses --url), opens N
Chromium contexts at once, and has each explore for a bounded time: the overview, the
language switch, a country filter by URL, the timeline, the map, a presenter step. Reports
errors (exceptions on a page, failed loads: must be 0), p50/p95 time to ready, and the
server's memory at start, at its peak and after the sessions have closed. Only 127.0.0.1 is
ever contacted; every other request is aborted and counted as an error.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'
MAP_IFRAME = 'iframe[src*="streamlit_folium"]'
PATHS = ["?lang=en", "?lang=ar", "timeline?lang=en&country=IRQ", "map?lang=ar", "sources?doc=paris-2019&p=3",
         "presenter?tour=chronological&step=1"]


@dataclass
class Report:
    sessions: int
    ready_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)  # samples over the run
    rss_start: float = 0.0
    rss_warm: float = 0.0  # after one session has visited every page: the caches are full
    rss_after: float = 0.0
    rss_after_rounds: list[float] = field(default_factory=list)  # after each round: flat = nothing kept per session

    def summary(self) -> dict:
        ready = sorted(self.ready_ms)
        p = lambda q: ready[min(len(ready) - 1, int(q * len(ready)))] if ready else float("nan")  # noqa: E731
        return {
            "sessions": self.sessions,
            "page_loads": len(ready),
            "errors": len(self.errors),
            "ready_p50_ms": round(statistics.median(ready)) if ready else None,
            "ready_p95_ms": round(p(0.95)) if ready else None,
            "rss_start_mb": round(self.rss_start, 1),
            "rss_warm_mb": round(self.rss_warm, 1),
            "rss_peak_mb": round(max(self.rss_mb, default=0.0), 1),
            "rss_after_mb": round(self.rss_after, 1),
            "rss_after_each_round_mb": [round(x, 1) for x in self.rss_after_rounds],
        }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (from /proc)."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
            return r.read().strip() == b"ok"
    except OSError:
        return False


def start_server(log: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while not _healthy(url):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"server did not start: {log.read_text()[-2000:]}")
        time.sleep(0.2)
    return proc, url


async def _session(browser, url: str, n: int, until: float, report: Report) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 720})
    page = await context.new_page()

    async def guard(route):
        host = route.request.url.split("/")[2].split(":")[0] if "://" in route.request.url else ""
        if route.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            await route.continue_()
        else:
            report.errors.append(f"external request {route.request.url}")
            await route.abort()

    await page.route("**/*", guard)
    i = n
    try:
        while time.monotonic() < until:
            path = PATHS[i % len(PATHS)]
            i += 1
            started = time.perf_counter()
            try:
                await page.goto(f"{url}/{path}", timeout=120_000)
                await page.wait_for_selector(READY, state="attached", timeout=120_000)
                await page.wait_for_function(
                    "() => !document.querySelector('[data-stale=\"true\"]')", timeout=120_000
                )
                report.ready_ms.append((time.perf_counter() - started) * 1000)
                if await page.locator('[data-testid="stException"]').count():
                    report.errors.append(f"exception on /{path}")
                if path.startswith("presenter"):
                    await page.wait_for_selector(".ca-p-counter", timeout=120_000)  # the step bar is up
                    # and the map drawn, as a presenter sees it before pressing (as tests/e2e/test_presenter.py)
                    await page.frame_locator(MAP_IFRAME).locator(".ca-place").first.wait_for(timeout=120_000)
                    await page.keyboard.press("ArrowRight")
                    await page.wait_for_function("() => location.search.includes('step=2')", timeout=120_000)
            except Exception as err:  # noqa: BLE001 — every failure is a counted error, not a crash
                report.errors.append(f"/{path}: {type(err).__name__}: {str(err)[:200]}")
    finally:
        await context.close()


async def _drive(url: str, sessions: int, seconds: float, report: Report) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic",
                  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"],
        )
        until = time.monotonic() + seconds
        await asyncio.gather(*(_session(browser, url, n, until, report) for n in range(sessions)))
        await browser.close()


async def _warm_up(url: str, report: Report) -> None:
    """One session through every page once, so that later growth is per session, not caches."""
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
                                          args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        context = await browser.new_context()
        page = await context.new_page()
        for path in PATHS:
            await page.goto(f"{url}/{path}", timeout=120_000)
            await page.wait_for_selector(READY, state="attached", timeout=120_000)
        await context.close()
        await browser.close()


def _in_thread(coro) -> None:
    """asyncio.run in a thread of its own: callers (pytest with sync Playwright) may hold a loop."""
    failure: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(coro)
        except BaseException as err:  # noqa: BLE001 — handed back to the caller below
            failure.append(err)

    worker = threading.Thread(target=target)
    worker.start()
    worker.join()
    if failure:
        raise failure[0]


def run(sessions: int = 20, seconds: float = 60.0, url: str | None = None, rounds: int = 1) -> Report:
    report = Report(sessions)
    with tempfile.TemporaryDirectory() as tmp:
        proc = None
        if url is None:
            proc, url = start_server(Path(tmp) / "server.log")
        pid = proc.pid if proc else None
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(0.5):
                report.rss_mb.append(_rss_mb(pid))

        try:
            if pid:
                report.rss_start = _rss_mb(pid)
            warm = Report(1)
            _in_thread(_warm_up(url, warm))
            report.errors += warm.errors
            if pid:
                time.sleep(5)
                report.rss_warm = _rss_mb(pid)
                threading.Thread(target=sample, daemon=True).start()
            for _ in range(rounds):  # the same crowd again: memory that stays is a cache, memory that grows a leak
                _in_thread(_drive(url, sessions, seconds, report))
                if pid:
                    time.sleep(10)  # sessions closed: give the server its disconnect cleanup
                    report.rss_after = _rss_mb(pid)
                    report.rss_after_rounds.append(report.rss_after)
        finally:
            stop.set()
            if proc:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=20)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--url", help="an already running dashboard (memory is then not measured)")
    parser.add_argument("--rounds", type=int, default=2, help="the sessions again, after the first ones closed")
    args = parser.parse_args()
    report = run(args.sessions, args.seconds, args.url, args.rounds)
    for key, value in report.summary().items():
        print(f"{key:>14}: {value}")
    for error in report.errors[:20]:
        print("error:", error)
    sys.exit(1 if report.errors else 0)


if __name__ == "__main__":
    main()
