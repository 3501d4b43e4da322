"""Coalition Atlas speed benchmark: the dashboard as a person meets it, beside the bare stack.

    .venv/bin/python -m bench            # full: real record, 1,000 and 10,000 events
    .venv/bin/python -m bench --quick    # real record only, 3 runs

Prints one table (median, min–max, ratio to the floor, target, PASS/MISS) and asserts nothing.
See bench/README.md for what each figure measures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import browser as B
from .server import ROOT, Server
from .synth import write_synth

PAGES = {"overview": "", "timeline": "timeline", "map": "map", "sources": "sources"}
FILTER_COUNTRY = "LBY"
# This machine's static TimelineJS page of the same number of events (shared/perf anchors,
# medians): 50 events (used for the real record's 66), 1,000 and 10,000.
TIMELINEJS_MS = {"real": 270.0, "1k": 1100.0, "10k": 10000.0}
SIZES = {"real": None, "1k": 1000, "10k": 10000}
TIMEOUT_S = {"real": 60.0, "1k": 120.0, "10k": 180.0}


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')} load {os.getloadavg()[0]:.2f}] {msg}", file=sys.stderr, flush=True)


# --- what each page should draw -------------------------------------------------------------------

def expectations(atlas) -> dict:
    """Counts the browser must see, from the project's own code."""
    from coalition_atlas.filtering import filter_events
    from coalition_atlas.i18n import t  # noqa: F401  (loads the translations as the app does)
    from coalition_atlas.load import country_name
    from coalition_atlas.maps import place_groups, places_of
    from coalition_atlas.viewstate import ViewState

    markers = lambda evs: len(place_groups(places_of(evs, atlas), atlas))  # noqa: E731  (many places: grouped)
    events = list(atlas.events)
    shown = filter_events(events, ViewState(countries=(FILTER_COUNTRY,)))
    pairs = lambda evs: sum(1 for e in evs for p in e.places if p in atlas.places)  # noqa: E731
    first_doc = next(iter(atlas.documents.values()))
    return {
        "events": len(events),
        "places": markers(events),
        "passages": len(first_doc.passages),
        "pairs": pairs(events),
        "filter_label_ar": country_name(FILTER_COUNTRY, "ar"),
        "filter_events": len(shown),
        "filter_places": markers(shown),
        "filter_pairs": pairs(shown),
        "floor_step_event": events[1].id if len(events) > 1 else None,
        "floor_step_has_place": len(events) > 1 and any(p in atlas.places for p in events[1].places),
    }


def presenter_expectations(atlas) -> dict | None:
    """Step 1 → 2 of the default tour (tours.yaml's first), or None if tours.yaml does not fit
    the record (the synthetic records' ids are not the tours' ids)."""
    from coalition_atlas import tours
    from coalition_atlas.maps import places_of
    from coalition_atlas.problems import RecordError
    from coalition_atlas.viewstate import ViewState

    try:
        walks = tours.load_tours({e.id for e in atlas.events})
    except (RecordError, OSError):
        return None
    pos = tours.position(walks, atlas, ViewState(step=1))
    if pos.total < 2:
        return None
    stops = [s.event for s in pos.stops]
    rings = lambda ev: [f".ca-ring-{p}" for p in ev.places if p in atlas.places]  # noqa: E731
    return {"tour": pos.tour.id, "marks": len(stops), "places": len(places_of(stops, atlas)),
            "first": stops[0].id, "second": stops[1].id, "rings1": rings(stops[0]), "rings2": rings(stops[1])}


def page_spec(page: str, x: dict, key: str) -> dict:
    spec: dict = {"key": key}
    if page in ("overview", "timeline"):
        spec["marks"] = x["events"]
    if page in ("overview", "map"):
        spec.update(mapSel=".ca-place", mapN=x["places"])
    if page == "sources":
        spec["css"] = [[".ca-passage", x["passages"]]]
    return spec


def floor_spec(x: dict, key: str, filtered: bool = False) -> dict:
    return {"key": key, "marks": x["filter_events" if filtered else "events"], "mapSel": ".leaflet-marker-icon",
            "mapN": x["filter_pairs" if filtered else "pairs"]}


# --- statistics and the table -----------------------------------------------------------------------

def stats(values: list[float]) -> dict | None:
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ms":
        return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.0f} ms"
    if unit == "MB":
        return f"{value:.1f} MB" if abs(value) >= 10 else f"{value:.2f} MB"
    if unit == "bytes":
        return f"{value / 1e6:.2f} MB"
    return f"{value:g} {unit}"


def cell(s: dict | None, unit: str, note: str = "") -> str:
    if s is None:
        return note or "n/a"
    if s["n"] == 1 or s["min"] == s["max"]:
        text = fmt(s["median"], unit)
    else:
        text = f"{fmt(s['median'], unit)} ({fmt(s['min'], unit).split()[0]}–{fmt(s['max'], unit)})"
    return text + (f" {note}" if note else "")


