"""A protocol-level load generator: many simulated viewers from one process, no browser.

Each viewer speaks Streamlit's own WebSocket protocol with Streamlit's own protobuf messages
(``BackMsg`` out, ``ForwardMsg`` in): it opens ``/_stcore/stream``, asks for a script run of a
page and query string (what a browser sends when it loads a page), reads the deltas until the
run's ``script_finished``, then does what the scenario says (choose a country in the sidebar's
box, move to the presenter, press "next" inside the presenter's fragment) and counts the deltas
of each rerun the same way. What a browser does besides (fetching the bundles, which nginx or
the browser's cache serve; drawing; the map frame's report-back rerun) is not simulated: the
figures are the server's side of a page load.

BackMsg/ForwardMsg are Streamlit internals, not a public API: the version is pinned
(:data:`STREAMLIT`) and checked at start-up; another version stops with a clear message.

    .venv/bin/python tools/loadgen.py --url http://127.0.0.1:8501 rate --rates 1,2,4 --seconds 20
    .venv/bin/python tools/loadgen.py --url http://127.0.0.1:8501 classroom   # 30 viewers in 10 s
    .venv/bin/python tools/loadgen.py --url http://127.0.0.1:8501 briefing    # 200 viewers in 60 s
    .venv/bin/python tools/loadgen.py --url ... --server-pid PID ...          # + server CPU per load

Loopback only (the URL's host must be 127.0.0.1, ::1 or localhost); every loop is bounded
(viewers, seconds, a time limit per run). Prints one JSON object (``--out`` writes it too).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

STREAMLIT = "1.67."  # the protocol below was read from Streamlit 1.67's source
LOOPBACK = {"127.0.0.1", "::1", "localhost"}
RUN_LIMIT_S = 60.0  # one script run that takes longer counts as failed
MAX_VIEWERS = 2000


def check_versions() -> None:
    import streamlit

    if not streamlit.__version__.startswith(STREAMLIT):
        sys.exit(f"tools/loadgen.py speaks Streamlit {STREAMLIT}x's internal protocol; this is {streamlit.__version__}: "
                 "read streamlit/proto/BackMsg.proto and ForwardMsg.proto of that version and update the generator")


def proto():
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    return BackMsg, ForwardMsg


@dataclass
class Run:
    """One script run as the viewer saw it."""

    what: str
    seconds: float
    deltas: int
    bytes: int
    status: str  # "ok", "fragment", "error: …", "timeout"
    paths: list[tuple[int, ...]] = field(default_factory=list)  # delta paths (to tell what was redrawn)


class Viewer:
    """One simulated browser tab: one WebSocket, one Streamlit session."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")
        parts = urlsplit(self.base)
        self.host = parts.netloc
        self.ws_url = ("wss" if parts.scheme == "https" else "ws") + f"://{parts.netloc}{parts.path}/_stcore/stream"
        self.ws = None
        self.widgets: dict[str, tuple[str, str, str, list[str]]] = {}  # id -> (type, fragment id, label, options)
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.page_hash = ""
        self.query = ""

    async def open(self) -> None:
        import websockets

        self.ws = await websockets.connect(
            self.ws_url, subprotocols=["streamlit"], origin=f"http://{self.host}",  # same origin: no look-up
            max_size=64 * 2**20, open_timeout=RUN_LIMIT_S, ping_interval=None,
        )

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def rerun(self, what: str, *, page: str | None = None, query: str | None = None,
                    widgets: list | None = None, fragment: str = "") -> Run:
        """Ask for a script run and read until it finishes."""
        BackMsg, ForwardMsg = proto()
        msg = BackMsg()
        state = msg.rerun_script
        if query is not None:
            self.query = query
        state.query_string = self.query
        if page is not None:  # a page by its URL path (the first load) or, once known, its hash
            if page in self.pages:
                state.page_script_hash = self.pages[page]
            state.page_name = page
        else:
            state.page_script_hash = self.page_hash
        if widgets:
            state.widget_states.widgets.extend(widgets)
        if fragment:
            state.fragment_id = fragment
        state.context_info.timezone = "UTC"
        state.context_info.locale = "ar"
        state.context_info.url = f"{self.base}/{page or ''}"
        started = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        deltas = size = 0
        paths: list[tuple[int, ...]] = []
        deadline = started + RUN_LIMIT_S
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                return Run(what, time.perf_counter() - started, deltas, size, "timeout", paths)
            try:
                data = await asyncio.wait_for(self.ws.recv(), timeout=left)
            except asyncio.TimeoutError:
                return Run(what, time.perf_counter() - started, deltas, size, "timeout", paths)
            size += len(data)
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "delta":
                deltas += 1
                paths.append(tuple(fwd.metadata.delta_path))
                self._widget(fwd.delta)
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
                for p in fwd.navigation.app_pages:
                    if p.is_default:
                        self.pages.setdefault("", p.page_script_hash)
                self.page_hash = fwd.navigation.page_script_hash
            elif kind == "new_session":
                self.page_hash = fwd.new_session.page_script_hash or self.page_hash
            elif kind == "page_not_found":
                return Run(what, time.perf_counter() - started, deltas, size, "error: page not found", paths)
            elif kind == "script_finished":
                status = fwd.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # the app reran itself (st.rerun, st.switch_page): the next run counts too
                took = time.perf_counter() - started
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    return Run(what, took, deltas, size, "error: compile", paths)
                return Run(what, took, deltas, size, "fragment" if status == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY else "ok", paths)

    def _widget(self, delta) -> None:
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        inner = getattr(element, kind, None) if kind else None
        wid = getattr(inner, "id", "") if inner is not None else ""
        if wid:
            self.widgets[wid] = (kind, delta.fragment_id, getattr(inner, "label", ""), list(getattr(inner, "options", [])))

    def find(self, key: str) -> tuple[str, tuple[str, str, str, list[str]]]:
        """The widget whose user key is ``key`` (Streamlit ends a keyed widget's id with it)."""
        for wid, info in self.widgets.items():
            if wid.endswith("-" + key) or wid == key:
                return wid, info
        raise LookupError(f"no widget with key {key!r} on this page")


