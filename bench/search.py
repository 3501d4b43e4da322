"""Search speed: `python -m bench.search [--sizes real,1k,10k] [--runs 7]`.

Rows of the benchmark for the dashboard's search (``coalition_atlas.search.search``: the
server's time for one query, index already built — it is built once per record and shared)
at the real record and the synthetic records of 1,000 and 10,000 events (bench/synth.py), the
index's build time once per record, and the briefing pack's own search in Chromium from
``file://`` at the real record (the page's ``data-ca-search-ms``: search and drawing the
results). Prints a Markdown table of medians and maxima; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from coalition_atlas import search as S
from coalition_atlas.load import load_atlas

from .synth import write_synth

QUERIES = ("داعش", "الموصل", "انتربول", "للإنتربول", "٢٠١٧", "Daesh", "Mosul", "liberation of Mosul", "7.7 million",
           "داعش العراق", "xyzzy", "الموصلل")
SIZES = {"real": None, "1k": 1000, "10k": 10000}
SERVER_TARGET_MS = 50.0
PACK_TARGET_MS = 100.0


def server_rows(size: str, atlas, runs: int) -> list[tuple[str, str, float, float, float]]:
    started = time.perf_counter()
    S.index_for(atlas)
    build = (time.perf_counter() - started) * 1000
    times = []
    for _ in range(runs):
        for q in QUERIES:
            t0 = time.perf_counter()
            S.search(atlas, q, "en")
            times.append((time.perf_counter() - t0) * 1000)
    return [
        (f"search: index built (once per record), {size}", "ms", build, build, float("nan")),
        (f"search: one query, server, {size} ({len(QUERIES)} queries × {runs})", "ms", statistics.median(times), max(times),
         SERVER_TARGET_MS),
    ]


def pack_rows(runs: int) -> list[tuple[str, str, float, float, float]]:
    from playwright.sync_api import sync_playwright

    from coalition_atlas.export import export_bytes
    from coalition_atlas.viewstate import ViewState

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"])
        for lang in ("ar", "en"):
            path = Path(tmp) / f"pack-{lang}.html"
            path.write_bytes(export_bytes(load_atlas(), ViewState(lang=lang), "html"))
            page = browser.new_context().new_page()
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
            page.goto(path.as_uri())
            page.wait_for_function("document.documentElement.dataset.caSearch === 'ready'", timeout=60_000)
            times = []
            for _ in range(runs):
                for q in QUERIES:
                    page.evaluate("document.documentElement.dataset.caSearch = 'typing'")
                    page.fill("#ca-search-box", q)
                    page.press("#ca-search-box", "Enter")
                    page.wait_for_function("document.documentElement.dataset.caSearch === 'done'")
                    times.append(float(page.evaluate("document.documentElement.dataset.caSearchMs")))
            rows.append((f"search: one query in the pack's browser (file://), real, {lang}", "ms", statistics.median(times),
                         max(times), PACK_TARGET_MS))
        browser.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__)
    parser.add_argument("--sizes", default="real,1k,10k")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-pack", action="store_true", help="skip the pack's browser rows")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes.split(","):
            n = SIZES[size]
            if n is None:
                atlas = load_atlas()
            else:
                written = write_synth(n, Path(tmp))
                atlas = load_atlas(written.events, written.places)
            rows += server_rows(size, atlas, args.runs)
    if not args.no_pack:
        rows += pack_rows(max(1, args.runs // 2))
    print("| figure | median | max | target |")
    print("|---|---|---|---|")
    for name, unit, median, top, target in rows:
        goal = "" if target != target else f"≤ {target:.0f} {unit} ({'PASS' if median <= target else 'MISS'})"
        print(f"| {name} | {median:.1f} {unit} | {top:.1f} {unit} | {goal} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
