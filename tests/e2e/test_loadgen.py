"""The protocol-level load generator (tools/loadgen.py) against a real server, and what it
shows of the app's reruns: a presenter step or an event chosen on the timeline reruns only its
fragment (no delta for the sidebar), a filter change reruns the whole app."""

from __future__ import annotations

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))

import loadgen  # noqa: E402

MAIN, SIDEBAR = 0, 1  # the root containers of a delta's path


def run(coro):
    """asyncio.run in a thread of its own (Playwright's sync API keeps a loop in this one)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def test_a_short_classroom_run_completes(app_server):
    args = loadgen.parse(["--url", app_server, "classroom", "--viewers", "3", "--seconds", "1", "--steps", "2"])
    result = run(loadgen.main_async(args))
    moves = result["moves"]
    assert set(moves) == {"load overview", "filter", "to presenter", "presenter step"}
    assert all(m["failed"] == 0 for m in moves.values()), moves
    assert moves["presenter step"]["n"] == 6 and moves["load overview"]["deltas_median"] > 10


def test_only_the_fragment_reruns(app_server):
    async def go():
        viewer = loadgen.Viewer(app_server)
        await viewer.open()
        try:
            first = await viewer.rerun("load", page="presenter", query="lang=en&tour=mosul-to-last-territory&step=2")
            assert first.status == "ok" and any(p[0] == SIDEBAR for p in first.paths)
            wid, (_, fragment, _, _) = viewer.find("ca_next")
            assert fragment
            step = await viewer.rerun("step", widgets=[loadgen.widget_state(wid, trigger_value=True)], fragment=fragment)
            assert step.status == "fragment" and step.deltas > 0
            assert all(p[0] == MAIN for p in step.paths), "the step redrew something outside the presenter"

            await viewer.rerun("timeline", page="timeline", query="lang=en")
            wid, (_, fragment, _, options) = viewer.find("timeline_pick")
            assert fragment and options
            chosen = await viewer.rerun("choose", widgets=[loadgen.widget_state(wid, string_value=options[3])], fragment=fragment)
            assert chosen.status == "fragment" and chosen.deltas > 0
            assert all(p[0] == MAIN for p in chosen.paths)

            wid, (_, fragment, _, options) = viewer.find("countries_en")
            assert not fragment  # the sidebar's filters change everything: a whole run
            label = next(o for o in options if "Libya" in o)
            filtered = await viewer.rerun("filter", widgets=[loadgen.widget_state(wid, string_array_value=[label])])
            assert filtered.status == "ok" and any(p[0] == SIDEBAR for p in filtered.paths)
        finally:
            await viewer.close()

    run(go())