class Table:
    def __init__(self):
        self.rows: list[dict] = []

    def add(self, figure: str, size: str, unit: str, dash: list | dict | None, floor: list | dict | None = None,
            target: tuple[str, float] | None = None, note: str = "", floor_note: str = "") -> dict:
        d = dash if isinstance(dash, dict) or dash is None else stats(dash)
        f = floor if isinstance(floor, dict) or floor is None else stats(floor)
        ratio = d["median"] / f["median"] if d and f and f["median"] else None
        verdict = ""
        if target:
            kind, limit = target
            value = ratio if kind == "ratio" else d["median"] if d else None
            verdict = "MISS" if value is None else "PASS" if value <= limit else "MISS"
        row = {"figure": figure, "size": size, "unit": unit, "dashboard": d, "floor": f, "ratio": ratio,
               "target": target, "verdict": verdict, "note": note, "floor_note": floor_note}
        self.rows.append(row)
        return row

    def markdown(self) -> str:
        out = ["| figure | record | dashboard: median (min–max) | floor: median (min–max) | ÷ floor | target | |",
               "|---|---|---|---|---|---|---|"]
        for r in self.rows:
            target = ""
            if r["target"]:
                kind, limit = r["target"]
                target = f"≤ {limit:g}× floor" if kind == "ratio" else f"≤ {fmt(limit, r['unit'])}"
            ratio = f"{r['ratio']:.2f}×" if r["ratio"] is not None else "—"
            out.append(
                f"| {r['figure']} | {r['size']} | {cell(r['dashboard'], r['unit'], r['note'])} | "
                f"{cell(r['floor'], r['unit'], r['floor_note']) if r['floor'] or r['floor_note'] else '—'} | {ratio} | "
                f"{target} | {r['verdict']} |"
            )
        return "\n".join(out)


# --- measurements -------------------------------------------------------------------------------------

def load_once(br: B.Browser, server: Server, url: str, spec: dict, timeout: float) -> dict:
    """One page load in a fresh context: time to drawn, server CPU (navigation to settled), bytes."""
    ctx, page, net = br.open()
    cpu0 = server.cpu_ms()
    try:
        page.goto(url, wait_until="commit", timeout=timeout * 1000)
        ready = B.wait_drawn(page, spec, timeout)
        B.wait_settled(page, timeout if ready is not None else 5)
        time.sleep(0.3)  # trailing frames for the byte count
        metrics = browser_metrics(net)
    finally:
        cpu = server.cpu_ms() - cpu0 if server else None
        br.close_context(ctx, net)
    return {"ready_ms": ready, "server_cpu_ms": cpu, "bytes": net.total, "http_bytes": net.http_bytes,
            "ws_bytes": net.ws_bytes, "requests": net.requests, "external": len(net.external), "metrics": metrics,
            "top": net.top(), "per_url": dict(net.per_url)}


def through_proxy(br: B.Browser, server: Server, spec: dict, timeout: float) -> dict | None:
    """One first load of ``server``'s page through the documented nginx (None without nginx)."""
    from .proxy import nginx_binary, nginx_in_front

    if nginx_binary() is None:
        log("nginx is not installed: no figure through the proxy (apt-get install -y nginx-light)")
        return None
    with nginx_in_front(server.port) as url:
        load_once(br, server, url + "/", {**spec, "key": "__pw"}, timeout)  # warm-up, as for the others
        r = load_once(br, server, url + "/", {**spec, "key": "__px"}, timeout)
    log(f"through nginx: ready={r['ready_ms']} bytes={r['bytes']} (http {r['http_bytes']}, ws {r['ws_bytes']})")
    return r


def browser_metrics(net) -> dict:
    """Chromium's main-thread totals for the page so far (CDP Performance.getMetrics)."""
    try:
        m = {x["name"]: x["value"] for x in net.cdp.send("Performance.getMetrics")["metrics"]}
    except Exception:  # noqa: BLE001 - a closed page: no metrics
        return {}
    return {"task_ms": m.get("TaskDuration", 0) * 1000, "script_ms": m.get("ScriptDuration", 0) * 1000,
            "layout_ms": (m.get("LayoutDuration", 0) + m.get("RecalcStyleDuration", 0)) * 1000,
            "heap_mb": m.get("JSHeapUsedSize", 0) / 2**20, "nodes": m.get("Nodes", 0)}


