"""The Overview page (AppTest): documents, figures, and the timeline and the map in step."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from coalition_atlas.load import load_atlas
from conftest import open_page


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def overview(**params: str) -> AppTest:
    return open_page(None, **params)


def emphasised(at: AppTest) -> set[str]:
    """Event ids the timeline draws at full strength while the others are dimmed."""
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    strong = set()
    for trace in spec["data"]:
        if trace.get("meta") == "events":
            opacity = trace["marker"]["opacity"]
            strong |= {i for i, o in zip(trace["customdata"], opacity) if o == 1.0}
    return strong


def map_script(at: AppTest) -> str:
    (component,) = at.get("component_instance")
    return component.proto.json_args


def test_overview_shows_documents_figures_timeline_and_map(atlas):
    at = overview(lang="en")
    html = "\n".join(h.proto.body for h in at.get("html"))
    assert "Statement of the ministers" in html and "25 June 2019" in html
    assert html.count('class="ca-figure"') == sum(len(e.figures) for e in atlas.events)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert sum(len(t["customdata"]) for t in spec["data"] if t.get("meta") == "events") == len(atlas.events)
    assert "ca-place-mosul" in map_script(at)


def test_an_event_chosen_marks_its_places_on_the_map(atlas):
    event = atlas.event("euphrates-shield-expels-daesh")  # al-Bab, Dabiq, Jarablus
    at = overview(event=event.id)
    script = map_script(at)
    selected = set(re.findall(r"ca-place-([a-z0-9-]+) ca-\w+ ca-selected", script))
    assert selected == set(event.places) and selected
    assert emphasised(at) == {event.id}


def test_a_place_chosen_marks_its_events_on_the_timeline(atlas):
    at = overview(place="mosul")
    assert emphasised(at) == {e.id for e in atlas.events if "mosul" in e.places}
    assert re.search(r"ca-place-mosul ca-\w+ ca-selected", map_script(at))
