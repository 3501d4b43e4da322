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
    # (bidi controls such as U+202E are refused by the reader now: tests/test_hardened.py)
    "translation": "javascript:alert(3) <b>bold?</b> evil",
    "person": f"{PAYLOAD} خطر",
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


# --- Markdown payloads: in the record and in every URL parameter (issue 13) -----------------------

MD_EVIL = "evil.example"
MD_PAYLOAD = (f"![x](https://{MD_EVIL}/r.png) [Log in](https://{MD_EVIL}/login) https://{MD_EVIL}/auto "
              f"www.{MD_EVIL} $\\color{{red}}{{KaTeX}}$ :red[red] :material/home:")


@pytest.fixture(scope="module")
def markdown_server(tmp_path_factory, start_streamlit):
    import json

    from coalition_atlas.gazetteer import PLACES_PATH

    folder = tmp_path_factory.mktemp("markdown")
    text = FIXTURE.read_text("utf-8").replace('en: "The Paris meeting"', "en: " + _yaml_str(MD_PAYLOAD))
    (folder / "events.yaml").write_text(text, "utf-8")
    gazetteer = json.loads(PLACES_PATH.read_text("utf-8"))
    for feature in gazetteer["features"]:
        if feature["properties"]["id"] == "paris":
            feature["properties"]["name_en"] = MD_PAYLOAD
    (folder / "places.geojson").write_text(json.dumps(gazetteer, ensure_ascii=False), "utf-8")
    env = {"COALITION_ATLAS_EVENTS": str(folder / "events.yaml"), "COALITION_ATLAS_PLACES": str(folder / "places.geojson")}
    with start_streamlit("dashboard.py", env=env) as url:
        yield url


def test_markdown_payloads_show_literally_and_load_nothing(page, markdown_server, wait_for_app_run):
    """Every page, the payload in the record (an event's title, a place's name) and in every
    URL parameter: nothing links or loads outside, no KaTeX, no colour, the text shows as written."""
    from urllib.parse import quote

    from coalition_atlas.viewstate import KNOWN

    junk = "&".join(f"{k}={quote(MD_PAYLOAD)}" for k in KNOWN if k not in ("lang",)) + f"&{quote(MD_PAYLOAD)}=1"
    for path in ("?lang=en&event=paris-meeting", "map?lang=en&place=paris", f"timeline?lang=en&{junk}",
                 "sources?lang=en&event=paris-meeting", f"presenter?lang=en&{junk}"):
        page.goto(f"{markdown_server}/{path}")
        wait_for_app_run(page, timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0, path
        main = page.locator('[data-testid="stApp"]')
        if path.startswith(("map", "sources")):  # shown as written (the Markdown sinks carry an
            # invisible word joiner after each ":", where GFM would autolink)
            page.wait_for_function(
                "t => document.querySelector('[data-testid=\"stMain\"]').textContent.replaceAll('\u2060', '').includes(t)",
                arg="![x](https://evil.example/r.png) [Log in](https://evil.example/login)", timeout=30_000)
        for frame in page.frames:
            # a link or image that goes *to* the outside host (our own links may carry the
            # search text, payload included, url-encoded in their query string: that is text)
            bad = frame.evaluate(
                """evil => [...document.querySelectorAll('a[href], img[src], image, [srcset]')]
                     .map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('srcset') || '')
                     .filter(u => { try { return new URL(u, document.baseURI).hostname.endsWith(evil); }
                                    catch (err) { return u.includes(evil); } })""", MD_EVIL)
            assert bad == [], (path, frame.url, bad)
        assert main.locator(".katex, [data-testid='stMarkdownColoredText'], span[style*='color: red']").count() == 0, path
        assert page.external_requests == [], (path, page.external_requests)
