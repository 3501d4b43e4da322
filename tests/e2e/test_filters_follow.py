"""Filters that follow, and say so, in Chromium: every page's main area names the filters that
are on and clears them in one click; Sources marks the passages the filtered events cite; the
presenter walks the filtered events; a page's own parameters leave with the person."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coalition_atlas.filtering import filter_events
from coalition_atlas.i18n import t
from coalition_atlas.load import load_atlas
from coalition_atlas.passages import citations
from coalition_atlas.viewstate import ViewState

PAGES = {"overview": "", "timeline": "timeline", "map": "map", "sources": "sources", "presenter": "presenter"}
LIBYA = ViewState(countries=("LBY",))


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def open_page(page, base: str, path: str, wait_for_app_run) -> None:
    page.goto(f"{base}/{path}")
    wait_for_app_run(page, timeout=60_000)


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_says_which_filters_are_on_and_clears_them(page, app_server, wait_for_app_run, screenshot_path, atlas, name):
    open_page(page, app_server, f"{PAGES[name]}?lang=en&country=LBY", wait_for_app_run)
    banner = page.locator(".st-key-ca_filters")
    expect(banner).to_be_visible(timeout=60_000)
    n = len(filter_events(atlas.events, LIBYA))
    expect(banner).to_contain_text("Libya")
    expect(banner).to_contain_text(f"{n} of {len(atlas.events)} events")
    assert page.locator('[data-testid="stMain"] .st-key-ca_filters').count() == 1  # in the main area
    wait_for_app_run(page)
    assert banner.evaluate("e => e.getBoundingClientRect().bottom") <= 768, "above the fold"
    page.screenshot(path=str(screenshot_path(f"filters-banner-{name}-en")))
    banner.get_by_role("button", name=t("clear_filters", "en")).click()
    expect(banner).to_have_count(0, timeout=30_000)
    wait_for_app_run(page)
    assert "country=" not in page.url and "lang=en" in page.url
    assert page.external_requests == []


def test_sources_marks_the_passages_the_filtered_events_cite(page, app_server, wait_for_app_run, screenshot_path, atlas):
    open_page(page, app_server, "sources?lang=en&country=LBY&doc=washington-2017", wait_for_app_run)
    shown = {e.id for e in filter_events(atlas.events, LIBYA)}
    cites = citations(atlas)
    doc = atlas.documents["washington-2017"]
    want = [p.id for p in doc.passages if any(e in shown for e, _ in cites.get((doc.id, p.id), []))]
    expect(page.locator(".ca-passage.ca-in-view")).to_have_count(len(want), timeout=30_000)
    ids = page.locator(".ca-passage.ca-in-view").evaluate_all("els => els.map(e => e.id)")
    assert ids == [f"p-washington-2017-{p}" for p in want]
    for pid in want:  # said in words, not by colour alone
        expect(page.locator(f"#p-washington-2017-{pid} .ca-in-view-note")).to_have_text(f"· {t('cited_in_view', 'en')}")
    hidden = len(atlas.events) - len(shown)
    expect(page.get_by_text(re.compile(rf"the filters hide {hidden} events"))).to_be_visible()
    listed = set(page.locator(".ca-backlinks a.ca-tl").evaluate_all(
        "els => els.map(a => new URL(a.href).searchParams.get('event'))"))
    assert listed and listed <= shown
    page.locator(f"#p-washington-2017-{want[0]}").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_path("filters-sources-marked-en")))


def test_the_presenter_walks_the_filtered_events_and_says_so(page, app_server, wait_for_app_run, screenshot_path, atlas):
    libya = filter_events(atlas.events, LIBYA)
    open_page(page, app_server, "presenter?lang=en&country=LBY", wait_for_app_run)
    expect(page.locator(".ca-p-counter")).to_have_text(f"1 / {len(libya)}", timeout=60_000)
    expect(page.locator(".st-key-ca_filters")).to_contain_text("Libya")
    expect(page.get_by_role("combobox", name=t("tour", "en"))).to_match_aria_snapshot(  # the walk's name, in the tour's list
        f'- combobox "{t("tour", "en")}": {t("tour_current", "en")}', timeout=30_000)
    page.wait_for_url(re.compile(r"[?&]tour=current-filters(&|$)"))
    page.screenshot(path=str(screenshot_path("filters-presenter-en")))
    # an explicit tour wins over the filters
    open_page(page, app_server, "presenter?lang=en&country=LBY&tour=chronological", wait_for_app_run)
    expect(page.locator(".ca-p-counter")).to_have_text(f"1 / {len(atlas.events)}", timeout=60_000)


def test_leaving_the_presenter_leaves_its_parameters(page, app_server, wait_for_app_run):
    open_page(page, app_server, "presenter?lang=en&country=IRQ&tour=chronological&step=3", wait_for_app_run)
    expect(page.locator(".ca-p-counter")).to_have_text(re.compile(r"^3 / "), timeout=60_000)
    page.locator('.st-key-ca_bar a[data-testid="stPageLink-NavLink"]').click()
    page.wait_for_url(re.compile(r"/overview|/\?|/$"), timeout=30_000)
    expect(page.locator(".ca-p-counter")).to_have_count(0, timeout=30_000)
    wait_for_app_run(page)
    assert not re.search(r"[?&](tour|step|doc|p)=", page.url), page.url
    assert "country=IRQ" in page.url and "lang=en" in page.url
    # and Sources' own parameters stay on Sources
    open_page(page, app_server, "sources?lang=en&doc=washington-2017&p=5", wait_for_app_run)
    page.locator('[data-testid="stMain"] a[data-testid="stPageLink-NavLink"]').filter(has_text="Timeline").first.click()
    page.wait_for_url(re.compile(r"/timeline"), timeout=30_000)
    wait_for_app_run(page)
    assert not re.search(r"[?&](tour|step|doc|p)=", page.url), page.url
