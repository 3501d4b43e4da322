"""A phone in the room: 390x844 CSS px, touch, a mobile viewport (the ``phone`` fixture), taps.

The sidebar starts folded and the filters are one tap away; a tap on a timeline mark chooses
its event; no axis label covers another; the map's legend starts folded and a tap opens it;
the presenter's buttons sit on one row. Screenshots: test-artifacts/screenshots/phone-*.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coalition_atlas.i18n import t
from coalition_atlas.load import load_atlas

MAP_IFRAME = 'iframe[src*="streamlit_folium"]'  # by src: the app titles the frame for screen readers
PAGES = {"overview": "", "timeline": "timeline", "map": "map", "sources": "sources", "presenter": "presenter"}

# An isolated mark of the timeline (no other mark within 16 px), its event id and centre.
ISOLATED_MARK = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  const traces = gd.querySelectorAll('.scatterlayer .trace');
  const marks = [];
  gd._fullData.forEach((t, i) => {
    if (t.meta !== 'events' || !traces[i]) return;
    traces[i].querySelectorAll('path.point').forEach((el, j) => {
      const b = el.getBoundingClientRect();
      marks.push({id: t.customdata[j], x: b.left + b.width / 2, y: b.top + b.height / 2});
    });
  });
  const lone = marks.filter(m => marks.every(o => o === m || Math.hypot(o.x - m.x, o.y - m.y) > 16));
  return lone.length ? lone[0] : null;
}"""

# The boxes of every label of the first chart: years, lanes, the earlier band's, the legend's. A
# text's box is its width by its letters' height (0.6 em either side of its middle: the Naskh
# font's line box is much taller than its letters, and would make stacked lanes "overlap").
LABEL_BOXES = """(root) => {
  const gd = root.querySelector('.js-plotly-plot');
  return Array.from(gd.querySelectorAll('.xtick text, .ytick text, .annotation-text, .legend text, .legend .legendpoints'))
    .map(el => { const b = el.getBoundingClientRect();
                 const em = el.tagName === 'text' ? parseFloat(getComputedStyle(el).fontSize) : 0;
                 const mid = (b.top + b.bottom) / 2, half = em ? Math.min(0.6 * em, b.height / 2) : b.height / 2;
                 return {text: el.textContent, l: b.left, t: mid - half, r: b.right, b: mid + half, legend: !!el.closest('.legend')}; })
    .filter(b => b.r > b.l && b.b > b.t);
}"""


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def open_page(page, base: str, path: str, wait_for_app_run) -> None:
    page.goto(f"{base}/{path}")
    wait_for_app_run(page, timeout=60_000)


def settle(page, wait_for_app_run) -> None:
    wait_for_app_run(page)
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=30_000)
    wait_for_app_run(page)


def overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    """Pairs of labels whose boxes meet (the legend's own items excepted: Plotly stacks them, and
    the Naskh font's line boxes are taller than its letters)."""
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a["legend"] and b["legend"]:
                continue
            if a["l"] < b["r"] - 0.5 and b["l"] < a["r"] - 0.5 and a["t"] < b["b"] - 0.5 and b["t"] < a["b"] - 0.5:
                found.append((a["text"], b["text"]))
    return found


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_on_a_phone_sidebar_folded(phone, app_server, wait_for_app_run, screenshot_path, name):
    open_page(phone, app_server, f"{PAGES[name]}?lang=en", wait_for_app_run)
    settle(phone, wait_for_app_run)
    sidebar = phone.locator('[data-testid="stSidebar"]')
    expect(sidebar).to_have_attribute("data-collapsed", "true")
    box = sidebar.bounding_box()
    assert box is None or box["x"] + box["width"] <= 1, box  # off the screen
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways: {width} px"
    phone.screenshot(path=str(screenshot_path(f"phone-{name}-en")))
    assert phone.external_requests == []


