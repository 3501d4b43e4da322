"""Usable by everyone in the room: the keyboard, a screen reader, the projector.

Tab walks through every map (the overview's, the map page's, the presenter's, the briefing
pack's): only the places and the map's own controls are stops, each named by its place name
alone; the frames have titles; axe-core (vendored, all rules) finds nothing in the page or in
the map's frame, in both languages, with and without a chosen event, and the colour contrasts
it leaves "incomplete" are measured here. In the presenter a click on the map leaves the keys
with the page, the strip keeps its height from step to step, the chart's and the map's labels
grow with the text at projector sizes, and a step with no place shows its countries.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from coalition_atlas import maps, tours
from coalition_atlas.briefing import map_spec
from coalition_atlas.export import export_bytes
from coalition_atlas.filtering import filter_events
from coalition_atlas.i18n import t
from coalition_atlas.load import load_atlas
from coalition_atlas.viewstate import ViewState

IN_MAP_FRAME = """() => { const el = document.activeElement;
  return !!(el && el.tagName === 'IFRAME' && el.contentDocument && el.contentDocument.activeElement
            && el.contentDocument.activeElement !== el.contentDocument.body); }"""
EVENT = "final-liberation-declared"  # names Syria and Iraq, no place
PLACE_EVENT = "iraqi-partners-retake-60-percent"  # Mosul


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def map_iframe(lang: str) -> str:
    return f'iframe[title="{t("map_frame_title", lang)}"]'


def open_page(page, base: str, path: str, wait_for_app_run, *, map_title: str | None = None):
    """Open a page, wait for its run to end, and (``map_title``) for its map to be drawn
    under the frame title the page gives it."""
    page.goto(f"{base}/{path}")
    wait_for_app_run(page, timeout=60_000)
    if map_title:
        frame = page.frame_locator(f'iframe[title="{map_title}"]')
        frame.locator(".ca-place").first.wait_for(timeout=60_000)
        frame.locator(".leaflet-container[data-ca-outlines='drawn']").wait_for(timeout=60_000)
        return frame
    return None


def settle(page, wait_for_app_run) -> None:
    wait_for_app_run(page)
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=30_000)
    wait_for_app_run(page)


def expected_places(atlas, lang: str, state: ViewState) -> list[str]:
    counts = maps.places_of(filter_events(atlas.events, state), atlas)
    return sorted(atlas.places[p].name(lang) for p in counts)


def check_map_stops(stops: list[dict], places: list[str], lang: str, *, container: bool, legend: bool = False) -> None:
    """The stops are: the map itself (when it takes the arrow keys), every place once by its
    name alone, the two zoom buttons, the legend's fold (``legend``: the dashboard's maps);
    nothing else (no outline, no link)."""
    names = [s["name"] for s in stops]
    head = 1 if container else 0
    if container:
        assert stops[0]["role"] == "region" and names[0] == t("map_label", lang), stops[0]
    marked = [s for s in stops[head:] if "ca-place" in s["cls"]]
    assert all(s["role"] == "button" for s in marked), marked
    assert sorted(s["name"] for s in marked) == places
    controls = [s for s in stops[head:] if "ca-place" not in s["cls"]]
    assert [(s["role"], s["name"]) for s in controls[:2]] == [("button", t("zoom_in", lang)), ("button", t("zoom_out", lang))]
    if legend:
        assert "ca-legend-title" in controls[2]["cls"] and controls[2]["name"] == t("legend", lang), controls
    assert len(controls) == 2 + legend, controls
    assert len(stops) == head + len(places) + 2 + legend, names
    assert not any(re.match(r"^\d", n) for n in names)  # not "2Africa", "3Mosul"


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("name", ["overview", "map"])
def test_map_tab_stops_are_the_places_by_name(page, app_server, wait_for_app_run, tab_walk, atlas, name, lang):
    path = "" if name == "overview" else "map"
    frame = open_page(page, app_server, f"{path}?lang={lang}", wait_for_app_run, map_title=t("map_frame_title", lang))
    settle(page, wait_for_app_run)
    iframe = page.locator(map_iframe(lang))
    expect(iframe).to_have_count(1)  # the frame is titled in the page's language
    stops = tab_walk(page, iframe, page.frame_locator(map_iframe(lang)), IN_MAP_FRAME)
    check_map_stops(stops, expected_places(atlas, lang, ViewState(lang=lang)), lang, container=True, legend=True)
    # the outlines are drawn and named on hover, but none is focusable by Tab
    assert frame.locator("path.leaflet-interactive").count() > 200
    assert frame.locator("path.leaflet-interactive:not([tabindex='-1'])").count() == 0
    assert page.external_requests == []


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_presenter_map_tab_stops(page, app_server, wait_for_app_run, tab_walk, atlas, lang):
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, app_server, f"presenter?tour=mosul-to-last-territory&step=2&lang={lang}", wait_for_app_run,
              map_title=t("map_frame_title", lang))
    walk = next(w for w in tours.load_tours({e.id for e in atlas.events}) if w.id == "mosul-to-last-territory")
    stops_events = [atlas.event(s.event) for s in walk.steps]
    places = sorted({atlas.places[p].name(lang) for e in stops_events for p in e.places if p in atlas.places})
    iframe = page.locator(map_iframe(lang))
    stops = tab_walk(page, iframe, page.frame_locator(map_iframe(lang)), IN_MAP_FRAME)
    check_map_stops(stops, places, lang, container=False)  # the presenter's map takes no arrow keys
    assert page.external_requests == []


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_pack_map_tab_stops(browser, tmp_path, tab_walk, atlas, lang):
    pack = tmp_path / f"briefing-{lang}.html"
    pack.write_bytes(export_bytes(atlas, ViewState(lang=lang), "html"))
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    try:
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
        page = context.new_page()
        page.goto(pack.as_uri())
        page.wait_for_function("document.documentElement.dataset.caMap === 'drawn'", timeout=60_000)
        box = page.locator("#ca-map")
        before = page.locator("#map h2")  # start from the map's heading: the next stop is the map
        before.evaluate("el => { el.tabIndex = -1; }")
        stops = tab_walk(page, before, page, "() => !!document.activeElement.closest('#ca-map')")
        places = sorted({p["name"] for p in map_spec(atlas, list(atlas.events), lang)["places"]})
        check_map_stops(stops, places, lang, container=True)
        assert box.locator("path.leaflet-interactive").count() > 50
        assert box.locator("path.leaflet-interactive:not([tabindex='-1'])").count() == 0
    finally:
        context.close()


PAGES = {"overview": "", "timeline": "timeline", "map": "map", "sources": "sources", "presenter": "presenter"}


@pytest.mark.parametrize("chosen", [False, True], ids=["no-event", "event"])
@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_nothing_in_the_page_or_the_map_frame(page, app_server, wait_for_app_run, axe, name, lang, chosen):
    query = [f"lang={lang}"]
    if chosen:
        query.append(f"event={PLACE_EVENT}" if name != "presenter" else "tour=mosul-to-last-territory&step=2")
        if name == "sources":
            query.append("doc=washington-2017&p=3")
    has_map = name in ("overview", "map", "presenter")
    if name == "presenter":
        page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, app_server, f"{PAGES[name]}?{'&'.join(query)}", wait_for_app_run,
              map_title=t("map_frame_title", lang) if has_map else None)
    if name in ("overview", "timeline", "presenter"):
        page.wait_for_selector(".js-plotly-plot .scatterlayer .point", state="attached", timeout=30_000)
    settle(page, wait_for_app_run)
    assert page.locator('[data-testid="stException"]').count() == 0
    result = axe(page)
    assert result["violations"] == [], json.dumps(result["violations"], ensure_ascii=False, indent=1)
    assert result["contrast_failures"] == [], json.dumps(result["contrast_failures"], ensure_ascii=False, indent=1)
    if has_map:  # the frame was checked, by axe and by the contrast measure
        assert result["frame_nodes"] > 0
    assert page.external_requests == []


# --- the projector ------------------------------------------------------------------------------

def open_presenter(page, base, query, wait_for_app_run, lang="en"):
    frame = open_page(page, base, f"presenter?{query}&lang={lang}", wait_for_app_run, map_title=t("map_frame_title", lang))
    page.wait_for_selector(".st-key-ca_strip .js-plotly-plot .scatterlayer .point", state="attached", timeout=30_000)
    return frame


def press(page, key: str, step: int, wait_for_app_run) -> None:
    page.wait_for_function("() => document.hasFocus()", timeout=10_000)  # the page has the keys
    page.keyboard.press(key)
    page.wait_for_url(re.compile(rf"[?&]step={step}(&|$)"), timeout=30_000)
    wait_for_app_run(page)
    expect(page.locator(".ca-p-counter")).to_have_text(re.compile(rf"^{step} / "))


def test_a_click_on_the_map_leaves_the_keys_with_the_presenter(page, app_server, wait_for_app_run):
    page.set_viewport_size({"width": 1280, "height": 720})
    frame = open_presenter(page, app_server, "tour=mosul-to-last-territory&step=2", wait_for_app_run)
    iframe = page.locator(map_iframe("en"))
    box = iframe.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.7)  # the map's ground
    press(page, "ArrowRight", 3, wait_for_app_run)
    # a click on a place opens its popup; the keys still step
    frame.locator(".ca-place-raqqa").click()
    expect(frame.locator(".leaflet-popup")).to_have_count(1)
    press(page, "ArrowRight", 4, wait_for_app_run)
    frame.locator(".leaflet-container").click(position={"x": 20, "y": 60})
    press(page, "PageUp", 3, wait_for_app_run)
    press(page, "ArrowLeft", 2, wait_for_app_run)
    assert page.external_requests == []


STRIP_AND_LABELS = """() => {
  const strip = document.querySelector('.st-key-ca_strip').getBoundingClientRect();
  const tick = document.querySelector('.st-key-ca_strip .js-plotly-plot .xtick text').getBoundingClientRect();
  const title = document.querySelector('.ca-p-title').getBoundingClientRect();
  const frame = document.querySelector('.st-key-ca_strip iframe');
  const label = frame.contentDocument.querySelector('.ca-place .ca-label');
  const labelSize = parseFloat(frame.contentWindow.getComputedStyle(label).fontSize);
  const titleSize = parseFloat(getComputedStyle(document.querySelector('.ca-p-title')).fontSize)
                    * parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--ca-zoom'));
  return {strip: strip.height, stripTop: strip.top, tick: tick.height, label: labelSize, title: titleSize};
}"""


def test_the_strip_keeps_its_height_and_labels_grow_with_the_text(page, app_server, wait_for_app_run, screenshot_path):
    first = {}
    for width, height in ((1280, 720), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        open_presenter(page, app_server, "tour=chronological&step=1", wait_for_app_run)
        seen = []
        for step in range(1, 7):
            if step > 1:
                press(page, "ArrowRight", step, wait_for_app_run)
            page.wait_for_function(
                "() => document.querySelector('.st-key-ca_strip iframe').contentDocument.querySelector('.ca-label')", timeout=30_000)
            seen.append(page.evaluate(STRIP_AND_LABELS))
        # the same height at every step, in the same place (it was 336, 374, 348 px…)
        assert len({round(s["strip"], 1) for s in seen}) == 1, seen
        assert len({round(s["stripTop"], 1) for s in seen}) == 1, seen
        first[width] = seen[0]
        page.screenshot(path=str(screenshot_path(f"presenter-strip-{width}x{height}")))
    small, large = first[1280], first[1920]
    assert small["strip"] == pytest.approx(tours.STRIP_HEIGHT, abs=2)
    text = large["title"] / small["title"]
    assert text == pytest.approx(1.5, rel=0.02)  # at 1920×1080 the text is 1.5× larger…
    # …and so are the chart's year labels and the map's names (they stayed at 15–17 px)
    assert large["tick"] / small["tick"] == pytest.approx(text, rel=0.1), first
    assert large["label"] / small["label"] == pytest.approx(text, rel=0.05), first
    assert large["strip"] / small["strip"] == pytest.approx(text, rel=0.05), first
    assert page.external_requests == []


def test_a_step_without_a_place_shows_its_countries(page, app_server, wait_for_app_run, atlas, screenshot_path):
    page.set_viewport_size({"width": 1280, "height": 720})
    walk = next(w for w in tours.load_tours({e.id for e in atlas.events}) if w.id == "chronological")
    step = next(i + 1 for i, s in enumerate(walk.steps) if s.event == EVENT)
    frame = open_presenter(page, app_server, f"tour=chronological&step={step}", wait_for_app_run)
    expect(page.locator(".ca-p-mapnote")).to_have_text(t("no_place_on_map", "en"))
    # Syria and Iraq are outlined, and in view
    outline = frame.locator("path[stroke-dasharray]")
    expect(outline).to_have_count(2, timeout=30_000)
    inside = page.evaluate(
        """() => { const f = document.querySelector('.st-key-ca_strip iframe'), d = f.contentDocument;
          const map = d.querySelector('.leaflet-container').getBoundingClientRect();
          return [...d.querySelectorAll('path[stroke-dasharray]')].map(p => { const r = p.getBoundingClientRect();
            return r.left >= map.left - 1 && r.right <= map.right + 1 && r.top >= map.top - 1 && r.bottom <= map.bottom + 1
                   && r.width > 40; }); }"""
    )
    assert inside == [True, True]
    page.screenshot(path=str(screenshot_path("presenter-no-place-1280x720")))
    assert page.external_requests == []