def widget_state(wid: str, **value):
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    state = WidgetState(id=wid)
    for name, v in value.items():
        if name == "string_array_value":
            state.string_array_value.data.extend(v)
        else:
            setattr(state, name, v)
    return state


# --- scenarios ---------------------------------------------------------------------------------

async def page_load(base: str, path: str, query: str, hold: float = 0.0) -> list[Run]:
    """One viewer opens a page (its HTML, then the session's first run) and leaves after ``hold`` s."""
    viewer = Viewer(base)
    started = time.perf_counter()
    try:
        await asyncio.to_thread(_get, f"{viewer.base}/{path}")  # the page's HTML (the bundles are cached)
        await viewer.open()
        run = await viewer.rerun(f"load {path or 'overview'}", page=path, query=query)
        run.seconds = time.perf_counter() - started
        if hold:
            await asyncio.sleep(hold)
        return [run]
    except Exception as err:  # a refused or dropped connection is a failed load, not a crash
        return [Run(f"load {path or 'overview'}", time.perf_counter() - started, 0, 0, f"error: {type(err).__name__}: {err}"[:200])]
    finally:
        await viewer.close()


async def explore(base: str, query: str, country_label: str, steps: int, hold: float = 0.0) -> list[Run]:
    """A classroom viewer: the overview, a country chosen in the sidebar, the presenter, steps."""
    viewer = Viewer(base)
    runs: list[Run] = []
    started = time.perf_counter()
    try:
        await asyncio.to_thread(_get, f"{viewer.base}/")
        await viewer.open()
        run = await viewer.rerun("load overview", page="", query=query)
        run.seconds = time.perf_counter() - started
        runs.append(run)
        wid, (_, fragment, _, options) = viewer.find("countries_" + ("en" if "lang=en" in query else "ar"))
        label = next((o for o in options if country_label in o), options[0] if options else "")
        runs.append(await viewer.rerun("filter", widgets=[widget_state(wid, string_array_value=[label])]))
        runs.append(await viewer.rerun("to presenter", page="presenter"))
        for _ in range(steps):
            wid, (_, fragment, _, _) = viewer.find("ca_next")
            runs.append(await viewer.rerun("presenter step", widgets=[widget_state(wid, trigger_value=True)], fragment=fragment))
        if hold:
            await asyncio.sleep(hold)
    except Exception as err:
        runs.append(Run("explore", time.perf_counter() - started, 0, 0, f"error: {type(err).__name__}: {err}"[:200]))
    finally:
        await viewer.close()
    return runs


