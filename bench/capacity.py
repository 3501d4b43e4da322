"""Server capacity, measured like a server: tools/loadgen.py (Streamlit's own protocol, many
viewers from one process) against the dashboard, the floor and an empty Streamlit app.

    .venv/bin/python -m bench.capacity            # about 15 minutes on 2 shared cores
    .venv/bin/python -m bench.capacity --quick    # CPU per load only, about 3 minutes

1. Server CPU per page load, loads one at a time after two warm-ups (``/proc`` utime+stime of
   the server's process tree): an empty Streamlit app (``bench/empty_app.py``: Streamlit's own
   cost), the floor (``bench/floor_app.py``) and each page of the dashboard.
2. Page loads per second at p95 ≤ 2 s (rising rates, 15 s each), a classroom (30 viewers
   within 10 s, each choosing a country, opening the presenter, three steps) and a briefing
   (200 viewers within 60 s), on one dashboard process and on two behind the documented nginx
   (deploy/nginx.conf rendered by deploy/render_nginx_conf.py, as bench/proxy.py does).

Loopback only; every loop bounded. Prints a Markdown table and writes the raw JSON (``--out``).
The load generator shares the machine's cores with the servers: its own CPU is printed too.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from .proxy import nginx_binary, nginx_in_front
from .server import ROOT, Server

sys.path.insert(0, str(ROOT / "tools"))
import loadgen  # noqa: E402

PAGES = ["", "timeline", "map", "sources", "presenter"]


def own_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def gen(url: str, *argv: str, pids: list[int] | None = None) -> dict:
    args = loadgen.parse(["--url", url, *argv])
    before = [loadgen.cpu_seconds(p) for p in pids or []]
    me = own_cpu()
    result = asyncio.run(loadgen.main_async(args))
    if pids:
        used = sum(loadgen.cpu_seconds(p) - b for p, b in zip(pids, before))
        result["servers_cpu_s"] = round(used, 2)
    result["loadgen_cpu_s"] = round(own_cpu() - me, 2)
    return result


def cpu_per_load(server: Server, page: str, loads: int) -> dict:
    gen(server.base, "--page", page, "sequential", "--viewers", "2")  # warm-up
    result = gen(server.base, "--page", page, "--server-pid", str(server.pid), "sequential", "--viewers", str(loads))
    stats = next(iter(result["loads"].values()))
    return {"page": page or "overview", "cpu_ms": result.get("server_cpu_per_load_ms"), "p50_s": stats["p50_s"],
            "kb": stats["kb_median"], "deltas": stats["deltas_median"], "failed": stats["failed"]}


def crowd_figures(url: str, pids: list[int], seconds: float) -> dict:
    out = {}
    out["rate"] = gen(url, "rate", "--rates", "0.5,1,2,3,4,6,8,12", "--seconds", str(seconds), pids=pids)
    out["classroom"] = gen(url, "classroom", "--viewers", "30", "--seconds", "10", "--steps", "3", pids=pids)
    out["briefing"] = gen(url, "briefing", "--viewers", "200", "--seconds", "60", pids=pids)
    return out


def table(res: dict) -> str:
    rows = ["| figure | empty Streamlit app | floor | dashboard |", "|---|---|---|---|"]
    cpu = res["cpu_per_load"]
    empty, floor = cpu["empty"][0], cpu["floor"][0]
    for row in cpu["dashboard"]:
        ratio = f" ({row['cpu_ms'] / floor['cpu_ms']:.2f}× floor)" if floor["cpu_ms"] else ""
        rows.append(f"| server CPU per page load: {row['page']} | {empty['cpu_ms']} ms | {floor['cpu_ms']} ms | "
                    f"{row['cpu_ms']} ms{ratio} |")
    for name, crowd in res.get("crowds", {}).items():
        rate = crowd["rate"]
        rows.append(f"| {name}: page loads/s at p95 ≤ 2 s | | | {rate['capacity_loads_per_s']} |")
        for r in rate["rates"]:
            rows.append(f"| {name}: {r['rate_per_s']}/s for {r['wall_s']:.0f} s | | | p50 {r['p50_s']} s, p95 {r['p95_s']} s, "
                        f"{r['failed']} failed, CPU {r.get('server_cpu_per_load_ms', '–')} ms/load |")
        for scen in ("classroom", "briefing"):
            moves = crowd[scen].get("moves") or crowd[scen].get("loads")
            for what, m in moves.items():
                rows.append(f"| {name}: {scen}, {what} (n={m['n']}) | | | p50 {m['p50_s']} s, p95 {m['p95_s']} s, "
                            f"max {m['max_s']} s, {m['failed']} failed |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="CPU per page load only")
    ap.add_argument("--loads", type=int, default=10, help="sequential loads per page for CPU per load")
    ap.add_argument("--seconds", type=float, default=15, help="seconds per rate step")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    loadgen.check_versions()
    res: dict = {"started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()), "cpu_per_load": {}}
    with tempfile.TemporaryDirectory(prefix="cab-cap-") as tmp:
        work = Path(tmp)
        for name, app, pages in (("empty", ROOT / "bench" / "empty_app.py", [""]),
                                 ("floor", ROOT / "bench" / "floor_app.py", [""]),
                                 ("dashboard", ROOT / "dashboard.py", PAGES)):
            with Server(app, {}, work) as server:
                res["cpu_per_load"][name] = [cpu_per_load(server, page, args.loads) for page in pages]
            print(json.dumps({name: res["cpu_per_load"][name]}), file=sys.stderr)
        if not args.quick:
            res["crowds"] = {}
            with Server(ROOT / "dashboard.py", {}, work) as one:
                gen(one.base, "sequential", "--viewers", "2")
                res["crowds"]["one process"] = crowd_figures(one.base, [one.pid], args.seconds)
            if nginx_binary():
                with contextlib.ExitStack() as stack:
                    servers = [stack.enter_context(Server(ROOT / "dashboard.py", {}, work)) for _ in range(2)]
                    url = stack.enter_context(nginx_in_front([s.port for s in servers], workers=1))
                    for s in servers:
                        gen(s.base, "sequential", "--viewers", "2")
                    res["crowds"]["two processes + nginx"] = crowd_figures(url, [s.pid for s in servers], args.seconds)
    text = table(res)
    print(text)
    out = args.out or Path(tempfile.gettempdir()) / f"capacity-{int(time.time())}.json"
    out.write_text(json.dumps(res, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"raw: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
