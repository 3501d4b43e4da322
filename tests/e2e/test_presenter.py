"""The presenter page in Debian's Chromium: the keys walk the tour, the URL keeps the step, the
timeline's highlighted mark and the map's rings follow, and the whole step fits the screen
(1280×720 and 1920×1080, Arabic and English) with no scrolling and no request off the machine.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coalition_atlas import tours
from coalition_atlas.load import load_atlas

MAP_IFRAME = 'iframe[src*="streamlit_folium"]'
SELECTED_MARK = """() => {
  const gd = document.querySelector('.st-key-ca_strip .js-plotly-plot');
  if (!gd || !gd.data || !gd.data.some(t => t.name === 'selected')) return null;
  let best = null, size = -1;
  for (const t of gd.data) {
    if (t.meta !== 'events') continue;
    t.customdata.forEach((id, i) => {
      const s = Array.isArray(t.marker.size) ? t.marker.size[i] : t.marker.size;
      if (s > size) { size = s; best = id; }
    });
  }
  return best;
}"""
IN_VIEW = """pid => {
  const marker = document.querySelector('.ca-place-' + pid), map = document.querySelector('.leaflet-container');
  if (!marker || !map) return false;
  const a = marker.getBoundingClientRect(), b = map.getBoundingClientRect();
  const x = a.left + a.width / 2, y = a.top + a.height / 2;
  return x > b.left && x < b.right && y > b.top && y < b.bottom;
}"""
NO_SCROLL = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  return main.scrollHeight <= main.clientHeight && document.documentElement.scrollHeight <= window.innerHeight;
}"""


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


@pytest.fixture(scope="module")
def walks(atlas):
    return {w.id: w for w in tours.load_tours({e.id for e in atlas.events})}


def open_presenter(page, base: str, query: str, wait_for_app_run):
    page.goto(f"{base}/presenter?{query}")
    wait_for_app_run(page, timeout=60_000)
    frame = page.frame_locator(MAP_IFRAME)
    frame.locator(".ca-place").first.wait_for(timeout=60_000)  # the map is drawn
    return frame


def press(page, key: str, step: int, wait_for_app_run) -> None:
    """Press a key, wait for the URL to name the new step, then for the run to end."""
    page.keyboard.press(key)
    page.wait_for_url(re.compile(rf"[?&]step={step}(&|$)"), timeout=30_000)
    wait_for_app_run(page)


def shows(page, frame, atlas, event_id: str, step: int, total: int) -> None:
    """The step is on screen: counter, text, highlighted mark, rings on the map around its places."""
    expect(page.locator(".ca-p-counter")).to_have_text(f"{step} / {total}")
    expect(page.locator(".ca-p-step")).to_have_attribute("data-event", event_id)
    page.wait_for_function(f"() => ({SELECTED_MARK})() === {event_id!r}", timeout=30_000)
    places = [p for p in atlas.event(event_id).places if p in atlas.places]
    expect(frame.locator(".ca-ring")).to_have_count(len(places), timeout=30_000)
    map_document = next(f for f in page.frames if "streamlit_folium" in f.url)
    for pid in places:
        expect(frame.locator(f".ca-ring-{pid}")).to_have_count(1)
        map_document.wait_for_function(IN_VIEW, arg=pid, timeout=30_000)  # the map moved to its places


def test_keys_walk_the_tour_and_the_url_keeps_the_step(app_server, page, atlas, walks, wait_for_app_run):
    page.set_viewport_size({"width": 1280, "height": 720})
    chronological = [s.event for s in walks["chronological"].steps]
    total = len(chronological)
    frame = open_presenter(page, app_server, "tour=chronological&step=2", wait_for_app_run)
    shows(page, frame, atlas, chronological[1], 2, total)
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()  # out of the way

    press(page, "ArrowRight", 3, wait_for_app_run)
    shows(page, frame, atlas, chronological[2], 3, total)
    press(page, "PageDown", 4, wait_for_app_run)  # what a clicker sends
    shows(page, frame, atlas, chronological[3], 4, total)
    press(page, "PageUp", 3, wait_for_app_run)
    press(page, "ArrowLeft", 2, wait_for_app_run)
    shows(page, frame, atlas, chronological[1], 2, total)
    press(page, "End", total, wait_for_app_run)
    shows(page, frame, atlas, chronological[-1], total, total)
    press(page, "Home", 1, wait_for_app_run)
    shows(page, frame, atlas, chronological[0], 1, total)
    press(page, "ArrowRight", 2, wait_for_app_run)

    page.reload()  # a reload (or the shared link) lands on the same step, in the same language
    wait_for_app_run(page, timeout=60_000)
    frame = page.frame_locator(MAP_IFRAME)
    frame.locator(".ca-place").first.wait_for(timeout=60_000)
    shows(page, frame, atlas, chronological[1], 2, total)
    expect(page.locator(".ca-p-step")).to_have_attribute("lang", "ar")
    assert "tour=chronological" in page.url and "lang=" not in page.url
    assert page.external_requests == []


