"""The Timeline page, run through the real entry script with Streamlit's AppTest."""

from __future__ import annotations

import html
import json

import pytest
from streamlit.testing.v1 import AppTest

from coalition_atlas.i18n import category_label, t
from coalition_atlas.load import load_atlas
from coalition_atlas.vocabulary import CATEGORIES
from conftest import open_page, param

PICK = "timeline_pick"


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def open_timeline(**params: str) -> AppTest:
    return open_page("timeline", **params)


def chart(at: AppTest) -> dict:
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.spec)


def marks(spec: dict) -> list[str]:
    return [i for trace in spec["data"] if trace.get("meta") == "events" for i in trace["customdata"]]


def details(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if 'class="ca-event"' in m.value]


def test_the_chart_is_there_in_arabic(atlas):
    at = open_timeline()
    assert at.title[0].value == t("timeline", "ar")
    spec = chart(at)
    assert sorted(marks(spec)) == sorted(e.id for e in atlas.events)
    assert spec["layout"]["yaxis"]["ticktext"] == [category_label(c, "ar") for c in CATEGORIES]
    assert {trace["type"] for trace in spec["data"]} == {"scatter"}
    assert at.get("plotly_chart")[0].proto.alt == t("timeline_alt", "ar", n=len(atlas.events))
    table = at.dataframe[0].value
    assert len(table) == len(atlas.events)
    assert at.selectbox(key=PICK).value is None and not details(at)


def test_event_in_the_url_shows_its_detail_and_quote(atlas):
    event = atlas.event("kuwait-city-guiding-principles")
    at = open_timeline(event=event.id)
    shown = details(at)
    assert len(shown) == 1
    assert html.escape(event.title.ar) in shown[0]
    for ref in event.sources:
        assert html.escape(ref.quote) in shown[0]
    assert at.selectbox(key=PICK).value == event.id
    assert [d["name"] for d in chart(at)["data"]].count("selected") == 1
    assert param(at, "event") == event.id


def test_english_labels():
    at = open_timeline(lang="en", event="paris-meeting-2019")
    assert at.title[0].value == "Timeline"
    spec = chart(at)
    assert spec["layout"]["yaxis"]["ticktext"] == [category_label(c, "en") for c in CATEGORIES]
    assert "Paris" in details(at)[0] and 'lang="en"' in details(at)[0]
    assert at.selectbox(key=PICK).label == t("select_event", "en")
    columns = at.dataframe[0].proto.columns
    assert "Title" in columns and "Category" in columns


def test_bad_event_falls_back():
    at = open_timeline(event="nope")
    assert not details(at)
    assert at.selectbox(key=PICK).value is None
    assert "event" not in at.query_params
    assert chart(at) and not [d for d in chart(at)["data"] if d.get("name") == "selected"]


def test_choosing_from_the_list_selects_the_event(atlas):
    at = open_timeline(lang="en")
    at.selectbox(key=PICK).set_value("final-liberation-declared").run()
    assert not at.exception
    assert param(at, "event") == "final-liberation-declared"
    assert "event-final-liberation-declared" in details(at)[0]
    assert [d["name"] for d in chart(at)["data"]].count("selected") == 1


def test_filters_that_leave_nothing():
    # no event is dated between March and December 2018
    at = open_timeline(lang="en", **{"from": "2018-03-01", "to": "2018-12-31"})
    assert [i.value for i in at.info] == [t("no_events", "en")]
    assert not at.get("plotly_chart") and not at.dataframe


def test_filters_narrow_the_chart(atlas):
    at = open_timeline(category="territory")
    expected = {e.id for e in atlas.events if e.category == "territory"}
    assert set(marks(chart(at))) == expected
    assert len(at.dataframe[0].value) == len(expected)
