"""Filters that follow, on every page (AppTest through the real entry point): the banner in the
main area says which filters are on and clears them in one click; the presenter walks the
filtered events; a page's own parameters do not follow the person to another page."""

from __future__ import annotations

import pytest

from coalition_atlas.filtering import filter_events
from coalition_atlas.i18n import t
from coalition_atlas.load import load_atlas
from coalition_atlas.viewstate import ViewState
from conftest import open_page, param

PAGES = [None, "timeline", "map", "sources", "presenter"]


@pytest.fixture(scope="module")
def record():
    return load_atlas()


def banner(at) -> list[str]:
    return [m.value for m in at.markdown if t("filters_on", "en") in m.value]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_says_which_filters_are_on_and_clears_them_in_one_click(page, record):
    at = open_page(page, lang="en", country="LBY", category="territory")
    n = len(filter_events(record.events, ViewState(countries=("LBY",), categories=("territory",))))
    (said,) = banner(at)
    assert "Libya" in said and "Territory" in said and f"{n} of {len(record.events)} events" in said
    at.button(key="ca_clear_filters").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert banner(at) == [] and param(at, "country") is None and param(at, "category") is None
    assert param(at, "lang") == "en"
    assert at.sidebar.multiselect(key="countries_en").value == []


def test_no_banner_without_filters():
    at = open_page("timeline", lang="en")
    assert banner(at) == []


def test_presenter_walks_the_filtered_events_unless_a_tour_is_named(record):
    libya = filter_events(record.events, ViewState(countries=("LBY",)))
    at = open_page("presenter", lang="en", country="LBY")
    assert at.selectbox(key="presenter_tour").value == "current-filters"
    assert any(f'1 / {len(libya)}</p>' in m.value for m in at.markdown) and banner(at)
    assert param(at, "tour") == "current-filters"
    named = open_page("presenter", lang="en", country="LBY", tour="chronological")
    assert named.selectbox(key="presenter_tour").value == "chronological"
    assert any(f'1 / {len(record.events)}</p>' in m.value for m in named.markdown)


@pytest.mark.parametrize(
    ("page", "params", "own"),
    [("presenter", {"tour": "chronological", "step": "3"}, ("tour", "step")),
     ("sources", {"doc": "washington-2017", "p": "5"}, ("doc", "p"))],
)
def test_a_pages_own_parameters_stay_on_it(page, params, own):
    at = open_page(page, lang="en", country="IRQ", **params)
    assert all(param(at, key) for key in own)
    for other in ("overview", "timeline", "map"):
        at.switch_page(f"pages/{other}.py").run()
        assert not at.exception
        assert [key for key in own if param(at, key)] == [], other
        assert param(at, "country") == "IRQ" and param(at, "lang") == "en"
