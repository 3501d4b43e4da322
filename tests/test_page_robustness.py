"""Every page under bad input: broken records, records edited while the app runs, any URL.

AppTest runs the real entry script in this process, so pointing ``pages._ui.EVENTS_PATH`` at
a temporary file is enough to feed the app another record.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from coalition_atlas.viewstate import KNOWN
from conftest import RECORD, position

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["pages/overview.py", "pages/timeline.py", "pages/map.py", "pages/sources.py"]


@pytest.fixture
def record_file(tmp_path, monkeypatch):
    from pages import _ui

    path = tmp_path / "events.yaml"
    path.write_text(RECORD, "utf-8")
    monkeypatch.setattr(_ui, "EVENTS_PATH", path)
    return path


def run(page: str | None = None, at: AppTest | None = None, **params: str) -> AppTest:
    if at is None:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
        for key, value in params.items():
            at.query_params[key] = value
    if page:
        at.switch_page(page)  # the URL's page, from the first run on (as a deep link does)
    at.run()
    return at


def literal(markdown: str) -> str:
    """Markdown escaped by render.md, as it reads on the page (the backslashes gone)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def texts(at: AppTest) -> str:
    return "\n".join(e.value for e in at.error) + "\n".join(m.value for m in at.markdown)


def rewrite(path: Path, text: str) -> None:
    path.write_text(text, "utf-8")
    stamp = time.time() + 1  # a new mtime even within the file system's resolution
    os.utime(path, (stamp, stamp))


def test_a_broken_record_at_start_shows_located_problems(record_file):
    rewrite(record_file, RECORD.replace("category: territory", "category: teritory"))
    at = run()
    assert not at.exception
    assert len(at.error) == 1
    line, col = position(RECORD, "territory")
    assert f"events.yaml:{line}:{col}: unknown category 'teritory' — did you mean 'territory'?" in literal(at.error[0].value)


def test_an_empty_or_binary_record_is_located_too(record_file):
    record_file.write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    at = run()
    assert not at.exception and "events.yaml:" in literal(at.error[0].value)


def test_editing_the_record_while_running(record_file):
    at = run(lang="en")
    assert not at.error
    assert "3 of 3 events" in [c.value for c in at.caption]
    # a broken edit: keep serving the last good record, with the validator's messages
    broken = RECORD.replace("date: 2019-06-25", "date: 2019-06-31")
    rewrite(record_file, broken)
    at = run(at=at)
    assert not at.exception
    line, col = position(broken, "2019-06-31")
    assert len(at.error) == 1 and f"events.yaml:{line}:{col}: impossible date '2019-06-31'" in literal(at.error[0].value)
    assert "3 of 3 events" in [c.value for c in at.caption]
    # the fix is picked up without a restart
    fixed = RECORD.replace("  - id: paris-meeting", "  - id: paris-meeting-2019")
    rewrite(record_file, fixed)
    at = run(at=at)
    assert not at.error
    assert "3 of 3 events" in [c.value for c in at.caption]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    "params",
    [
        {"lang": "xx", "country": "<script>", "from": "yesterday", "to": "2017-02-30"},
        {"event": "../../etc/passwd", "place": "javascript:alert(1)", "doc": "%00", "p": "99999"},
        {"category": "territory,territory,nope", "source": ",,,", "step": "1e9", "tour": "\u202e"},
        {"from": "2019-12-01", "to": "2017-01-01", "event": "x" * 2000},
    ],
)
def test_bad_parameters_on_every_page_fall_back_with_a_notice(page, params):
    at = run(page, **params)
    assert not at.exception, [e.message for e in at.exception]
    assert at.toast, "a short notice says what was ignored"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(PAGES),
    st.dictionaries(st.sampled_from(KNOWN + ("zzz",)), st.text(max_size=40), max_size=5),
)
def test_any_query_string_on_any_page(page, params):
    at = run(page, **params)
    assert not at.exception, (page, params, [e.message for e in at.exception])