def test_english_tour_with_places_and_the_language_kept(app_server, page, atlas, walks, wait_for_app_run):
    page.set_viewport_size({"width": 1280, "height": 720})
    steps = [s.event for s in walks["mosul-to-last-territory"].steps]
    frame = open_presenter(page, app_server, "tour=mosul-to-last-territory&step=3&lang=en", wait_for_app_run)
    shows(page, frame, atlas, steps[2], 3, 12)  # Raqqa
    press(page, "ArrowRight", 4, wait_for_app_run)
    shows(page, frame, atlas, steps[3], 4, 12)  # al-Bab, Dabiq, Jarablus: three rings, all in view
    expect(page.locator(".ca-p-note")).to_contain_text("Operation Euphrates Shield")
    press(page, "End", 12, wait_for_app_run)
    shows(page, frame, atlas, steps[-1], 12, 12)  # no place: no ring, and a line says so
    expect(page.locator(".ca-p-mapnote")).to_have_text("This event names no place on the map.")
    page.keyboard.press("ArrowRight")  # the last step: → does nothing
    expect(page.locator(".ca-p-counter")).to_have_text("12 / 12")
    page.reload()
    wait_for_app_run(page, timeout=60_000)
    expect(page.locator(".ca-p-step")).to_have_attribute("lang", "en")
    expect(page.locator(".ca-p-counter")).to_have_text("12 / 12")
    assert "lang=en" in page.url and "step=12" in page.url
    assert page.external_requests == []


def longest_step(atlas, walks) -> int:
    """The chronological step whose text takes the most room (the hardest to fit)."""
    steps = walks["chronological"].steps
    height = [tours.text_height(tours.Stop(atlas.event(s.event)), "en", "ca-p-xs") for s in steps]
    return height.index(max(height)) + 1


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1920, 1080)])
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_one_screen_no_scrolling(app_server, page, atlas, walks, wait_for_app_run, screenshot_path, width, height, lang):
    page.set_viewport_size({"width": width, "height": height})
    for name, query in (
        ("mosul", "tour=mosul-to-last-territory&step=2"),
        ("longest", f"tour=chronological&step={longest_step(atlas, walks)}"),
    ):
        open_presenter(page, app_server, f"{query}&lang={lang}", wait_for_app_run)
        page.wait_for_function(f"() => ({SELECTED_MARK})() !== null", timeout=30_000)
        page.wait_for_function(NO_SCROLL, timeout=15_000)  # the layout has settled with nothing to scroll
        main = page.evaluate("() => { const m = document.querySelector('[data-testid=\"stMain\"]'); return [m.scrollHeight, m.clientHeight]; }")
        assert main[0] <= main[1], main
        # everything is on screen: the bar on one row, the text, the timeline and the map
        for selector in (".st-key-ca_bar", ".ca-p-title", ".ca-p-quotes", ".st-key-ca_strip .js-plotly-plot", MAP_IFRAME):
            box = page.locator(selector).first.bounding_box()
            assert box and box["y"] >= 0 and box["y"] + box["height"] <= height + 0.5, (selector, box)
        bar = page.locator(".st-key-ca_bar").bounding_box()
        assert bar["height"] < 0.1 * height, bar  # one row
        page.screenshot(path=str(screenshot_path(f"presenter-{name}-{width}x{height}-{lang}")))
    assert page.external_requests == []
