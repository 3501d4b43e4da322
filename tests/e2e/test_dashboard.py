"""The dashboard as a person uses it: real Streamlit server, Debian's Chromium, no network.

Every test opens pages through the `page` fixture, which aborts any request that is not for
127.0.0.1 and records it in `page.external_requests`: each test ends by asserting it is empty.
"""

from __future__ import annotations

import json
import re

import pytest

from coalition_atlas.filtering import filter_events
from coalition_atlas.load import load_atlas
from coalition_atlas.maps import LAND, LAND_NAMED
from coalition_atlas.viewstate import ViewState

MAP_IFRAME = 'iframe[src*="streamlit_folium"]'
PAGES = {"overview": "", "timeline": "timeline", "map": "map", "sources": "sources"}

COUNT_MARKS = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  if (!gd || !gd._fullData) return -1;
  const traces = gd.querySelectorAll('.scatterlayer .trace');
  let n = 0;
  gd._fullData.forEach((t, i) => { if (t.meta === 'events' && traces[i]) n += traces[i].querySelectorAll('path.point').length; });
  return n;
}"""


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def open_page(page, base: str, path: str, wait_for_app_run) -> None:
    page.goto(f"{base}/{path}")
    wait_for_app_run(page, timeout=60_000)


def marks(page) -> int:
    page.wait_for_selector(".js-plotly-plot .scatterlayer .point", state="attached", timeout=30_000)
    return page.evaluate(COUNT_MARKS)


def settle(page, wait_for_app_run) -> None:
    """The map reports back once drawn, which may rerun the script: wait until nothing is stale."""
    wait_for_app_run(page)
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=30_000)
    wait_for_app_run(page)


def map_frame(page):
    frame = page.frame_locator(MAP_IFRAME).first
    frame.locator(".ca-place").first.wait_for(timeout=30_000)
    return frame


def place_ids(frame) -> set[str]:
    classes = frame.locator(".ca-place").evaluate_all("els => els.map(e => e.className)")
    return {m.group(1) for c in classes for m in [re.search(r"ca-place-([a-z0-9-]+)", c)] if m}


def test_timeline_draws_one_mark_per_event(page, app_server, wait_for_app_run, atlas):
    open_page(page, app_server, "timeline?lang=en", wait_for_app_run)
    assert marks(page) == len(atlas.events)
    assert page.external_requests == []


def test_liberated_places_are_on_the_map(page, app_server, wait_for_app_run):
    open_page(page, app_server, "map?lang=en", wait_for_app_run)
    frame = map_frame(page)
    for place in ("sirte", "al-bab", "jarablus", "dabiq"):  # Mosul, Raqqa: "not stated" (issue 12)
        marker = frame.locator(f".ca-place-{place}")
        assert marker.count() == 1, place
        assert "ca-liberated" in marker.get_attribute("class")
        assert marker.is_visible(), place
    # the country outlines come from the static file, fetched once by the map
    frame.locator(".leaflet-container[data-ca-outlines='drawn']").wait_for(timeout=30_000)
    fills = frame.locator("path.leaflet-interactive").evaluate_all("ps => ps.map(p => p.getAttribute('fill'))")
    assert len(fills) > 200 and fills.count(LAND_NAMED) >= 3 and LAND in fills
    assert page.external_requests == []


def test_filtering_to_one_country_changes_timeline_and_map(page, app_server, wait_for_app_run, atlas):
    open_page(page, app_server, "?lang=en", wait_for_app_run)
    assert marks(page) == len(atlas.events)
    # as a person does it: the sidebar's country box, type, Enter
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    box.click()
    page.keyboard.type("Libya")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"country=LBY"), timeout=30_000)
    wait_for_app_run(page)
    expected = filter_events(atlas.events, ViewState(countries=("LBY",)))
    page.wait_for_function(f"() => ({COUNT_MARKS})() === {len(expected)}", timeout=30_000)
    frame = map_frame(page)
    wanted = {p for e in expected for p in e.places}
    page.wait_for_function(
        "n => { const f = document.querySelector('iframe[src*=\"streamlit_folium\"]');"
        " return f && f.contentDocument && f.contentDocument.querySelectorAll('.ca-place').length === n; }",
        arg=len(wanted), timeout=30_000,
    )
    assert place_ids(frame) == wanted
    assert "sirte" in wanted and "mosul" not in wanted
    assert page.external_requests == []


def test_read_in_the_source_lands_on_the_highlighted_passage(page, app_server, wait_for_app_run, atlas):
    event = atlas.event("final-liberation-declared")
    ref = event.sources[0]
    open_page(page, app_server, f"timeline?lang=en&event={event.id}", wait_for_app_run)
    link = page.locator(f"#event-{event.id} a", has_text="Read in the source").first
    link.click()
    page.wait_for_url(re.compile(r"/sources\?"), timeout=30_000)
    wait_for_app_run(page)
    assert f"doc={ref.doc}" in page.url and f"p={ref.paragraph}" in page.url
    mark = page.locator(f"#p-{ref.doc}-{ref.paragraph} mark.ca-hl").first
    mark.wait_for(timeout=30_000)
    page.wait_for_function(
        "el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }",
        arg=mark.element_handle(), timeout=30_000,
    )
    assert " ".join(ref.quote.split())[:20] in " ".join(mark.inner_text().split())
    assert page.external_requests == []


def test_arabic_view_is_right_to_left_in_the_shipped_font(page, app_server, wait_for_app_run):
    open_page(page, app_server, "", wait_for_app_run)
    page.wait_for_function("() => document.documentElement.dir === 'rtl'", timeout=30_000)  # static/js/lang.js
    main = page.locator('[data-testid="stMain"]')
    assert main.evaluate("el => getComputedStyle(el).direction") == "rtl"
    card = page.locator(".ca-doc").first
    assert card.get_attribute("dir") == "rtl"
    page.wait_for_function("() => document.fonts.status === 'loaded'")
    loaded = page.evaluate(
        "() => [...document.fonts].filter(f => f.family.replace(/\"/g, '') === 'Noto Naskh Arabic' && f.status === 'loaded').length"
    )
    assert loaded >= 1
    family = page.locator("h1").first.evaluate("el => getComputedStyle(el).fontFamily")
    assert family.startswith('"Noto Naskh Arabic"')
    assert page.external_requests == []


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_screenshot_and_accessibility(page, app_server, wait_for_app_run, screenshot_path, axe, name, lang):
    path = PAGES[name]
    query = "lang=en" if lang == "en" else ""
    if name == "sources":
        query = "&".join(q for q in (query, "doc=washington-2017&p=2&event=iraqi-partners-retake-60-percent") if q)
    open_page(page, app_server, f"{path}?{query}" if query else path, wait_for_app_run)
    if name in ("overview", "map"):
        map_frame(page)
    if name in ("overview", "timeline"):
        marks(page)
    settle(page, wait_for_app_run)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(screenshot_path(f"{name}-{lang}")))
    assert page.external_requests == []
    # axe-core (vendored), all rules, over the page and the map's frame (test_accessibility.py
    # runs it with and without a chosen event and on the presenter too)
    result = axe(page)
    assert result["violations"] == [], json.dumps(result["violations"], ensure_ascii=False, indent=1)
    assert result["contrast_failures"] == [], json.dumps(result["contrast_failures"], ensure_ascii=False, indent=1)
