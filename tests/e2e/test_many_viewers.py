"""A small version of tools/load_test.py in every CI run: concurrent sessions, no errors,
memory that comes back. The full run (20 sessions, 60 s) is a documented command."""

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def load_test():
    spec = importlib.util.spec_from_file_location("load_test", ROOT / "tools" / "load_test.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["load_test"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_concurrent_sessions_explore_without_errors(load_test, browser):  # `browser`: the e2e skip/fail rules
    report = load_test.run(sessions=4, seconds=25)
    summary = report.summary()
    print(summary)
    assert report.errors == []
    assert summary["page_loads"] >= 4
    assert summary["rss_start_mb"] > 0 and summary["rss_peak_mb"] >= summary["rss_start_mb"]
    # once the sessions have closed, the server is back near where one warm session left it
    # (caches are filled by the warm-up; what the sessions held must not stay)
    assert summary["rss_after_mb"] <= summary["rss_warm_mb"] + 60, summary
