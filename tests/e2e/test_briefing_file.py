"""The briefing pack opened from disk in Chromium with the network refused: the timeline's marks
(inline SVG links, with JavaScript off too) and the map's markers draw, nothing is requested, a
mark leads to its event by click and by keyboard, and it prints to A4 with no event, quote or
passage cut across pages. Screenshots of the pack and of PDF pages go to
test-artifacts/screenshots/briefing-*.png (look at them)."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import pytest

from coalition_atlas.briefing import MAP_HEIGHT, PRINT_ZOOM
from coalition_atlas.export import export_bytes
from coalition_atlas.load import load_atlas
from coalition_atlas.models import Bilingual
from coalition_atlas.timeline import HEIGHT as TIMELINE_HEIGHT
from coalition_atlas.viewstate import ViewState

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
MM = 96 / 25.4  # CSS px per millimetre
A4_CONTENT_WIDTH = (210 - 15 - 15) * MM  # @page margins: 15 mm at the sides
A4_CONTENT_HEIGHT = (297 - 15 - 16) * MM  # 15 mm at the top, 16 at the bottom
DRAW_TIMEOUT = 60_000  # ms: Leaflet draws the map on a busy machine (the timeline is in the markup)
HOSTILE = "</script><img src=x onerror=alert(1)>"
UNBREAKABLE = (".ca-event", ".ca-quote", ".ca-doc", ".ca-figure", ".ca-passage", ".ca-places li")


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


@pytest.fixture(scope="module")
def pack_files(atlas, tmp_path_factory):
    folder = tmp_path_factory.mktemp("briefing")
    files = {}
    for lang in ("ar", "en"):
        files[lang] = folder / f"briefing-{lang}.html"
        files[lang].write_bytes(export_bytes(atlas, ViewState(lang=lang), "html"))
    return files


def open_offline(browser, path: Path, viewport: dict | None = None):
    """A page on ``path`` (file://) in its own context; every request that is not for a
    file: URL is refused and recorded. Returns (context, page, record)."""
    context = browser.new_context(viewport=viewport or {"width": 1100, "height": 900})
    record = {"requests": [], "refused": [], "errors": [], "dialogs": []}

    def guard(route):
        url = route.request.url
        if url.startswith("file:"):
            route.continue_()
        else:
            record["refused"].append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("request", lambda r: record["requests"].append(r.url))
    page.on("pageerror", lambda e: record["errors"].append(str(e)))
    page.on("console", lambda m: m.type == "error" and record["errors"].append(m.text))
    page.on("dialog", lambda d: (record["dialogs"].append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_function(
        "document.documentElement.dataset.caTimeline && document.documentElement.dataset.caMap", timeout=DRAW_TIMEOUT
    )
    return context, page, record


@pytest.fixture(scope="module", params=["ar", "en"])
def opened(request, browser, pack_files):
    lang = request.param
    context, page, record = open_offline(browser, pack_files[lang])
    try:
        yield lang, page, record
    finally:
        context.close()


def drawn_event_marks(page) -> int:
    """The timeline's marks drawn with a size (a link holding a shape), one per event."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('#ca-timeline a.ca-m')).filter(a => {
            const b = a.querySelector('use').getBoundingClientRect();
            return b.width > 4 && b.height > 4;
        }).length"""
    )


def mark_centre(page, nth: int = 0) -> dict:
    return page.evaluate(
        """(nth) => {
            const b = document.querySelectorAll('#ca-timeline a.ca-m use')[nth].getBoundingClientRect();
            return {x: b.left + b.width / 2, y: b.top + b.height / 2};
        }""",
        nth,
    )


def test_draws_offline_and_asks_for_nothing(opened, atlas):
    lang, page, record = opened
    root = page.locator("html")
    assert root.get_attribute("data-ca-timeline") == "drawn"
    assert root.get_attribute("data-ca-map") == "drawn"
    assert root.get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")

    assert drawn_event_marks(page) == len(atlas.events)
    places = {p for e in atlas.events for p in e.places}
    markers = page.locator("#ca-map .ca-place")
    assert markers.count() == len(places)
    for pid in places:
        assert page.locator(f"#ca-map .ca-place-{pid}").count() == 1
    inside = page.evaluate(
        """() => {
            const map = document.getElementById('ca-map').getBoundingClientRect();
            return Array.from(document.querySelectorAll('#ca-map .ca-place')).filter(m => {
                const b = m.getBoundingClientRect();
                return b.width > 0 && b.left >= map.left && b.right <= map.right && b.top >= map.top && b.bottom <= map.bottom;
            }).length;
        }"""
    )
    assert inside >= len(places) - 6, "the places of the region are in view (a few far cities are not)"
    assert page.locator("#ca-map path.leaflet-interactive").count() > 60  # the country outlines around the places

    # nothing but the file itself was asked for
    assert record["refused"] == []
    assert all(url.startswith(("file:", "data:")) for url in record["requests"]), record["requests"]
    assert record["errors"] == []

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"briefing-{lang}-screen-top.png")
    page.locator("#timeline").screenshot(path=SCREENSHOTS / f"briefing-{lang}-screen-timeline.png")
    page.locator("#map").screenshot(path=SCREENSHOTS / f"briefing-{lang}-screen-map.png")


def test_marker_popup_and_timeline_click(opened, atlas):
    lang, page, record = opened
    mosul = atlas.places["mosul"]
    page.locator("#ca-map .ca-place-mosul").click()
    popup = page.locator("#ca-map .leaflet-popup-content")
    popup.wait_for(state="visible")
    assert mosul.name(lang) in popup.inner_text()
    page.locator("#map").screenshot(path=SCREENSHOTS / f"briefing-{lang}-screen-map-popup.png")
    page.keyboard.press("Escape")

    # a click on a mark of the timeline leads to the event in the list
    page.locator("#ca-timeline").scroll_into_view_if_needed()
    href = page.locator("#ca-timeline a.ca-m").first.get_attribute("href")
    point = mark_centre(page)
    page.mouse.move(point["x"], point["y"])
    page.mouse.click(point["x"], point["y"])
    page.wait_for_function("location.hash.startsWith('#event-')", timeout=10_000)
    assert page.evaluate("location.hash") == href
    target = page.evaluate("location.hash.slice(7)")
    assert atlas.event(target) is not None
    assert page.locator(f"#event-{target}").is_visible()

    # by keyboard: a mark takes the focus, shows it, and Enter follows it
    page.evaluate("location.hash = ''")
    mark = page.locator("#ca-timeline a.ca-m").nth(5)
    mark.focus()
    assert page.evaluate("document.activeElement.getAttribute('href')") == mark.get_attribute("href")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid", "a visible focus"
    page.locator("#ca-timeline").screenshot(path=SCREENSHOTS / f"briefing-{lang}-screen-timeline-focus.png")
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === " + repr(mark.get_attribute("href")), timeout=10_000)
    assert record["refused"] == [] and record["errors"] == []


def test_prints_to_a4_without_cutting_an_event(opened, atlas, tmp_path):
    lang, page, record = opened
    pdf = tmp_path / f"briefing-{lang}.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 50_000
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
        assert 8 <= pages <= 80, pages
        assert "(A4)" in next(line for line in info.splitlines() if line.startswith("Page size:"))
    if shutil.which("pdftoppm"):  # pages to look at: the overview, the timeline, the map, events
        for first in (1, 2, 3, 4, 5, 8):
            subprocess.run(
                ["pdftoppm", "-r", "60", "-png", "-f", str(first), "-l", str(first), str(pdf),
                 str(SCREENSHOTS / f"briefing-{lang}-pdf")],
                check=True, capture_output=True,
            )

    # The print layout, laid out at the width of A4 between the margins: every block that must
    # not be cut is set `break-inside: avoid` and fits on one page, so Chromium never cuts it.
    page.emulate_media(media="print")
    page.set_viewport_size({"width": int(A4_CONTENT_WIDTH), "height": int(A4_CONTENT_HEIGHT)})
    try:
        blocks = page.evaluate(
            """(selectors) => selectors.map(sel => Array.from(document.querySelectorAll(sel)).map(el => {
                const b = el.getBoundingClientRect();
                return {sel, id: el.id, h: b.height, w: b.width, brk: getComputedStyle(el).breakInside};
            })).flat()""",
            list(UNBREAKABLE),
        )
        events = [b for b in blocks if b["sel"] == ".ca-event"]
        assert len(events) == len(atlas.events)
        for block in blocks:
            assert block["brk"] == "avoid", block
            assert 0 < block["h"] <= A4_CONTENT_HEIGHT, block
            assert block["w"] <= A4_CONTENT_WIDTH + 1, block
        breaks = page.evaluate(
            "Array.from(document.querySelectorAll('section.ca-section')).map(s => [s.id, getComputedStyle(s).breakBefore])"
        )
        assert breaks[0][1] != "page" and all(b == "page" for _, b in breaks[1:]), breaks
        sizes = page.evaluate(
            """['ca-timeline', 'ca-map'].map(id => {
                const b = document.getElementById(id).getBoundingClientRect();
                return [b.width, b.height];
            })"""
        )
        (tw, th), (mw, mh) = sizes
        assert tw <= A4_CONTENT_WIDTH and mw <= A4_CONTENT_WIDTH
        assert abs(th - TIMELINE_HEIGHT * PRINT_ZOOM) < 2 and abs(mh - MAP_HEIGHT * PRINT_ZOOM) < 2
        assert page.locator("#ca-map .leaflet-popup").count() == 0, "a popup opened on screen is closed for print"
    finally:
        page.emulate_media(media="screen")
        page.set_viewport_size({"width": 1100, "height": 900})
    assert record["refused"] == [] and record["errors"] == []


def test_hostile_text_stays_text(browser, atlas, tmp_path):
    place = atlas.places["mosul"]  # in the map's frame
    event = next(e for e in atlas.events if place.id in e.places)
    bad = Bilingual(ar=HOSTILE, en=HOSTILE)
    events = tuple(e.model_copy(update={"title": bad}) if e.id == event.id else e for e in atlas.events)
    places = {**atlas.places, place.id: place.model_copy(update={"name_en": HOSTILE})}
    hostile = dataclasses.replace(atlas, events=events, places=places)
    path = tmp_path / "hostile.html"
    path.write_bytes(export_bytes(hostile, ViewState(lang="en"), "html"))
    context, page, record = open_offline(browser, path)
    try:
        assert page.locator("html").get_attribute("data-ca-map") == "drawn"
        assert page.locator("html").get_attribute("data-ca-timeline") == "drawn"
        assert page.locator(f"#event-{event.id} h3").inner_text() == HOSTILE
        title = page.locator(f'#ca-timeline a.ca-m[href="#event-{event.id}"] title').text_content()
        assert title.endswith(f"\u2068{HOSTILE}\u2069")  # the mark's hover text, as text
        assert page.locator(f"#ca-map .ca-place-{place.id}").get_attribute("title") == HOSTILE
        page.locator(f"#ca-map .ca-place-{place.id}").click()
        page.locator("#ca-map .leaflet-popup-content").wait_for(state="visible")
        assert HOSTILE in page.locator("#ca-map .leaflet-popup-content").inner_text()
        assert page.locator("img[src='x']").count() == 0
        assert record["dialogs"] == [] and record["errors"] == [] and record["refused"] == []
    finally:
        context.close()


def test_timeline_works_with_javascript_off(browser, pack_files, atlas):
    """No script: every mark is drawn and is a link to its event (the map needs JavaScript)."""
    context = browser.new_context(viewport={"width": 1100, "height": 900}, java_script_enabled=False)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page = context.new_page()
    try:
        page.goto(pack_files["ar"].as_uri())
        assert page.locator("#ca-timeline a.ca-m").count() == len(atlas.events)
        assert drawn_event_marks(page) == len(atlas.events)
        href = page.locator("#ca-timeline a.ca-m").nth(3).get_attribute("href")
        page.locator("#ca-timeline").scroll_into_view_if_needed()
        point = mark_centre(page, 3)
        page.mouse.click(point["x"], point["y"])
        page.wait_for_url(f"**/briefing-ar.html{href}", wait_until="commit", timeout=10_000)
        assert page.locator(href).is_visible()
    finally:
        context.close()
