"""A walk of your own, in Chromium against `streamlit run dashboard.py`: events picked from the
search results, the timeline and its table; reordered, one dropped, notes in Arabic and English;
shared through its address in a fresh browser context (the same steps, order, notes and title);
presented with the keys; exported as a tours.yaml entry (it validates) and as a briefing pack
(the walk's order and notes, its search working from file://). A shared walk that names an
unknown event falls back with the usual notice. Screenshots: test-artifacts/screenshots/walk-*.png."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from coalition_atlas import tours
from coalition_atlas.load import load_atlas
from coalition_atlas.walks import Walk, WalkStep, encode

VIEWPORT = {"width": 1366, "height": 900}
RESULTS = ".st-key-ca_search_results"
NOTE_AR = "ملاحظة المعلّمة: **ليست** [رابطاً](http://example.com)"
NOTE_EN = "Compare with the 2019 article <b>here</b>."
TITLE = "Interpol, then 7.7 million"


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def new_page(browser, **kwargs):
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True, **kwargs)
    external: list[str] = []

    def guard(route):
        if re.match(r"https?://(127\.0\.0\.1|localhost)[:/]", route.request.url) or not route.request.url.startswith("http"):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.external_requests = external
    return context, page


def settle(page, wait_for_app_run) -> None:
    wait_for_app_run(page, timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=30_000)
    wait_for_app_run(page, timeout=60_000)


def search(page, text: str, wait_for_app_run) -> None:
    settle(page, wait_for_app_run)
    box = page.get_by_role("searchbox")
    box.fill(text, timeout=60_000)
    box.press("Enter")
    page.wait_for_function("q => new URLSearchParams(location.search).get('q') === q", arg=text, timeout=30_000)
    settle(page, wait_for_app_run)


def walk_param(page) -> str | None:
    return page.evaluate("() => new URLSearchParams(location.search).get('walk')")


def steps_shown(page) -> list[str]:
    out = []
    for i in range(page.locator("[class*='st-key-ca_walk_step_']").count()):
        out.append(page.locator(f".st-key-ca_walk_step_{i} [data-testid='stMarkdownContainer']").first.inner_text())
    return out


def test_walk_built_reordered_shared_presented_exported(browser, app_server, wait_for_app_run, screenshot_path, atlas, tmp_path):
    context, page = new_page(browser)
    try:
        # 1. from the search results
        page.goto(f"{app_server}/timeline?lang=en")
        search(page, "Interpol", wait_for_app_run)
        for i in (0, 1):
            page.locator(f"{RESULTS} .st-key-ca_add_{i} button").click()
            expect(page.locator(f"{RESULTS} .st-key-ca_add_{i} button")).to_be_disabled(timeout=30_000)
            settle(page, wait_for_app_run)
        interpol = [atlas.event(e) for e in ("information-sharing-interpol-europol", "interpol-databases-and-i-24-7")]
        # 2. from the timeline: the event a figure's result opens
        search(page, "7.7 million", wait_for_app_run)
        page.locator(f"{RESULTS} .st-key-ca_hit_figures_0 button").first.click()
        page.wait_for_url(re.compile(r"event=daesh-holds-no-land-7-7-million-freed"), timeout=30_000)
        settle(page, wait_for_app_run)
        page.locator(".st-key-ca_walk_add_chosen button").click()
        expect(page.locator(".st-key-ca_walk_add_chosen button")).to_be_disabled(timeout=30_000)
        settle(page, wait_for_app_run)
        # 3. from the table: its first row (the earliest event) selected
        grid = page.locator(".st-key-timeline_table")
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
        expect(page.locator(".st-key-ca_walk_add_rows button")).to_be_enabled(timeout=30_000)
        settle(page, wait_for_app_run)
        page.locator(".st-key-ca_walk_add_rows button").click()
        expect(page.locator(".st-key-ca_walk_add_rows button")).to_be_disabled(timeout=30_000)
        settle(page, wait_for_app_run)

        # the walk page: four steps in the order picked
        page.get_by_role("link", name="My walk").click()
        page.wait_for_url(re.compile(r"/walk\?"), timeout=30_000)
        settle(page, wait_for_app_run)
        picked = [interpol[0].title.en, interpol[1].title.en, atlas.event("daesh-holds-no-land-7-7-million-freed").title.en,
                  atlas.event("geneva-communique-2012").title.en]
        shown = steps_shown(page)
        assert [s.split(" · ")[0].split(". ", 1)[1] for s in shown] == picked, shown
        # reorder: the first step down; drop the last; notes in both languages; a title
        page.locator(".st-key-ca_walk_down_0 button").click()
        page.wait_for_function(
            "t => document.querySelector('.st-key-ca_walk_step_0 [data-testid=stMarkdownContainer]').innerText.includes(t)",
            arg=picked[1], timeout=30_000,
        )
        settle(page, wait_for_app_run)
        page.locator(".st-key-ca_walk_drop_3 button").click()
        expect(page.locator("[class*='st-key-ca_walk_step_']")).to_have_count(3, timeout=30_000)
        settle(page, wait_for_app_run)
        order = ["interpol-databases-and-i-24-7", "information-sharing-interpol-europol", "daesh-holds-no-land-7-7-million-freed"]
        for selector, text in ((f".st-key-ca_walk_note_{order[0]} input", NOTE_AR), (f".st-key-ca_walk_note_{order[2]} input", NOTE_EN),
                               (".st-key-ca_walk_title input", TITLE)):
            before = walk_param(page)
            page.locator(selector).fill(text)
            page.locator(selector).press("Enter")
            # committed: the walk in the address changed (each note and the title are in it)
            page.wait_for_function("w => new URLSearchParams(location.search).get('walk') !== w", arg=before, timeout=30_000)
            settle(page, wait_for_app_run)
        expect(page.locator(f".st-key-ca_walk_note_{order[0]} input")).to_have_value(NOTE_AR)
        shown = steps_shown(page)
        page.screenshot(path=str(screenshot_path("walk-built-en")), full_page=True)
        share = page.locator("[data-testid='stCode'] code").first.inner_text().strip()
        assert share.startswith(f"{app_server}/walk?") and "walk=1." in share and len(share) < 2000

        # 4. exported: a tours.yaml entry that validates, a briefing pack in the walk's order
        with page.expect_download() as got:
            page.locator(".st-key-ca_walk_tour button").click()
        entry = got.value.path().read_text(encoding="utf-8")
        (tour,) = tours.validate_tours(entry, {e.id for e in atlas.events})
        assert [s.event for s in tour.steps] == order and tour.title.en == TITLE
        assert tour.steps[0].note.ar == NOTE_AR and tour.steps[2].note.en == NOTE_EN and tour.steps[1].note is None
        with page.expect_download(timeout=120_000) as got:
            page.locator(".st-key-ca_walk_pack button").click()
        pack = tmp_path / "walk.html"
        pack.write_bytes(got.value.path().read_bytes())
        html = pack.read_text(encoding="utf-8")
        assert re.findall(r'<article class="ca-event[^"]*" id="event-([a-z0-9-]+)"', html) == order
        assert "ملاحظة المعلّمة: **ليست**" in html and "&lt;b&gt;here&lt;/b&gt;" in html
    finally:
        context.close()

    # 5. shared: a fresh browser context opens the address and finds the same walk
    context, fresh = new_page(browser)
    try:
        fresh.goto(share)
        settle(fresh, wait_for_app_run)
        assert steps_shown(fresh) == shown
        expect(fresh.locator(".st-key-ca_walk_title input")).to_have_value(TITLE)
        expect(fresh.locator(f".st-key-ca_walk_note_{order[0]} input")).to_have_value(NOTE_AR)
        expect(fresh.locator(f".st-key-ca_walk_note_{order[2]} input")).to_have_value(NOTE_EN)
        fresh.screenshot(path=str(screenshot_path("walk-shared-en")), full_page=True)
        # 6. presented, with the keys
        fresh.locator(".st-key-ca_walk_present button").click()
        fresh.wait_for_url(re.compile(r"/presenter\?.*tour=my-walk"), timeout=30_000)
        settle(fresh, wait_for_app_run)
        expect(fresh.locator(".ca-p-step")).to_have_attribute("data-event", order[0])
        expect(fresh.locator(".ca-p-note")).to_have_text(NOTE_AR)
        expect(fresh.locator(".ca-p-counter")).to_have_text("1 / 3")
        fresh.screenshot(path=str(screenshot_path("walk-presented-en")))
        for key, step in (("ArrowRight", 2), ("End", 3), ("ArrowLeft", 2), ("Home", 1), ("PageDown", 2)):
            fresh.keyboard.press(key)
            fresh.wait_for_url(re.compile(rf"[?&]step={step}(&|$)"), timeout=30_000)
            settle(fresh, wait_for_app_run)
            expect(fresh.locator(".ca-p-step")).to_have_attribute("data-event", order[step - 1])
        assert "walk=" in fresh.url and not fresh.external_requests
    finally:
        context.close()


def test_shared_walk_naming_an_unknown_event_falls_back_with_a_notice(page, app_server, wait_for_app_run, atlas, screenshot_path):
    known = atlas.events[5].id
    text = encode(Walk("لدرس الغد", (WalkStep("no-such-event", "x"), WalkStep(known, "تبقى"))))
    page.goto(f"{app_server}/walk?{urlencode({'walk': text})}")
    settle(page, wait_for_app_run)
    expect(page.locator("[data-testid='stToast']").first).to_contain_text("walk", timeout=30_000)
    expect(page.locator("[class*='st-key-ca_walk_step_']")).to_have_count(1)
    expect(page.locator(f".st-key-ca_walk_note_{known} input")).to_have_value("تبقى")
    page.screenshot(path=str(screenshot_path("walk-unknown-ar")))
    # a parameter that is not a walk at all: the same notice, an empty walk, no error
    page.goto(f"{app_server}/walk?walk=1.%3Cscript%3E")
    settle(page, wait_for_app_run)
    expect(page.locator("[data-testid='stToast']").first).to_contain_text("walk", timeout=30_000)
    expect(page.locator("[class*='st-key-ca_walk_step_']")).to_have_count(0)
    assert page.locator("[data-testid='stException']").count() == 0
