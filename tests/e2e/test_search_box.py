"""Search on every page, in Chromium against `streamlit run dashboard.py`, in both languages:
typing a query (the URL keeps it as q=), each kind of result followed within the session (the
event on the timeline, the passage scrolled to with the words marked, the place on the map, a
figure's event), no match said with the nearest words, and a hostile query shown as text.
Screenshots: test-artifacts/screenshots/search-*.png (look at them)."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from coalition_atlas.load import load_atlas

RESULTS = ".st-key-ca_search_results"
HOSTILE = "**bold** [link](http://example.com) <img src=x onerror=alert(1)> :red[x] $x^2$ </script>"


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def open_page(page, base: str, path: str, wait_for_app_run) -> None:
    page.goto(f"{base}/{path}")
    wait_for_app_run(page, timeout=60_000)


def search(page, text: str, wait_for_app_run) -> None:
    """Type a query and press Enter; wait until the URL names it and the run is over."""
    wait_for_app_run(page, timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=30_000)
    box = page.get_by_role("searchbox")
    box.fill(text, timeout=60_000)
    box.press("Enter")
    page.wait_for_function("q => new URLSearchParams(location.search).get('q') === q", arg=text, timeout=30_000)
    wait_for_app_run(page)


def follow(page, kind: str, wait_for_app_run, path: str) -> None:
    page.locator(f".st-key-ca_hit_{kind}_0 button").first.click()
    page.wait_for_url(re.compile(rf"/{path}\?"), timeout=30_000)
    wait_for_app_run(page, timeout=60_000)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_typing_and_following_each_kind_of_result(page, app_server, wait_for_app_run, screenshot_path, atlas, lang):
    suffix = "" if lang == "ar" else "?lang=en"
    open_page(page, app_server, suffix, wait_for_app_run)  # the overview
    # «الإنتربول» and «للإنتربول» in the texts, typed as «انتربول»: the marks are the words as written
    search(page, "انتربول", wait_for_app_run)
    results = page.locator(RESULTS)
    expect(results).to_be_visible(timeout=30_000)
    marks = set(results.locator("mark.ca-hl").all_inner_texts())
    assert marks and marks <= {"الإنتربول", "للإنتربول", "Interpol"}, marks
    assert "الإنتربول" in marks or "للإنتربول" in marks
    expect(results.locator(".st-key-ca_hit_events_2")).to_be_visible()
    expect(results.locator(".st-key-ca_hit_passages_1")).to_be_visible()
    page.screenshot(path=str(screenshot_path(f"search-results-{lang}")))

    # an event: the timeline with the event chosen
    first_event = results.locator(".st-key-ca_hit_events_0 button").first.inner_text()
    follow(page, "events", wait_for_app_run, "timeline")
    assert "event=" in page.url and "q=" in page.url
    event_id = re.search(r"event=([a-z0-9-]+)", page.url).group(1)
    expect(page.locator(f"#event-{event_id}")).to_be_visible()
    assert atlas.event(event_id).title.get(lang) == first_event.strip()
    expect(page.locator(RESULTS)).to_have_count(0)  # the results folded away…
    page.locator(".st-key-ca_search_again button").click()  # …and come back
    expect(page.locator(RESULTS)).to_be_visible()
    wait_for_app_run(page)

    # a passage: the Sources page, scrolled to it, the words marked
    follow(page, "passages", wait_for_app_run, "sources")
    assert re.search(r"doc=[a-z0-9-]+", page.url) and re.search(r"[?&]p=\w+", page.url)
    target = page.locator(".ca-passage.ca-target")
    expect(target).to_have_count(1)
    expect(target.locator("mark.ca-hl").first).to_be_in_viewport(timeout=15_000)
    assert set(target.locator("mark.ca-hl").all_inner_texts()) & {"الإنتربول", "للإنتربول"}
    page.screenshot(path=str(screenshot_path(f"search-passage-{lang}")))

    # a place: the map with the place chosen
    search(page, "الموصل" if lang == "ar" else "Mosul", wait_for_app_run)
    follow(page, "places", wait_for_app_run, "map")
    assert "place=mosul" in page.url
    expect(page.get_by_text(atlas.places["mosul"].name(lang)).first).to_be_visible()

    # a figure: its event
    search(page, "7.7 مليون" if lang == "ar" else "7.7 million", wait_for_app_run)
    follow(page, "figures", wait_for_app_run, "timeline")
    assert "event=daesh-holds-no-land-7-7-million-freed" in page.url
    assert not page.external_requests


def test_no_match_says_so_and_suggests(page, app_server, wait_for_app_run, screenshot_path):
    open_page(page, app_server, "timeline", wait_for_app_run)
    search(page, "الموصلل", wait_for_app_run)
    none = page.locator(".ca-search-none")
    expect(none).to_contain_text("الموصلل")
    page.screenshot(path=str(screenshot_path("search-none-ar")))
    page.locator(".st-key-ca_suggest_0 button, [class*='st-key-ca_suggest_'] button").filter(has_text="الموصل").first.click()
    page.wait_for_function("q => new URLSearchParams(location.search).get('q') === q", arg="الموصل", timeout=30_000)
    wait_for_app_run(page)
    expect(page.locator(f"{RESULTS} .st-key-ca_hit_places_0")).to_be_visible()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_hostile_query_is_shown_literally(page, app_server, wait_for_app_run, screenshot_path, lang):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    suffix = "" if lang == "ar" else "lang=en&"
    open_page(page, app_server, f"map?{suffix}q={quote(HOSTILE, safe='')}", wait_for_app_run)  # from the URL
    expect(page.get_by_role("searchbox")).to_have_value(HOSTILE, timeout=60_000)
    expect(page.locator(".ca-search-none")).to_contain_text(HOSTILE, timeout=30_000)
    page.screenshot(path=str(screenshot_path(f"search-hostile-{lang}")))
    # with results too: the count line says the query as typed
    typed = "**Mosul** [Raqqa]" if lang == "en" else "**الموصل** [الرقة]"
    search(page, typed, wait_for_app_run)
    caption = page.locator(f"{RESULTS} [data-testid='stCaptionContainer']").first
    expect(caption).to_contain_text(typed)
    assert caption.locator("strong, a").count() == 0
    assert page.locator("img[src='x'], a[href^='http://example.com']").count() == 0
    assert not dialogs and not page.external_requests