def test_the_filters_are_one_tap_away(phone, app_server, wait_for_app_run, screenshot_path):
    open_page(phone, app_server, "timeline?lang=en", wait_for_app_run)
    phone.locator('[data-testid="stExpandSidebarButton"]').tap()
    sidebar = phone.locator('[data-testid="stSidebar"]')
    expect(sidebar).to_have_attribute("data-collapsed", "false")
    countries = sidebar.locator('.stMultiSelect').first
    expect(countries).to_be_in_viewport()
    phone.screenshot(path=str(screenshot_path("phone-sidebar-open-en")))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_tap_on_a_timeline_mark_chooses_its_event(phone, app_server, wait_for_app_run, screenshot_path, atlas, lang):
    open_page(phone, app_server, f"timeline?lang={lang}", wait_for_app_run)
    phone.wait_for_selector(".js-plotly-plot .scatterlayer .point", state="attached", timeout=30_000)
    phone.locator(".js-plotly-plot").scroll_into_view_if_needed()
    mark = phone.evaluate(ISOLATED_MARK)
    assert mark, "no mark stands alone"
    phone.touchscreen.tap(mark["x"], mark["y"])
    phone.wait_for_url(re.compile(r"[?&]event=" + re.escape(mark["id"]) + r"(&|$)"), timeout=30_000)
    wait_for_app_run(phone)
    title = atlas.event(mark["id"]).title.get(lang)
    expect(phone.locator(".ca-event").filter(has_text=title).first).to_be_visible()
    phone.screenshot(path=str(screenshot_path(f"phone-timeline-tapped-{lang}")))
    assert phone.external_requests == []


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("path", ["timeline", "presenter"])
def test_no_axis_label_covers_another(phone, app_server, wait_for_app_run, path, lang):
    open_page(phone, app_server, f"{path}?lang={lang}", wait_for_app_run)
    phone.wait_for_selector(".js-plotly-plot .xtick text", state="attached", timeout=30_000)
    phone.evaluate("document.fonts.ready")
    boxes = phone.evaluate(LABEL_BOXES, phone.locator("body").element_handle())
    texts = " ".join(b["text"] for b in boxes)
    assert "2017" in texts and ("Before 2017" if lang == "en" else "قبل 2017") in texts, texts
    assert overlaps(boxes) == []


def test_the_maps_legend_starts_folded_and_a_tap_opens_it(phone, app_server, wait_for_app_run, screenshot_path):
    open_page(phone, app_server, "map?lang=en", wait_for_app_run)
    frame = phone.frame_locator(MAP_IFRAME).first
    legend = frame.locator(".ca-legend")
    legend.wait_for(timeout=30_000)
    fold = legend.locator("details")
    assert fold.evaluate("d => d.open") is False
    map_box = frame.locator(".leaflet-container").first.bounding_box()
    assert legend.bounding_box()["height"] < 40 and legend.bounding_box()["width"] < map_box["width"] / 2
    phone.locator(MAP_IFRAME).first.scroll_into_view_if_needed()
    phone.screenshot(path=str(screenshot_path("phone-map-legend-folded-en")))
    legend.locator("summary").tap()
    expect(legend.locator(".ca-legend-keys")).to_be_visible()
    assert fold.evaluate("d => d.open") is True
    phone.screenshot(path=str(screenshot_path("phone-map-legend-open-en")))


def test_a_wide_map_shows_its_legend_open(page, app_server, wait_for_app_run):
    open_page(page, app_server, "map?lang=en", wait_for_app_run)
    legend = page.frame_locator(MAP_IFRAME).first.locator(".ca-legend")
    legend.wait_for(timeout=30_000)
    assert legend.locator("details").evaluate("d => d.open") is True
    expect(legend.locator(".ca-legend-keys")).to_be_visible()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_presenter_fits_its_buttons_on_one_row(phone, app_server, wait_for_app_run, screenshot_path, atlas, lang):
    open_page(phone, app_server, f"presenter?lang={lang}&tour=chronological", wait_for_app_run)
    controls = phone.locator('.st-key-ca_bar .stButton button, .st-key-ca_bar a[data-testid="stPageLink-NavLink"]')
    expect(controls.first).to_be_visible(timeout=60_000)
    phone.frame_locator(MAP_IFRAME).first.locator(".ca-place").first.wait_for(timeout=60_000)  # all drawn
    settle(phone, wait_for_app_run)
    boxes = [b for b in (controls.nth(i).bounding_box() for i in range(controls.count())) if b]
    assert len(boxes) == 6, boxes  # first, previous, next, last, language, back to the overview
    tops = [b["y"] for b in boxes]
    assert max(tops) - min(tops) <= 2, tops
    assert max(b["x"] + b["width"] for b in boxes) <= 390 and min(b["x"] for b in boxes) >= 0
    for i in range(controls.count()):  # each keeps its name for a screen reader
        name = controls.nth(i).evaluate("e => e.innerText || e.textContent")
        assert name.strip(), i
    phone.screenshot(path=str(screenshot_path(f"phone-presenter-{lang}")))
    phone.get_by_role("button", name=re.compile(t("next_step", lang))).tap()
    expect(phone.locator(".ca-p-counter")).to_have_text(f"2 / {len(atlas.events)}", timeout=30_000)