def series(br, server, url, spec, runs, timeout, label) -> list[dict]:
    out, timeouts = [], 0
    for i in range(runs):
        if timeouts >= 1:  # a run stuck on the server would load the next ones
            log(f"{label}: skipped after {timeouts} timeouts")
            break
        r = load_once(br, server, url, dict(spec, key=f"__ready_{i}"), timeout)
        timeouts += r["ready_ms"] is None
        out.append(r)
        log(f"{label} run {i + 1}: ready={r['ready_ms']} cpu={r['server_cpu_ms']:.0f} bytes={r['bytes']}")
    return out


def interaction(br, server, url, spec0, action, spec1, timeout, key_name, detail: list | None = None) -> float | None:
    """Open ``url`` fresh, wait until drawn and settled, do ``action(page)`` (which presses
    ``key_name`` last); ms from the key's keydown to ``spec1`` drawn. ``detail`` gets the split:
    keydown → script run ended (server + transfer), and the server CPU used."""
    ctx, page, net = br.open()
    try:
        page.goto(url, wait_until="commit", timeout=timeout * 1000)
        if B.wait_drawn(page, spec0, timeout) is None or not B.wait_settled(page, timeout, quiet_s=0.8):
            return None
        page.evaluate(  # t0: the key's keydown, or (key_name "pointerdown") the pointer's press
            "(k) => document.addEventListener(k === 'pointerdown' ? k : 'keydown', e => {"
            " if ((k === 'pointerdown' || e.key === k) && window.__t0 === undefined) window.__t0 = performance.now(); }, true)",
            key_name)
        page.evaluate(B.STATE_LOG)
        cpu0 = server.cpu_ms()
        m0 = browser_metrics(net)
        action(page)
        done = B.wait_drawn(page, spec1, timeout, poll="raf")
        t0 = page.evaluate("() => window.__t0")
        took = None if done is None or t0 is None else done - t0
        if detail is not None and took is not None:
            B.wait_settled(page, timeout, quiet_s=0.3)
            states = [s for s in page.evaluate("() => window.__states") if s[1] >= t0]
            ends = [ts for state, ts in states if state == "notRunning"]
            m1 = browser_metrics(net)
            detail.append({"total_ms": took, "script_end_ms": (ends[0] - t0) if ends else None,
                           "reruns": sum(1 for state, _ in states if state == "running"),
                           "server_cpu_ms": server.cpu_ms() - cpu0,
                           "browser_task_ms": m1.get("task_ms", 0) - m0.get("task_ms", 0)})
        return took
    finally:
        br.close_context(ctx, net)


def type_filter(label: str):
    def act(page):
        box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
        box.click()
        page.keyboard.type(label)
        page.locator('[role="option"]', has_text=label).first.wait_for(timeout=10_000)
        page.keyboard.press("Enter")
    return act


# A mark on the timeline page that no other mark overlaps (its id and its centre on screen).
LONE_MARK = """() => { const gd = document.querySelector('.js-plotly-plot'); if (!gd || !gd._fullData) return null;
  const traces = gd.querySelectorAll('.scatterlayer .trace'), pts = [];
  gd._fullData.forEach((t, i) => { if (t.meta !== 'events' || !traces[i]) return;
    traces[i].querySelectorAll('path.point').forEach((p, k) => { const r = p.getBoundingClientRect();
      pts.push({id: t.customdata[k], x: r.left + r.width / 2, y: r.top + r.height / 2}); }); });
  return pts.find(p => p.y > 0 && p.y < innerHeight && pts.every(q => q === p || Math.hypot(q.x - p.x, q.y - p.y) > 16)) || null; }"""


def click_mark(chosen: dict):
    """Click a lone mark of the timeline; ``chosen["id"]`` gets its event."""
    def act(page):
        mark = page.evaluate(LONE_MARK)
        chosen["id"] = mark["id"]
        page.mouse.click(mark["x"], mark["y"])
    return act


def click_read_in_source(event_id: str):
    def act(page):
        page.locator(f"#event-{event_id} a", has_text="Read in the source").first.click()
    return act


def loadgen_cpu(base: str, pid: int, loads: int, page: str = "") -> float | None:
    """Server CPU (ms) per page load opened by tools/loadgen.py (Streamlit's protocol, no browser)."""
    import asyncio
    import sys as _sys
    from concurrent.futures import ThreadPoolExecutor

    _sys.path.insert(0, str(ROOT / "tools"))
    import loadgen

    def gen(*argv: str) -> dict:  # in a thread of its own: Playwright's sync API keeps a loop in this one
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, loadgen.main_async(loadgen.parse(["--url", base, "--page", page, *argv]))).result()

    gen("sequential", "--viewers", "2")
    return gen("--server-pid", str(pid), "sequential", "--viewers", str(loads)).get("server_cpu_per_load_ms")


def press_right(page) -> None:
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press("ArrowRight")