def _get(url: str) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=RUN_LIMIT_S) as resp:
        resp.read()


async def crowd(arrivals: list[float], make) -> tuple[list[Run], float]:
    """Start ``make()`` at each arrival time (seconds from now); all runs, and the wall time."""
    t0 = time.perf_counter()

    async def one(at: float):
        await asyncio.sleep(max(0.0, at - (time.perf_counter() - t0)))
        return await make()

    results = await asyncio.gather(*(one(a) for a in arrivals))
    return [r for rs in results for r in rs], time.perf_counter() - t0


# --- figures -----------------------------------------------------------------------------------

def cpu_seconds(pid: int | None) -> float | None:
    """utime + stime of ``pid`` and its children (``/proc``), in seconds."""
    if not pid:
        return None
    tick = os.sysconf("SC_CLK_TCK")
    total, todo, seen = 0.0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{p}/task").iterdir():
                children = (task / "children").read_text().split()
                todo.extend(int(c) for c in children)
        except (OSError, ValueError, IndexError):
            continue
    return total


def summary(runs: list[Run]) -> dict:
    out: dict = {}
    for what in dict.fromkeys(r.what for r in runs):
        mine = [r for r in runs if r.what == what]
        good = sorted(r.seconds for r in mine if r.status in ("ok", "fragment"))
        out[what] = {
            "n": len(mine), "failed": len(mine) - len(good),
            "p50_s": round(statistics.median(good), 3) if good else None,
            "p95_s": round(good[max(0, int(len(good) * 0.95 + 0.5) - 1)], 3) if good else None,
            "max_s": round(good[-1], 3) if good else None,
            "deltas_median": statistics.median([r.deltas for r in mine]) if mine else 0,
            "kb_median": round(statistics.median([r.bytes for r in mine]) / 1024, 1) if mine else 0,
            "errors": sorted({r.status for r in mine if r.status not in ("ok", "fragment")})[:5],
        }
    return out


