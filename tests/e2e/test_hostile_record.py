"""A record whose texts carry HTML and script shows them as text and runs nothing, on every page.

The app is started on a copy of the fixture record in which every free text field holds a
payload (COALITION_ATLAS_EVENTS points the app at it). The quotes cannot carry one: they must
stand verbatim in the sources, which the validator checks.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PAYLOAD = "<img src=x onerror=alert(1)>"
PAYLOADS = {
    "title_en": f"Paris {PAYLOAD} {{{{ 7*7 }}}}",  # folium compiles map scripts as Jinja
    "summary_en": "</script><script>alert(2)</script> & \"quotes\" 'too'",
    "translation": "javascript:alert(3) <b>bold?</b> \u202eevil\u202c",
    "person": f"{PAYLOAD} \u2067خطر\u2069",
}
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "record.yaml"  # the shared fixture record
MAP_IFRAME = 'iframe[src*="streamlit_folium"]'


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory, start_streamlit):
    text = FIXTURE.read_text("utf-8")
    text = text.replace('en: "The Paris meeting"', f'en: "{PAYLOADS["title_en"]}"')
    text = text.replace('en: "The political directors met in Paris."', "en: " + _yaml_str(PAYLOADS["summary_en"]))
    text = text.replace(
        'translation: "at a meeting that brought them together yesterday, Tuesday, in the French capital, Paris"',
        "translation: " + _yaml_str(PAYLOADS["translation"])
        + '\n        translation_note: "a payload, not the passage\'s translation"',  # the validator wants a reason
    )
    text = text.replace('en: "Jean-Yves Le Drian"', "en: " + _yaml_str(PAYLOADS["person"]))
    assert text.count(PAYLOAD) == 2
    path = tmp_path_factory.mktemp("hostile") / "events.yaml"
    path.write_text(text, "utf-8")
    with start_streamlit("dashboard.py", env={"COALITION_ATLAS_EVENTS": str(path)}) as url:
        yield url


def _yaml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _no_injection(page) -> None:
    for frame in page.frames:
        assert frame.locator("img[src='x']").count() == 0, frame.url
        assert frame.locator("b", has_text="bold?").count() == 0, frame.url
        assert frame.locator("a[href^='javascript:']").count() == 0, frame.url


@pytest.mark.parametrize(
    "path",
    [
        "?lang=en&event=paris-meeting",
        "timeline?lang=en&event=paris-meeting",
        "map?lang=en&place=paris",
        "sources?lang=en&doc=paris-2019&p=1&event=paris-meeting",
    ],
)
def test_payloads_show_as_text_and_run_nothing(page, hostile_server, wait_for_app_run, path):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{hostile_server}/{path}")
    wait_for_app_run(page, timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    # the run may still be streaming its elements in: wait for the event's title to arrive
    page.wait_for_function(
        "t => (document.querySelector('[data-testid=\"stMain\"]') || {innerText: ''}).innerText.includes(t)",
        arg=PAYLOADS["title_en"], timeout=30_000,
    )
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert PAYLOADS["title_en"] in body  # shown, literally
    if "event=" in path:
        assert "</script><script>alert(2)</script>" in body
    if path.startswith("map"):
        frame = page.frame_locator(MAP_IFRAME).first
        frame.locator(".ca-place-paris").first.dispatch_event("click")
        popup = frame.locator(".leaflet-popup-content").first
        popup.wait_for(timeout=30_000)
        assert PAYLOADS["title_en"] in popup.inner_text()  # the event at Paris, named as text
    if path.startswith("timeline") or path.startswith("?"):
        # hover the Paris meeting's mark: Plotly's hover label must show the payload as text
        page.wait_for_selector(".js-plotly-plot .scatterlayer .point", state="attached", timeout=30_000)
        points = page.locator(".js-plotly-plot .scatterlayer .trace .point")
        for i in range(points.count()):
            points.nth(i).hover(force=True)
            label = page.locator(".hoverlayer .hovertext")
            if label.count() and "Paris" in label.first.text_content():
                assert PAYLOAD in label.first.text_content()
                break
    _no_injection(page)
    assert dialogs == []
    assert page.external_requests == []
    assert re.search(r"alert", page.title()) is None