def sessions_slope(br, server, url, spec, n, timeout) -> dict:
    """RSS after the first session, then after each of ``n`` extra sessions (all kept open)."""
    rss = [server.rss_mb()]
    held = []
    try:
        for i in range(n):
            ctx, page, net = br.open()
            held.append((ctx, net))
            page.goto(url, wait_until="commit", timeout=timeout * 1000)
            B.wait_drawn(page, dict(spec, key=f"__s{i}"), timeout)
            B.wait_settled(page, timeout)
            time.sleep(1.0)
            rss.append(server.rss_mb())
    finally:
        for ctx, net in held:
            br.close_context(ctx, net)
    xs = list(range(len(rss)))
    mx, my = statistics.mean(xs), statistics.mean(rss)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, rss)) / sum((x - mx) ** 2 for x in xs)
    return {"rss_mb": rss, "slope_mb": slope}


def record_env(path: Path, places: Path | None) -> dict[str, str]:
    """What points the app, the floor and the CLI at a record (and at its gazetteer, if synthetic)."""
    env = {"COALITION_ATLAS_EVENTS": str(path)}
    if places is not None:
        env["COALITION_ATLAS_PLACES"] = str(places)
    return env


def validator_times(path: Path, runs: int, places: Path | None = None) -> tuple[list[float], list[float], object]:
    """CLI wall times (fresh interpreter each) and in-process load_atlas times (this process)."""
    from coalition_atlas.load import load_atlas

    env = {**os.environ, **record_env(path, places)}
    wall, inproc, atlas = [], [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "coalition_atlas", "validate", str(path)], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, env=env)
        wall.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        atlas = load_atlas(path, places)
        inproc.append((time.perf_counter() - t0) * 1000)
    return wall, inproc, atlas


def pack(path: Path, out_dir: Path, timeout: float, places: Path | None = None) -> tuple[Path, float]:
    target = out_dir / f"pack-{path.stem}.html"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "coalition_atlas", "export", "--format", "html", "-o", str(target)],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env={**os.environ, **record_env(path, places)},
                   timeout=timeout + 120)
    return target, (time.perf_counter() - t0) * 1000


