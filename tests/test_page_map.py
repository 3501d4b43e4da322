"""The Map page, run headless through Streamlit's AppTest from the real entry point.

AppTest does not run components: the st_folium map is an UnknownElement here (the map
itself is tested in test_maps.py, the drawing in the browser by hand / e2e).
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from coalition_atlas.filtering import events_at_place, filter_events
from coalition_atlas.i18n import t
from coalition_atlas.load import load_atlas
from coalition_atlas.viewstate import ViewState
from conftest import open_page, param


@pytest.fixture(scope="module")
def record():
    return load_atlas()


def map_page(**params: str) -> AppTest:
    return open_page("map", **params)


def events_listed(at: AppTest) -> list:
    """The expanders of the event list (not the one with what the documents say of the place)."""
    return [e for e in at.expander if e.label not in (t("place_reports", "ar"), t("place_reports", "en"))]


def picker(at: AppTest):
    return at.selectbox(key="map_place_pick")


def test_page_runs_with_every_shown_event(record):
    at = map_page()
    assert at.header[0].value == t("map", "ar")
    assert picker(at).value is None and picker(at).label == t("select_place", "ar")
    assert len(events_listed(at)) == len(record.events)
    (table,) = at.dataframe
    assert len(table.value) == len(record.events)
    assert list(table.value.columns)[:2] == [t("date", "ar"), t("title", "ar")]
    assert at.checkbox(key="map_online_tiles").value is False
    assert param(at, "place") is None


def test_place_in_the_url_narrows_the_list(record):
    at = map_page(place="mosul")
    at_mosul = events_at_place(record.events, "mosul")
    assert 0 < len(at_mosul) < len(record.events)
    assert picker(at).value == "mosul"
    assert len(events_listed(at)) == len(at_mosul)
    assert all(e.title.ar in "\n".join(m.value for m in at.markdown) for e in at_mosul)
    assert at.subheader[0].value == t("events_at", "ar", place="الموصل")
    assert len(at.dataframe[0].value) == len(record.events)  # the table keeps every shown event
    assert param(at, "place") == "mosul"
    # what the documents say of Mosul, with links to the passages in the same tab
    card = "\n".join(m.value for m in at.markdown if "ca-popup" in m.value)
    assert record.places["mosul"].status[0].quote in card and 'target="_self"' in card


def test_clearing_the_place_shows_all_again(record):
    at = map_page(place="mosul")
    at.button[0].click().run()
    assert not at.exception
    assert picker(at).value is None and len(events_listed(at)) == len(record.events)
    assert param(at, "place") is None


def test_choosing_a_place_from_the_list(record):
    at = map_page(lang="en")
    picker(at).set_value("raqqa").run()
    assert not at.exception
    assert param(at, "place") == "raqqa"
    assert len(events_listed(at)) == len(events_at_place(record.events, "raqqa"))
    assert picker(at).value == "raqqa"


def test_unknown_place_falls_back(record):
    at = map_page(place="nowhere")
    assert picker(at).value is None
    assert len(events_listed(at)) == len(record.events)
    assert param(at, "place") is None


def test_english(record):
    at = map_page(lang="en", country="LBY", place="sirte")
    assert at.header[0].value == "Map"
    assert picker(at).label == "Choose a place"
    assert at.checkbox(key="map_online_tiles").label == t("online_tiles", "en")
    libya = filter_events(record.events, ViewState(countries=("LBY",)))
    assert len(events_listed(at)) == len(events_at_place(libya, "sirte"))
    assert len(at.dataframe[0].value) == len(libya)
    assert list(at.dataframe[0].value.columns)[0] == "Date"
    assert picker(at).options[0] == "All places"


def test_online_tiles_switch(record):
    at = map_page(lang="en")
    at.checkbox(key="map_online_tiles").check().run()
    assert not at.exception
    assert at.checkbox(key="map_online_tiles").value is True