async def main_async(args) -> dict:
    rng = random.Random(args.seed)
    base = args.url.rstrip("/")
    path, _, query = args.page.partition("?")
    result: dict = {"url": base, "page": args.page, "scenario": args.scenario}
    cpu0 = cpu_seconds(args.server_pid)
    if args.scenario == "rate":
        result["rates"] = []
        for rate in [float(r) for r in args.rates.split(",")]:
            n = max(1, int(rate * args.seconds))
            arrivals = sorted(rng.uniform(0, args.seconds) for _ in range(n)) if args.poisson else [i / rate for i in range(n)]
            c0 = cpu_seconds(args.server_pid)
            runs, wall = await crowd(arrivals, lambda: page_load(base, path, query))
            c1 = cpu_seconds(args.server_pid)
            loads = summary(runs)
            row = {"rate_per_s": rate, "wall_s": round(wall, 2), **next(iter(loads.values()))}
            if c0 is not None and c1 is not None:
                row["server_cpu_per_load_ms"] = round((c1 - c0) / n * 1000, 1)
            result["rates"].append(row)
            print(json.dumps(row), file=sys.stderr)
            if row["p95_s"] is None or row["p95_s"] > args.p95_limit or row["failed"]:
                break  # past capacity: no higher rate
        fine = [r["rate_per_s"] for r in result["rates"] if r["p95_s"] is not None and r["p95_s"] <= args.p95_limit and not r["failed"]]
        result["capacity_loads_per_s"] = max(fine) if fine else 0
    elif args.scenario == "sequential":  # server CPU per page load, one at a time
        runs = []
        for _ in range(args.viewers):
            runs += await page_load(base, path, query)
        result["loads"] = summary(runs)
    elif args.scenario == "classroom":
        arrivals = sorted(rng.uniform(0, args.seconds) for _ in range(args.viewers))
        runs, wall = await crowd(arrivals, lambda: explore(base, query, args.country, args.steps))
        result["wall_s"] = round(wall, 2)
        result["moves"] = summary(runs)
    elif args.scenario == "briefing":
        arrivals = sorted(rng.uniform(0, args.seconds) for _ in range(args.viewers))
        # everyone stays until the last has arrived (an audience keeps its tabs open)
        runs, wall = await crowd(arrivals, lambda: page_load(base, path, query, hold=0.0))
        result["wall_s"] = round(wall, 2)
        result["loads"] = summary(runs)
    cpu1 = cpu_seconds(args.server_pid)
    if cpu0 is not None and cpu1 is not None:
        result["server_cpu_s"] = round(cpu1 - cpu0, 2)
        loads = sum(v["n"] for k, v in (result.get("loads") or result.get("moves") or {}).items() if k.startswith("load"))
        if loads:
            result["server_cpu_per_load_ms"] = round((cpu1 - cpu0) / loads * 1000, 1)
    return result


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", required=True, help="the app's base URL, on the loopback (e.g. http://127.0.0.1:8501)")
    ap.add_argument("--page", default="", help="path and query string of the page to open (default: the overview)")
    ap.add_argument("--server-pid", type=int, default=None, help="measure this process tree's CPU (/proc)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=None)
    sub = ap.add_subparsers(dest="scenario", required=True)
    r = sub.add_parser("rate", help="page loads at rising rates until p95 exceeds --p95-limit")
    r.add_argument("--rates", default="0.5,1,2,3,4,6,8")
    r.add_argument("--seconds", type=float, default=20)
    r.add_argument("--p95-limit", type=float, default=2.0)
    r.add_argument("--poisson", action="store_true", help="random arrivals instead of evenly spaced")
    s = sub.add_parser("sequential", help="page loads one at a time (server CPU per load)")
    s.add_argument("--viewers", type=int, default=10)
    c = sub.add_parser("classroom", help="viewers arrive, filter, open the presenter and step")
    c.add_argument("--viewers", type=int, default=30)
    c.add_argument("--seconds", type=float, default=10)
    c.add_argument("--steps", type=int, default=3)
    c.add_argument("--country", default="ليبيا", help="a part of the country's label in the sidebar's box")
    b = sub.add_parser("briefing", help="viewers open the page over a period")
    b.add_argument("--viewers", type=int, default=200)
    b.add_argument("--seconds", type=float, default=60)
    args = ap.parse_args(argv)
    host = urlsplit(args.url).hostname or ""
    if host not in LOOPBACK:
        ap.error(f"--url must be on the loopback ({', '.join(sorted(LOOPBACK))}), not {host!r}")
    if getattr(args, "viewers", 1) > MAX_VIEWERS or getattr(args, "viewers", 1) < 1:
        ap.error(f"--viewers: 1 to {MAX_VIEWERS}")
    if getattr(args, "seconds", 1) > 3600:
        ap.error("--seconds: at most 3600")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    check_versions()
    result = asyncio.run(main_async(args))
    text = json.dumps(result, ensure_ascii=False, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
