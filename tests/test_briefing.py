"""The briefing pack as a file: self-contained (no URL, Leaflet and the font inside, the
timeline as inline SVG and no plotly.js), right to left in Arabic, every text from the data
escaped, small enough to mail (≤ 1.5 MB: it was 3.15 MB with plotly.js inlined).
Its drawing, offline, and its print on A4 are checked in tests/e2e/test_briefing_file.py."""

from __future__ import annotations

import base64
import hashlib
import dataclasses
import json
import re

import pytest

from coalition_atlas import briefing, offline
from coalition_atlas.briefing import briefing_html
from coalition_atlas.escaping import script_json
from coalition_atlas.export import ordered
from coalition_atlas.filtering import filter_events
from coalition_atlas.load import load_atlas
from coalition_atlas.models import Bilingual
from coalition_atlas.viewstate import ViewState

MAX_BYTES = 1_500_000  # 1.18 MB in Arabic now
HOSTILE = "</script><img src=x onerror=alert(1)>"
HOSTILE_TITLE = HOSTILE + "]]>\u202e\u2067"  # CDATA's end and bidi controls too
MARK = re.compile(r'<a class="ca-m [^"]*" href="#event-([^"]+)"><title>([^<]*)</title>')
SCRIPT_JSON = re.compile(r'<script type="application/json" id="([\w-]+)">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


@pytest.fixture(scope="module")
def packs(atlas):
    return {lang: briefing_html(atlas, ViewState(lang=lang)) for lang in ("ar", "en")}


def outside_scripts(html: str) -> str:
    """The markup without the contents of <script> and <style> elements."""
    return re.sub(r"(<(script|style)\b[^>]*>).*?(</\2>)", r"\1\3", html, flags=re.S)


def script_data(html: str) -> dict[str, object]:
    return {name: json.loads(body) for name, body in SCRIPT_JSON.findall(html)}


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_no_external_url_and_nothing_to_fetch(packs, lang):
    html = packs[lang]
    assert offline.external_urls(html) == []
    markup = outside_scripts(html)
    assert not re.search(r"\ssrc\s*=", markup), "no <script src>, <img src>, <iframe src>"
    assert not re.search(r"<link\b", markup)
    hrefs = re.findall(r'href="([^"]*)"', markup)
    assert hrefs and all(h.startswith("#") for h in hrefs), sorted({h for h in hrefs if not h.startswith("#")})
    # every in-file link leads somewhere
    ids = set(re.findall(r'\sid="([^"]+)"', markup))
    assert {h[1:] for h in hrefs} <= ids
    # CSS may point only at data: URIs
    for style in re.findall(r"<style>(.*?)</style>", html, flags=re.S):
        for url in re.findall(r"url\(\s*['\"]?([^)'\"]+)", style):
            assert url.startswith(("data:", "#")), url[:80]
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'none'" in csp and "connect-src" not in csp


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_csp_runs_only_the_packs_own_scripts_by_hash(packs, lang):
    """No 'unsafe-inline' for scripts: each script the pack runs is allowed by its SHA-256,
    computed from its final text; a data block (type="application/json") needs none."""
    html = packs[lang]
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    script_src = re.search(r"script-src ([^;]+)", csp).group(1).split()
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    runs = [m.group(2) for m in re.finditer(r"<script( [^>]*)?>(.*?)</script>", html, re.S)
            if 'type="application/json"' not in (m.group(1) or "")]
    assert len(runs) >= 3  # Leaflet, the pack's script, the timeline's mark
    expected = {"'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'" for body in runs}
    assert set(script_src) == expected
    # an injected script would not match any hash
    assert briefing.script_hashes(html.replace("</main>", "<script>alert(1)</script></main>")) != briefing.script_hashes(html)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_inlines_leaflet_and_the_font_and_no_plotly(packs, lang):
    html = packs[lang]
    assert "plotly" not in html.lower() and "application/gzip" not in html, "the timeline is SVG: no plotly.js"
    assert '<div id="ca-timeline" class="ca-plot" dir="ltr"><svg ' in html
    assert "Leaflet 1.9.3" in html and "L.map(" in html and ".leaflet-pane" in html
    assert "@font-face" in html and "font-family: 'Noto Naskh Arabic'" in html
    font = (offline.FONTS_DIR / "noto-naskh-arabic-arabic-400-normal.woff2").read_bytes()
    assert f"url(data:font/woff2;base64,{base64.b64encode(font).decode()})" in html


def test_direction_and_language(packs):
    assert packs["ar"].count('<html lang="ar" dir="rtl">') == 1
    assert packs["en"].count('<html lang="en" dir="ltr">') == 1
    # Arabic quotes stay right to left inside the English pack
    assert '<p dir="rtl" lang="ar" class="ca-ar">«' in packs["en"]
    assert '<p dir="ltr" lang="en" class="ca-en">“' in packs["ar"]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_sections_events_quotes_and_citations(atlas, packs, lang):
    html = packs[lang]
    for section in ("overview", "timeline", "map", "events", "passages"):
        assert f'<section id="{section}" class="ca-section">' in html
    assert html.count('<article class="ca-event') == len(atlas.events)
    assert html.count('<blockquote class="ca-quote">') >= sum(len(e.sources) for e in atlas.events)
    for document in atlas.documents.values():
        assert document.meta.title.ar in html
    # the figures the documents state, each with its citation
    assert html.count('class="ca-figure"') == sum(len(e.figures) for e in atlas.events)
    data = script_data(html)
    assert "ca-timeline-data" not in data
    marks = MARK.findall(html)  # one link per event, in the events' order, to its card
    assert [m[0] for m in marks] == re.findall(r'<article class="ca-event[^"]*" id="event-([^"]+)"', html)
    assert sorted(m[0] for m in marks) == sorted(e.id for e in atlas.events)
    places = {p["id"] for p in data["ca-map-data"]["places"]}
    assert places == {p for e in atlas.events for p in e.places}
    # the outlines around the places (and every country the events name), not the whole world
    from coalition_atlas.maps import base_layer_geojson

    features = data["ca-map-data"]["countries"]["features"]
    world = {f["id"] for f in base_layer_geojson()["features"]}
    assert 30 < len(features) < 0.6 * len(world)
    assert sum(f["properties"]["named"] for f in features) == len({c for e in atlas.events for c in e.countries} & world)


def test_filtered_pack(atlas):
    state = ViewState(lang="en", countries=("LBY",))
    html = briefing_html(atlas, state)
    shown = ordered(filter_events(atlas.events, state))
    found = re.findall(r'<article class="ca-event[^"]*" id="event-([^"]+)"', html)
    assert found == [e.id for e in shown]
    assert "Libya" in html and "5 of 67 events" in html


def test_empty_view_is_a_short_page(atlas):
    html = briefing_html(atlas, ViewState(lang="en", countries=("LBY",), categories=("messaging",)))
    assert "No events match the filters." in html
    assert 'id="ca-timeline"' not in html and "<svg" not in html and len(html.encode()) < 500_000


def test_print_stylesheet(packs):
    css = packs["ar"]
    assert re.search(r"@page \{[^}]*size: A4", css)
    assert re.search(r"\.ca-section \+ \.ca-section \{ break-before: page; \}", css)
    assert re.search(r"\.ca-event, \.ca-quote,[^{]*\{ break-inside: avoid; \}", css)
    assert re.search(r"#ca-timeline, #ca-map \{ zoom: 0\.7;", css)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_size(packs, lang):
    size = len(packs[lang].encode("utf-8"))
    print(f"briefing pack ({lang}): {size / 1e6:.2f} MB")
    assert size <= MAX_BYTES


def test_script_json_cannot_close_its_element():
    text = script_json({"a": HOSTILE, "b": "<!--<script>", "c": "x\u2028y\u2029z", "d": "&amp;"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"a": HOSTILE, "b": "<!--<script>", "c": "x\u2028y\u2029z", "d": "&amp;"}


@pytest.fixture(scope="module")
def hostile_pack(atlas):
    """The real record with one event's texts, and the name of its place, made hostile."""
    event = next(e for e in atlas.events if e.places and e.figures)
    place = atlas.places[event.places[0]]
    bad = Bilingual(ar=HOSTILE + "\u2028", en=HOSTILE)
    title = Bilingual(ar=HOSTILE_TITLE + "\u2028", en=HOSTILE_TITLE)
    events = tuple(
        e.model_copy(update={"title": title, "summary": bad, "people": [bad]}) if e.id == event.id else e
        for e in atlas.events
    )
    places = {**atlas.places, place.id: place.model_copy(update={"name_ar": HOSTILE, "name_en": HOSTILE})}
    hostile = dataclasses.replace(atlas, events=events, places=places)
    return {lang: briefing_html(hostile, ViewState(lang=lang)) for lang in ("ar", "en")}, event


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_hostile_text_is_escaped(hostile_pack, lang):
    packs, event = hostile_pack
    html = packs[lang]
    assert "<img" not in html, "no markup from the data, in HTML, in the SVG or in a script"
    assert "</script><img" not in html and "]]>" not in outside_scripts(html)
    assert html.count("<script") == html.count("</script>")
    assert "\u2028" not in "".join(body for _, body in SCRIPT_JSON.findall(html))
    markup = outside_scripts(html)
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in markup
    data = script_data(html)  # parses: the JSON was not cut short
    hover = dict(MARK.findall(markup))[event.id]  # the mark's <title>: the date, the title isolated
    assert hover.endswith("\u2068&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;]]&gt;\u202e\u2067\u2069")
    popups = "".join(p["popup"] + p["icon"] for p in data["ca-map-data"]["places"])
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in popups and "<img" not in popups
    assert {p["name"] for p in data["ca-map-data"]["places"]} >= {HOSTILE}  # set as a property, not as HTML


def test_pack_is_templates_and_real_files():
    """No HTML in briefing.py's strings (templates/pack/ draws it), its style sheet and script
    are real files, and the sizes pack.css states are the ones the module draws with."""
    import ast
    from pathlib import Path

    from coalition_atlas import briefing, templating

    source = Path(briefing.__file__).read_text(encoding="utf-8")
    tree = ast.parse(source)
    docstring = ast.get_docstring(tree, clean=False)
    strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value != docstring]
    assert not [s for s in strings if re.search(r"<[a-z]+[\s>]", s)], "HTML belongs in templates/pack/"
    css = str(templating.asset("pack/pack.css"))
    assert f"#ca-timeline {{ width: {briefing.FIGURE_WIDTH}px; height: {briefing.TIMELINE_HEIGHT}px; }}" in css
    assert f"#ca-map {{ width: {briefing.FIGURE_WIDTH}px; height: {briefing.MAP_HEIGHT}px;" in css
    assert f"zoom: {briefing.PRINT_ZOOM};" in css and f"max-width: {briefing.FIGURE_WIDTH}px;" in css
    assert "L.map(" in str(templating.asset("pack/pack.js"))


def test_briefing_and_export_do_not_import_each_other():
    import ast
    from pathlib import Path

    from coalition_atlas import briefing

    tree = ast.parse(Path(briefing.__file__).read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert "export" not in imported


def test_english_pack_has_the_english_beside_every_cited_passage():
    """Issue 14: the pack does what the Sources page does — our English beside each passage,
    the events' translations marked; the Arabic pack keeps the Arabic alone."""
    import re as _re

    from coalition_atlas.briefing import briefing_html
    from coalition_atlas.load import load_atlas
    from coalition_atlas.viewstate import ViewState

    atlas = load_atlas()
    english = briefing_html(atlas, ViewState(lang="en"))
    passages = english.split('<div class="ca-passage" id="src-')[1:]
    assert len(passages) > 20
    assert all('class="ca-ptext-en" dir="ltr" lang="en"' in p for p in passages)
    assert english.count('<mark class="ca-tr">') > 20
    assert 'class="ca-ptext-en"' not in briefing_html(atlas, ViewState(lang="ar"))
