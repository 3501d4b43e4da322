"""Moves within the app stay in the session: no page load, no new WebSocket, the URL written.

Each test sets a marker on ``window`` and counts the WebSocket connections the page opens; a
move that reloaded the page would lose the marker and open a second socket. Then the address
the move wrote is reloaded and must land on the same view.
"""

from __future__ import annotations

import re

import pytest

MAP_IFRAME = 'iframe[src*="streamlit_folium"]'  # by src: the app titles the frame for screen readers


@pytest.fixture(scope="module")
def atlas():
    from coalition_atlas.load import load_atlas

    return load_atlas()


def sockets(page) -> list:
    opened: list = []
    page.on("websocket", lambda ws: opened.append(ws.url) if ws.url.endswith("/_stcore/stream") else None)
    return opened


def start(page, url: str, wait_for_app_run) -> list:
    opened = sockets(page)
    page.goto(url)
    wait_for_app_run(page, timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=30_000)
    wait_for_app_run(page)
    page.locator("html[data-ca-links='on']").wait_for(state="attached", timeout=30_000)  # links component ready
    page.evaluate("() => { window.__caMarker = 'still here'; }")
    assert len(opened) == 1
    return opened


def same_page(page, opened: list) -> None:
    assert page.evaluate("() => window.__caMarker") == "still here", "the page was loaded again"
    assert len(opened) == 1, f"a new session was opened: {opened}"


def test_read_in_the_source_and_back_stay_in_the_session(page, app_server, wait_for_app_run, atlas):
    event = atlas.event("final-liberation-declared")
    ref = event.sources[0]
    opened = start(page, f"{app_server}/timeline?lang=en&event={event.id}&country=IRQ", wait_for_app_run)
    page.locator(f"#event-{event.id} a", has_text="Read in the source").first.click()
    page.wait_for_url(re.compile(r"/sources\?"), timeout=30_000)
    mark = page.locator(f"#p-{ref.doc}-{ref.paragraph} mark.ca-hl").first
    mark.wait_for(timeout=30_000)
    wait_for_app_run(page)
    same_page(page, opened)
    # the URL carries the passage, the event and the filters the timeline had
    assert f"doc={ref.doc}" in page.url and f"p={ref.paragraph}" in page.url
    assert f"event={event.id}" in page.url and "country=IRQ" in page.url and "lang=en" in page.url

    # back to the timeline: the same session again
    page.locator(".ca-back a").click()
    page.wait_for_url(re.compile(r"/timeline\?"), timeout=30_000)
    page.locator(f"#event-{event.id}").wait_for(timeout=30_000)
    wait_for_app_run(page)
    same_page(page, opened)
    assert "country=IRQ" in page.url

    # a reload of what the moves wrote lands on the same view
    page.goto(page.url.replace("/timeline?", "/sources?") + f"&doc={ref.doc}&p={ref.paragraph}")
    wait_for_app_run(page, timeout=60_000)
    page.locator(f"#p-{ref.doc}-{ref.paragraph} mark.ca-hl").first.wait_for(timeout=30_000)
    assert page.external_requests == []


def test_a_link_opened_with_a_modifier_is_left_to_the_browser(page, app_server, wait_for_app_run, atlas):
    """Links stay real links: Ctrl+click opens a new tab and this page stays where it was."""
    event = atlas.event("final-liberation-declared")
    opened = start(page, f"{app_server}/timeline?lang=en&event={event.id}", wait_for_app_run)
    link = page.locator(f"#event-{event.id} a", has_text="Read in the source").first
    assert re.match(r"^sources\?", link.get_attribute("href"))
    with page.context.expect_page(timeout=30_000) as new_tab:
        link.click(modifiers=["Control"])
    new_tab.value.close()
    assert "/timeline" in page.url
    same_page(page, opened)
    assert page.external_requests == []