def export_available() -> bool:
    r = subprocess.run([sys.executable, "-m", "coalition_atlas", "export", "--help"], cwd=ROOT,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return r.returncode == 0


# --- one record ----------------------------------------------------------------------------------------

class Dash:
    """The dashboard's server, restarted (cold) after a load that timed out: a script run
    stuck in Python does not stop when its browser goes away, and would load every later
    measurement."""

    def __init__(self, env: dict, work: Path):
        self.env, self.work = env, work
        self.srv = Server(ROOT / "dashboard.py", env, work)
        self.restarts = 0
        self.prime = None  # (browser, spec of the sources page, timeout): loads the record after a restart

    def restart(self) -> None:
        log("dashboard: restart after a timeout")
        self.srv.stop()
        self.srv = Server(ROOT / "dashboard.py", self.env, self.work)
        self.restarts += 1
        if self.prime:  # the first session of a cold server loads the record: not to be timed
            br, spec, timeout = self.prime
            series(br, self.srv, self.srv.base + "/sources", spec, 1, timeout * 3, "prime (sources)")


def measure_record(size: str, path: Path, runs: int, table: Table, br: B.Browser, work: Path, opts,
                   places: Path | None = None) -> dict:
    """One record; ``places``: its gazetteer (the synthetic records'), or None for the real one."""
    raw: dict = {"size": size, "record": str(path), "places": str(places) if places else None,
                 "load_start": os.getloadavg(), "runs": runs}
    timeout = TIMEOUT_S[size]
    over = f"(> {timeout:.0f} s)"
    log(f"== {size}: {path}")

    # validator first: its in-process load also gives the counts the browser must see
    vruns = runs if size == "real" else (opts.big_validator_runs if size == "10k" else min(runs, 3))
    wall, inproc, atlas = validator_times(path, vruns, places)
    x = expectations(atlas)
    raw.update(expect=x, validate_wall_ms=wall, load_atlas_ms=inproc)
    vt = {"real": 500.0, "10k": 3000.0}.get(size)
    table.add("validator: `python -m coalition_atlas validate` wall", size, "ms", wall, target=("abs", vt) if vt else None)
    table.add("validator: `load_atlas` in process", size, "ms", inproc, target=("abs", vt) if vt else None)
    log(f"validator wall={wall} inproc={inproc}")

    env = record_env(path, places)  # the dashboard and the floor read the same record and gazetteer
    cold = {"dashboard": [], "floor": []}
    if size == "real":  # more cold-start samples (a cold start does not read the record)
        for _ in range(runs - 1):
            for name, app in (("dashboard", ROOT / "dashboard.py"), ("floor", ROOT / "bench" / "floor_app.py")):
                srv = Server(app, env, work)
                cold[name].append(srv.cold_start_ms)
                srv.stop()
    dash = Dash(env, work)
    floor = Server(ROOT / "bench" / "floor_app.py", env, work)
    cold["dashboard"].append(dash.srv.cold_start_ms)
    cold["floor"].append(floor.cold_start_ms)
    raw["cold_start_ms"] = cold
    lim_page = {"real": ("ratio", 1.15), "10k": ("ratio", 0.35)}.get(size)
    dash.prime = (br, page_spec("sources", x, "__prime"), timeout)
    try:
        raw["rss_idle"] = {"dashboard": dash.srv.rss_mb(), "floor": floor.rss_mb()}
        # the first session (also the warm-up): a cold server loads the record here
        first = {}
        for name in ("dashboard", "floor"):
            srv = dash.srv if name == "dashboard" else floor
            spec = page_spec("overview", x, "__first") if name == "dashboard" else floor_spec(x, "__first")
            url = srv.base + "/"
            ctx, page, net = br.open()
            t0 = time.perf_counter()
            page.goto(url, wait_until="commit", timeout=timeout * 1000)
            ready = B.wait_drawn(page, spec, timeout * 2)
            if ready is not None:
                B.wait_settled(page, timeout)
                time.sleep(1.0)
            first[name] = {"ready_ms": ready, "wall_ms": (time.perf_counter() - t0) * 1000, "rss_mb": srv.rss_mb()}
            log(f"first session {name}: {first[name]}")
            # memory per extra session, the first one still open
            first[name]["sessions"] = sessions_slope(br, srv, url, spec, opts.sessions, timeout) if ready is not None else None
            log(f"sessions {name}: {first[name]['sessions']}")
            br.close_context(ctx, net)
        raw["first"] = first
        overview_ok = first["dashboard"]["ready_ms"] is not None
        if not overview_ok:
            dash.restart()
        table.add("cold start to /_stcore/health", size, "ms", cold["dashboard"], cold["floor"])
        table.add("first page (overview) after cold start: record loaded, drawn", size, "ms",
                  [first["dashboard"]["ready_ms"]], [first["floor"]["ready_ms"]],
                  note="" if overview_ok else f"(> {2 * timeout:.0f} s)")
        table.add("server RSS idle", size, "MB", [raw["rss_idle"]["dashboard"]], [raw["rss_idle"]["floor"]])
        table.add("server RSS after the first session", size, "MB", [first["dashboard"]["rss_mb"]], [first["floor"]["rss_mb"]])
        sl = lambda n: [first[n]["sessions"]["slope_mb"]] if first[n]["sessions"] else None  # noqa: E731
        table.add(f"server RSS per extra session (slope over {opts.sessions})", size, "MB", sl("dashboard"), sl("floor"),
                  target=("abs", 2.0) if size == "real" else None, note="" if overview_ok else "n/a (overview not drawn)")

        floor_runs = series(br, floor, floor.base + "/", floor_spec(x, "f"), runs, timeout, "floor")
        raw["floor_runs"] = floor_runs
        fr = [r["ready_ms"] for r in floor_runs]
        raw["pages"] = {}
        # pages that draw in time first: a timed-out run restarts the server
        for p in ("sources", "map", "timeline", "overview"):
            route = PAGES[p]
            if p == "overview" and not overview_ok:
                warm = [{"ready_ms": None}]
            else:
                warm = series(br, dash.srv, f"{dash.srv.base}/{route}", page_spec(p, x, "w"), 1, timeout, f"warm-up {p}")
            if warm[0]["ready_ms"] is None:
                rs = []
                if p != "overview" or overview_ok:
                    dash.restart()
            else:
                rs = series(br, dash.srv, f"{dash.srv.base}/{route}", page_spec(p, x, "p"), runs, timeout, p)
                if any(r["ready_ms"] is None for r in rs):
                    dash.restart()
            raw["pages"][p] = rs
        for p in PAGES:
            rs = raw["pages"][p]
            miss = sum(r["ready_ms"] is None for r in rs)
            table.add(f"{p}: drawn", size, "ms", [r["ready_ms"] for r in rs] if rs else None, fr, target=lim_page,
                      note=over if not rs else f"({miss} of {len(rs)} {over})" if miss else "")
        for p in PAGES:
            rs = raw["pages"][p]
            table.add(f"{p}: server CPU per load", size, "ms", [r["server_cpu_ms"] for r in rs] if rs else None,
                      [r["server_cpu_ms"] for r in floor_runs], note="" if rs else "n/a (not drawn)")
        ov = raw["pages"]["overview"]
        table.add("overview: bytes to the browser, first load", size, "bytes", [r["bytes"] for r in ov] if ov else None,
                  [r["bytes"] for r in floor_runs], note="" if ov else "n/a (not drawn)")
        if size == "real" and ov:
            proxied = through_proxy(br, dash.srv, page_spec("overview", x, "__px"), timeout)
            floor_proxied = through_proxy(br, floor, floor_spec(x, "__px"), timeout)
            raw["proxy"] = {"dashboard": proxied, "floor": floor_proxied}
            if proxied is not None:
                table.add("overview: bytes to the browser, first load through nginx (deploy/nginx.conf, gzip)", size,
                          "bytes", [proxied["bytes"]], [floor_proxied["bytes"]] if floor_proxied else None,
                          target=("abs", 2.5e6),
                          note=f"HTTP {proxied['http_bytes'] / 1e6:.2f} MB + WebSocket {proxied['ws_bytes'] / 1e6:.2f} MB")

        # the filter change: the sidebar's country box, type the name, Enter
        fl, ff, fdl, fdf = [], [], [], []
        for i in range(runs if ov else 0):
            fl.append(interaction(br, dash.srv, dash.srv.base + "/", page_spec("overview", x, f"__a{i}"),
                                  type_filter(x["filter_label_ar"]),
                                  {"key": f"__b{i}", "marks": x["filter_events"], "mapSel": ".ca-place",
                                   "mapN": x["filter_places"]}, timeout, "Enter", fdl))
            ff.append(interaction(br, floor, floor.base + "/", floor_spec(x, f"__a{i}"), type_filter(FILTER_COUNTRY),
                                  floor_spec(x, f"__b{i}", filtered=True), timeout, "Enter", fdf))
            log(f"filter run {i + 1}: dashboard={fl[-1]} floor={ff[-1]}")
        raw["filter_ms"] = {"dashboard": fl, "floor": ff, "detail": {"dashboard": fdl, "floor": fdf}}
        lim = {"real": ("abs", 400.0), "10k": ("abs", 1500.0)}.get(size)
        table.add(f"filter change (sidebar country → {FILTER_COUNTRY}): both redrawn", size, "ms", fl or None, ff or None,
                  target=lim, note="" if ov else "n/a (overview not drawn)")
        if fdl:
            table.add("… of which keydown → script run ended", size, "ms", [d["script_end_ms"] for d in fdl],
                      [d["script_end_ms"] for d in fdf] or None)
            table.add("… server CPU per filter change", size, "ms", [d["server_cpu_ms"] for d in fdl],
                      [d["server_cpu_ms"] for d in fdf] or None)

        # the presenter: → from step 1 to step 2 of the default tour
        px = presenter_expectations(atlas) if (ROOT / "pages" / "presenter.py").is_file() else None
        pl, pf, pdl, pdf = [], [], [], []
        if px:
            for i in range(runs):
                pl.append(interaction(
                    br, dash.srv, dash.srv.base + "/presenter?step=1",
                    {"key": f"__c{i}", "marks": px["marks"], "selected": px["first"], "mapSel": ".ca-place",
                     "mapN": px["places"], "mapMust": px["rings1"]},
                    press_right,
                    {"key": f"__d{i}", "marks": px["marks"], "selected": px["second"], "mapSel": ".ca-place",
                     "mapN": px["places"], "mapMust": px["rings2"],
                     "css": [[f'.ca-p-step[data-event="{px["second"]}"]', 1]]},
                    timeout, "ArrowRight", pdl))
                pf.append(interaction(
                    br, floor, floor.base + "/", floor_spec(x, f"__c{i}"), press_right,
                    dict(floor_spec(x, f"__d{i}"), selected=x["floor_step_event"], selectedBy="ring",
                         css=[['.floor-step[data-step="1"]', 1]],
                         mapMust=[".floor-ring"] if x["floor_step_has_place"] else []),
                    timeout, "ArrowRight", pdf))
                log(f"presenter run {i + 1}: dashboard={pl[-1]} floor={pf[-1]}")
        raw["presenter_ms"] = {"dashboard": pl, "floor": pf, "expect": px, "detail": {"dashboard": pdl, "floor": pdf}}
        no_presenter = "n/a (no pages/presenter.py)" if not (ROOT / "pages" / "presenter.py").is_file() else \
            "n/a (tours.yaml names the real record's ids)"
        table.add("presenter step (→, step 1 → 2 of the default tour)", size, "ms", pl or None, pf or None,
                  target=("abs", 300.0) if size == "real" else None, note="" if px else no_presenter)
        if pdl:
            table.add("… of which keydown → script run ended", size, "ms", [d["script_end_ms"] for d in pdl],
                      [d["script_end_ms"] for d in pdf] or None)
            table.add("… server CPU per step", size, "ms", [d["server_cpu_ms"] for d in pdl],
                      [d["server_cpu_ms"] for d in pdf] or None)
        # choose a mark on the timeline page: until the event's detail is on the page
        if size == "real" and ov:
            mk, mkd, chosen = [], [], {}
            for i in range(runs):
                spec0 = dict(page_spec("timeline", x, f"__e{i}"))
                mk.append(interaction(br, dash.srv, dash.srv.base + "/timeline?lang=en", spec0, click_mark(chosen),
                                      {"key": f"__f{i}", "marks": x["events"], "css": [["div.ca-event[id^='event-']", 1]]},
                                      timeout, "pointerdown", mkd))
                log(f"mark run {i + 1}: {mk[-1]} ({chosen.get('id')})")
            floor_rerun = [d["script_end_ms"] for d in fdf]
            raw["mark_ms"] = {"dashboard": mk, "detail": mkd}
            table.add("choose a timeline mark → its detail on the page (floor: its rerun, filter)", size, "ms", mk or None,
                      floor_rerun or None, target=("ratio", 0.5))
            # "Read in the source" from the timeline's detail: until the highlighted passage is in view
            ev = atlas.event("final-liberation-declared") or atlas.events[0]
            ref = ev.sources[0]
            rs_, rsd = [], []
            for i in range(runs):
                rs_.append(interaction(
                    br, dash.srv, dash.srv.base + f"/timeline?lang=en&event={ev.id}",
                    {"key": f"__g{i}", "css": [[f"#event-{ev.id}", 1]]}, click_read_in_source(ev.id),
                    {"key": f"__h{i}", "inView": f"#p-{ref.doc}-{ref.paragraph} mark.ca-hl"},
                    timeout, "pointerdown", rsd))
                log(f"read-in-source run {i + 1}: {rs_[-1]}")
            raw["read_in_source_ms"] = {"dashboard": rs_, "detail": rsd}
            table.add("\"Read in the source\" → highlighted passage in view, same session (floor: its page load)", size,
                      "ms", rs_ or None, fr, target=("ratio", 0.5))
            # server CPU per page load, opened at the protocol level (tools/loadgen.py): no browser,
            # no map report-back; beside an empty Streamlit app's
            with Server(ROOT / "bench" / "empty_app.py", env, work) as empty:
                cpu_empty = loadgen_cpu(empty.base, empty.pid, 8)
            cpu_floor = loadgen_cpu(floor.base, floor.pid, 8)
            for p in PAGES:
                cpu = loadgen_cpu(dash.srv.base, dash.srv.pid, 8, PAGES[p])
                table.add(f"{p}: server CPU per page load, load generator (empty Streamlit app: {fmt(cpu_empty, 'ms')})",
                          size, "ms", [cpu] if cpu is not None else None, [cpu_floor] if cpu_floor is not None else None,
                          target=("ratio", 0.5))
            raw["loadgen_cpu_ms"] = {"empty": cpu_empty, "floor": cpu_floor}
        raw["dashboard_restarts"] = dash.restarts
    finally:
        dash.srv.stop()
        floor.stop()

    # the briefing pack, drawn from file://
    if export_available():
        try:
            target, took = pack(path, work, timeout, places)
        except subprocess.TimeoutExpired:
            target, took = None, None
        if target is None:
            table.add("briefing pack: `export --format html` wall", size, "ms", None, note=f"(export > {timeout + 120:.0f} s)")
        else:
            size_b = target.stat().st_size
            draws, pack_metrics = [], []
            # the pack's timeline is inline SVG: every mark is a link a.ca-m (no Plotly traces to count)
            spec = {"attrs": ["data-ca-timeline", "data-ca-map"],
                    "css": [["#ca-timeline a.ca-m", x["events"]], [".ca-place", x["places"]]]}
            for i in range(runs):
                ctx, page, net = br.open()
                try:
                    page.goto(target.as_uri(), wait_until="commit", timeout=timeout * 1000)
                    draws.append(B.wait_drawn(page, dict(spec, key=f"__k{i}"), timeout))
                    pack_metrics.append(browser_metrics(net))
                finally:
                    br.close_context(ctx, net)
                log(f"pack run {i + 1}: {draws[-1]}")
            raw["pack"] = {"bytes": size_b, "export_ms": took, "draw_ms": draws, "metrics": pack_metrics}
            tl = TIMELINEJS_MS[size]
            table.add("briefing pack: file size", size, "bytes", [size_b], target=("abs", 5e6) if size == "real" else None)
            table.add("briefing pack: drawn from file://", size, "ms", draws, target=("abs", 2 * tl),
                      floor_note=f"(TimelineJS page {fmt(tl, 'ms')}: target 2×)")
            table.add("briefing pack: `export --format html` wall", size, "ms", [took])
    else:
        table.add("briefing pack", size, "ms", None, note="n/a (no `export --format html`)")
    raw["load_end"] = os.getloadavg()
    return raw


def metrics_table(raw: dict) -> str:
    """Chromium's main thread per load (medians): where the browser's time goes."""
    out = ["Browser main thread per load, medians (CDP Performance.getMetrics, until settled):", "",
           "| record | page | task | script | layout+style | JS heap | DOM nodes | heaviest transfers |",
           "|---|---|---|---|---|---|---|---|"]
    for rec in raw["records"]:
        loads = {f"dashboard {p}": rs for p, rs in rec.get("pages", {}).items()}
        loads["floor"] = rec.get("floor_runs", [])
        if rec.get("pack"):
            loads["briefing pack (file://)"] = [{"metrics": m} for m in rec["pack"]["metrics"]]
        for name, rs in loads.items():
            ms = [r["metrics"] for r in rs if r.get("metrics")]
            if not ms:
                continue
            med = lambda k: statistics.median(m.get(k, 0) for m in ms)  # noqa: E731
            top = rs[0].get("top") or []
            top_s = ", ".join(f"{u.rsplit('/', 1)[-1][:28]} {b / 1e6:.2f} MB" for u, b in top[:2])
            out.append(f"| {rec['size']} | {name} | {fmt(med('task_ms'), 'ms')} | {fmt(med('script_ms'), 'ms')} | "
                       f"{fmt(med('layout_ms'), 'ms')} | {med('heap_mb'):.1f} MB | {med('nodes'):.0f} | {top_s} |")
    return "\n".join(out)


# --- the run ------------------------------------------------------------------------------------------

def machine(br: B.Browser) -> dict:
    import streamlit

    mem = next((int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal")), 0)
    return {"nproc": os.cpu_count(), "ram_gb": round(mem / 2**20, 1), "python": platform.python_version(),
            "streamlit": streamlit.__version__, "chromium": br.version, "kernel": platform.release()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="real record only, 3 runs")
    ap.add_argument("--runs", type=int, help="measured runs per figure (default: 3 quick, 5 full)")
    ap.add_argument("--sizes", default=None, help="comma-separated: real,1k,10k (default: all; quick: real)")
    ap.add_argument("--sessions", type=int, default=5, help="extra sessions opened for the memory slope")
    ap.add_argument("--big-runs", type=int, default=3, help="measured runs at 10,000 events (full mode)")
    ap.add_argument("--big-validator-runs", type=int, default=1, help="validator runs at 10,000 events")
    ap.add_argument("--out", default=None, help="write the raw results (JSON) here")
    ap.add_argument("--wait-load", type=float, default=0.0,
                    help="first wait (up to 20 min) for the 1-minute load average to fall below this")
    ap.add_argument("--wait-max", type=float, default=1200, help="seconds --wait-load waits at most")
    opts = ap.parse_args(argv)
    runs = opts.runs or (3 if opts.quick else 5)
    sizes = (opts.sizes or ("real" if opts.quick else "real,1k,10k")).split(",")
    if opts.wait_load:
        deadline = time.time() + opts.wait_max
        while os.getloadavg()[0] >= opts.wait_load and time.time() < deadline:
            log(f"waiting for load < {opts.wait_load}")
            time.sleep(30)

    work = Path(tempfile.mkdtemp(prefix="coalition-atlas-bench-"))
    out = Path(opts.out) if opts.out else work / "results.json"
    table = Table()
    started = dt.datetime.now().isoformat(timespec="seconds")
    load0 = os.getloadavg()
    br = B.Browser()
    raw = {"started": started, "runs": runs, "sizes": sizes, "machine": machine(br), "records": []}
    try:
        for size in sizes:
            synth = None if SIZES[size] is None else write_synth(SIZES[size], work)
            path, places = (ROOT / "events.yaml", None) if synth is None else (synth.events, synth.places)
            n = opts.big_runs if size == "10k" and not opts.runs else runs
            raw["records"].append(measure_record(size, path, n, table, br, work, opts, places))
    finally:
        br.close()
    load1 = os.getloadavg()
    raw["external_requests"] = br.external
    raw["table"] = table.rows
    out.write_text(json.dumps(raw, indent=1, default=str))
    m = raw["machine"]
    print(f"Coalition Atlas speed — {started}, {runs} runs after a warm-up, fresh browser context each run")
    print(f"machine: {m['nproc']} cores, {m['ram_gb']} GB RAM, Python {m['python']}, Streamlit {m['streamlit']}, "
          f"Chromium {m['chromium']}; load average at start {load0[0]:.2f} / {load0[1]:.2f} / {load0[2]:.2f}, "
          f"at end {load1[0]:.2f} / {load1[1]:.2f} / {load1[2]:.2f}")
    print(f"non-loopback requests (aborted, counted): {len(br.external)}" + (f" {br.external[:5]}" if br.external else ""))
    print()
    print(table.markdown())
    print()
    print(metrics_table(raw))
    print(f"\nraw results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
