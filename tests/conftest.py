"""Shared fixtures: the one fixture record, the documents and the gazetteer."""

from __future__ import annotations

from pathlib import Path

import pytest

from coalition_atlas.load import read_places, validate
from coalition_atlas.problems import Problem, RecordError
from coalition_atlas.gazetteer import PLACES_PATH
from coalition_atlas.sources import load_documents

FIXTURE_PATH = Path(__file__).parent / "fixtures" / "record.yaml"
RECORD = FIXTURE_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def record_text() -> str:
    return RECORD


@pytest.fixture(scope="session")
def documents():
    return load_documents()


@pytest.fixture(scope="session")
def places(documents):
    found, problems = read_places(PLACES_PATH, documents)
    assert not problems, problems
    return found


@pytest.fixture
def problems_of(documents, places):
    """The problems the validator finds in a record text ([] when it loads)."""

    def run(text: str | bytes) -> list[Problem]:
        try:
            validate(text, "events.yaml", documents, places)
        except RecordError as err:
            return err.problems
        return []

    return run


def position(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """1-based line and column of the nth occurrence of ``needle`` in ``text``."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


@pytest.fixture(scope="session")
def fixture_atlas(record_text, documents, places):
    """The shared fixture record, validated: an Atlas."""
    return validate(record_text, "events.yaml", documents, places)


@pytest.fixture(scope="session")
def real_atlas():
    """events.yaml as the app loads it."""
    from coalition_atlas.load import load_atlas

    return load_atlas()


def open_page(page: str | None = None, timeout: float = 120, **params: str):
    """The dashboard in AppTest, as a browser opens ``/<page>?<params>``: dashboard.py runs with
    the URL's parameters, then the page (``pages/<page>.py``; None: the default, the overview).
    Fails on any exception."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "dashboard.py"), default_timeout=timeout)
    for key, value in params.items():
        at.query_params[key] = value
    if page is not None:  # the first run on that page, as a browser opening its address (a run on
        at.switch_page(f"pages/{page}.py")  # the overview first would drop the page's own parameters)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def param(at, key: str) -> str | None:
    """One URL parameter as the app last wrote it."""
    value = at.query_params.get(key)
    return value[-1] if isinstance(value, list) else value
