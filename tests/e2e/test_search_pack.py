"""The briefing pack's own search, opened from disk (file://) in Chromium with every request that
is not for the file refused: typing finds events, passages, places and figures the way the
dashboard does (Arabic as people type it), marks the words as the text writes them, leads to
them by their links, says when nothing matches (with the nearest words), shows a hostile query
as text, and answers within the pack (the time each query took is read from the page:
``data-ca-search-ms``). Screenshots: test-artifacts/screenshots/pack-search-*.png."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from coalition_atlas.export import export_bytes
from coalition_atlas.load import load_atlas
from coalition_atlas.viewstate import ViewState

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
HOSTILE = "**bold** [link](http://example.com) <img src=x onerror=alert(1)> </script>"


@pytest.fixture(scope="module")
def pack_files(tmp_path_factory):
    atlas = load_atlas()
    folder = tmp_path_factory.mktemp("pack-search")
    files = {}
    for lang in ("ar", "en"):
        files[lang] = folder / f"briefing-{lang}.html"
        files[lang].write_bytes(export_bytes(atlas, ViewState(lang=lang), "html"))
    return files


def _open(browser, path: Path):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    record = {"refused": [], "errors": [], "dialogs": []}

    def guard(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            record["refused"].append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("pageerror", lambda e: record["errors"].append(str(e)))
    page.on("dialog", lambda d: (record["dialogs"].append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_function("document.documentElement.dataset.caSearch === 'ready'", timeout=60_000)
    return context, page, record


def _query(page, text: str) -> float:
    box = page.locator("#ca-search-box")
    box.fill("")
    page.evaluate("document.documentElement.dataset.caSearch = 'typing'")
    box.fill(text)
    box.press("Enter")
    page.wait_for_function("document.documentElement.dataset.caSearch === 'done'")
    return float(page.evaluate("document.documentElement.dataset.caSearchMs"))


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_pack_search_offline(browser, pack_files, lang):
    context, page, record = _open(browser, pack_files[lang])
    try:
        # «للإنتربول» and «الإنتربول» in the texts, typed as «انتربول»: the marks are the words as written
        _query(page, "انتربول")
        marks = page.locator("#ca-search-results .ca-search-events mark").all_inner_texts()
        assert marks and set(marks) <= {"الإنتربول", "للإنتربول"}, marks
        assert page.locator("#ca-search-results .ca-search-passages li").count() >= 2
        # Arabic-Indic digits find the Western ones; diacritics and tatweel are ignored
        _query(page, "٢٠١٧")
        assert "2017" in page.locator("#ca-search-results mark").all_inner_texts()
        _query(page, "الموصِل")
        assert "الموصل" in page.locator("#ca-search-results mark").all_inner_texts()
        _query(page, "داعـش")
        assert page.locator("#ca-search-results .ca-search-events li").count() == 8  # the first 8 shown…
        assert page.locator("#ca-search-results .ca-search-events .ca-meta").last.inner_text()  # …and how many more
        # figures; English stems
        _query(page, "7.7 million")
        assert page.locator("#ca-search-results .ca-search-figures li").count() == 1
        _query(page, "liberated Mosul")
        assert page.locator("#ca-search-results .ca-search-events li").count() >= 1
        # each kind of result leads to its place in the pack
        for kind, target in (("events", "article.ca-event"), ("passages", ".ca-passage"), ("places", ".ca-places li")):
            _query(page, "الموصل")
            link = page.locator(f"#ca-search-results .ca-search-{kind} a.ca-hit-link").first
            anchor = link.get_attribute("href")
            link.click()
            assert page.evaluate("location.hash") == anchor
            assert page.locator(f"{target}{anchor}").is_visible()
        page.screenshot(path=str(SCREENSHOTS / f"pack-search-followed-{lang}.png"))
        # nothing found: said, with the nearest words of the texts; a click on one searches it
        _query(page, "الموصلل")
        assert "الموصلل" in page.locator("#ca-search-status").inner_text()
        suggestion = page.locator("#ca-search-results button.ca-suggest", has_text="الموصل").first
        suggestion.click()
        assert page.locator("#ca-search-results .ca-search-events li").count() >= 1
        # a hostile query is text, nothing else
        _query(page, HOSTILE)
        assert HOSTILE in page.locator("#ca-search-status").inner_text()
        assert page.locator("#ca-search-results img, #ca-search-results a[href^='http']").count() == 0
        assert not record["dialogs"] and not record["refused"] and not record["errors"], record
        page.locator("#search").scroll_into_view_if_needed()
        _query(page, "الإنتربول" if lang == "ar" else "Interpol")
        page.screenshot(path=str(SCREENSHOTS / f"pack-search-{lang}.png"))
        # speed at the real record: the browser's own time for a query (search and drawing)
        times = [_query(page, q) for q in ("داعش", "انتربول", "Daesh", "liberation", "7.7 million", "الموصل") * 3]
        print(f"pack search ({lang}): median {statistics.median(times):.1f} ms, max {max(times):.1f} ms")
    finally:
        context.close()
