"""The map (coalition_atlas.maps), checked in the HTML folium renders: no browser.

The escaping tests read the JavaScript folium writes the way the browser will: the popup and
tooltip strings are JavaScript template literals (`…`) whose content jQuery/Leaflet parse as
HTML; the marker icons are JSON strings set as innerHTML. Each is parsed here with
html.parser and must hold the hostile text as text, never as an element.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
from pathlib import Path
from html.parser import HTMLParser

import folium
import pytest

from coalition_atlas import maps, offline
from coalition_atlas.filtering import filter_events
from coalition_atlas.gazetteer import PlaceStatus
from coalition_atlas.load import load_atlas
from coalition_atlas.models import Bilingual
from coalition_atlas.render import source_href
from coalition_atlas.viewstate import ViewState

HOSTILE_NAME = "</script><img src=x onerror=alert(1)> {{ 7*7 }}{% if true %}jinja{% endif %}{# c"
HOSTILE_QUOTE = "قال \"هنا\" و'هناك' `${alert(2)}` \\` </textarea><b>bold</b>"


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def rendered(m: folium.Map) -> str:
    return m.get_root().render()


def marker_ids(page: str) -> set[str]:
    return set(re.findall(r"ca-place ca-place-([a-z0-9-]+)", page))


def marker_classes(page: str, pid: str) -> set[str]:
    found = re.search(rf'"(ca-place ca-place-{re.escape(pid)}(?: [a-z-]+)*)"', page)
    assert found, pid
    return set(found.group(1).split())


def marker_specs(page: str) -> list[dict]:
    """The markers as the browser gets them: PlaceMarkers' JSON array."""
    found = re.findall(r"var places = (\[.*?\]);\n", page, flags=re.S)
    assert len(found) == 1, len(found)
    return json.loads(found[0])


def popups(page: str) -> list[str]:
    return [m["popup"] for m in marker_specs(page)]


def tooltips(page: str) -> list[str]:
    return [m["tip"] for m in marker_specs(page)]


def icon_htmls(page: str) -> list[str]:
    return [m["icon"]["html"] for m in marker_specs(page)]


class Dom(HTMLParser):
    """The elements and the text the browser would make of an HTML fragment."""

    def __init__(self, fragment: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[dict] = []
        self.text: list[str] = []
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.append(dict(attrs))

    def handle_data(self, data):
        self.text.append(data)

    @property
    def all_text(self) -> str:
        return "".join(self.text)


# --- markers ---------------------------------------------------------------------------------

def test_markers_for_the_record_places(atlas):
    page = rendered(maps.event_map(atlas, atlas.events, "ar"))
    assert {"mosul", "raqqa", "sirte", "al-bab", "jarablus"} <= marker_ids(page)
    assert marker_ids(page) == set(maps.places_of(atlas.events, atlas))
    # one marker per place, however many events name it; the marker gives the count
    assert page.count("ca-place ca-place-mosul ") == 1
    n = sum("mosul" in e.places for e in atlas.events)
    mosul = next(h for h in icon_htmls(page) if ">الموصل<" in h)
    assert f'<span class="ca-count" data-count="{n}"></span>' in mosul and n > 1


def test_filtering_to_one_country_leaves_only_its_places(atlas):
    events = filter_events(atlas.events, ViewState(countries=("LBY",)))
    page = rendered(maps.event_map(atlas, events, "en"))
    ids = marker_ids(page)
    assert ids == {p for e in events for p in e.places} and {"sirte", "benghazi"} <= ids
    # every place with a country is in Libya (regions like "Africa" have none)
    assert all(atlas.places[p].country in ("LBY", None) for p in ids), ids
    assert "mosul" not in ids and "paris" not in ids


def test_liberated_places_stand_out_in_shape_and_colour(atlas):
    page = rendered(maps.event_map(atlas, atlas.events, "en"))
    assert "ca-liberated" in marker_classes(page, "sirte")  # (was Mosul: "not stated" since issue 12)
    assert "ca-other" in marker_classes(page, "mosul")
    assert "ca-other" in marker_classes(page, "paris")
    assert "ca-region" in marker_classes(page, "syrian-jazira")  # (northeast-syria is liberated since issue 12)
    css = maps.MAP_CSS
    liberated = re.search(r"\.ca-liberated \.ca-shape \{([^}]*)\}", css).group(1)
    other = re.search(r"\.ca-other \.ca-shape \{([^}]*)\}", css).group(1)
    region = re.search(r"\.ca-region \.ca-shape \{([^}]*)\}", css).group(1)
    assert maps.LIBERATED_COLOUR in liberated and "rotate(45deg)" in liberated  # a diamond
    assert maps.PLACE_COLOUR in other and "border-radius: 50%" in other  # a disc
    assert "dashed" in region
    assert maps.LIBERATED_COLOUR.lower() != maps.PLACE_COLOUR.lower()
    assert css.split("\n", 2)[1] in page  # the style travels with the map


def test_selected_place_and_event_are_highlighted(atlas):
    page = rendered(maps.event_map(atlas, atlas.events, "en", selected_place="raqqa"))
    assert "ca-selected" in marker_classes(page, "raqqa")
    assert "ca-selected" not in marker_classes(page, "mosul")
    event = next(e for e in atlas.events if len(e.places) > 1)
    page = rendered(maps.event_map(atlas, atlas.events, "en", selected_event=event.id))
    for pid in event.places:
        assert "ca-selected" in marker_classes(page, pid)
    others = set(maps.places_of(atlas.events, atlas)) - set(event.places)
    assert all("ca-selected" not in marker_classes(page, p) for p in others)


# --- popups and tooltips ---------------------------------------------------------------------

def test_popup_has_the_quotes_and_links_to_the_passage(atlas):
    page = rendered(maps.event_map(atlas, atlas.events, "ar"))
    mosul = atlas.places["mosul"]
    (popup,) = [p for p in popups(page) if 'class="ca-popup-name">الموصل<' in p]
    dom = Dom(popup)
    links = [a for tag, a in zip(dom.tags, dom.attrs) if tag == "a"]
    for status in mosul.status:
        assert status.quote in dom.all_text and status.en in dom.all_text
        href = "/" + source_href(status.doc, status.paragraph)
        assert any(a["href"] == href for a in links), (href, links)
    # The component iframe is sandboxed without allow-top-navigation: _top/_parent are
    # blocked there (checked in Chromium), a new tab (allow-popups) works.
    assert links and all(a["target"] == "_blank" and a["href"].startswith("/sources?doc=") for a in links)
    assert 'dir="rtl"' in popup and "Noto Naskh Arabic" in popup
    shown = [e for e in atlas.events if "mosul" in e.places]
    assert all(e.title.ar in dom.all_text for e in shown)
    assert "maxWidth: 360" in page


def test_english_popup_and_links_keep_the_language(atlas):
    page = rendered(maps.event_map(atlas, atlas.events, "en"))
    (popup,) = [p for p in popups(page) if 'class="ca-popup-name">Raqqa<' in p]
    assert 'dir="ltr"' in popup and "lang=en" in popup and "Read in the source" in popup


def _hostile(atlas):
    place = atlas.places["mosul"]
    status = PlaceStatus(doc=place.status[0].doc, paragraph=place.status[0].paragraph, date="2017-03",
                         quote=HOSTILE_QUOTE, en=HOSTILE_QUOTE)
    bad = place.model_copy(update={"name_ar": HOSTILE_NAME, "name_en": HOSTILE_NAME, "status": [status]})
    event = next(e for e in atlas.events if "mosul" in e.places)
    event = event.model_copy(update={"title": Bilingual(ar=HOSTILE_QUOTE, en=HOSTILE_NAME)})
    return dataclasses.replace(atlas, places={**atlas.places, "mosul": bad}), [event]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_hostile_text_comes_out_as_text(atlas, lang):
    hostile, events = _hostile(atlas)
    page = rendered(maps.event_map(hostile, events, lang, selected_place="mosul"))
    assert HOSTILE_NAME not in page and "<img src=x" not in page and "<b>bold</b>" not in page
    assert "${alert" not in page  # no template-literal interpolation from the data
    fragments = popups(page) + tooltips(page) + icon_htmls(page)
    assert len(popups(page)) == 1 and len(icon_htmls(page)) == 1
    for fragment in fragments:
        dom = Dom(fragment)
        assert not {"img", "script", "b", "textarea"} & set(dom.tags), dom.tags
    popup = Dom(popups(page)[0]).all_text
    assert HOSTILE_NAME in popup and HOSTILE_QUOTE in popup  # shown, verbatim, as text
    marker_tips = [Dom(t).all_text.strip() for t in tooltips(page)]
    assert HOSTILE_NAME in marker_tips
    assert HOSTILE_NAME in Dom(icon_htmls(page)[0]).all_text


def test_esc_js_round_trips_through_the_html_parser():
    for text in (HOSTILE_NAME, HOSTILE_QUOTE, "a & b", "ص\u200fم"):
        out = maps.esc_js(text)
        assert html.unescape(out) == text
        assert not set(out) & set("<>\"'`$\\{}")


def outlines(m: folium.Map) -> maps.CountryOutlines:
    (layer,) = [c for c in m._children.values() if isinstance(c, maps.CountryOutlines)]
    return layer


def test_country_tooltips_are_names_in_the_language_set_as_text(atlas):
    for lang, key in (("ar", "name_ar"), ("en", "name_en")):
        assert outlines(maps.event_map(atlas, atlas.events, lang)).label_key == key
    script = rendered(maps.event_map(atlas, atlas.events, "ar"))
    part = script[script.index("fetch("):script.index("data-ca-outlines")]
    assert "tip.textContent = (f.properties || {})[key]" in part and "innerHTML" not in part
    iraq = next(f for f in maps.base_layer_geojson()["features"] if f["id"] == "IRQ")
    assert (iraq["properties"]["name_ar"], iraq["properties"]["name_en"]) == ("العراق", "Iraq")


def test_countries_named_in_the_events_are_tinted(atlas):
    def named(events):
        return set(outlines(maps.event_map(atlas, events, "en")).named)

    assert {"IRQ", "SYR", "LBY"} <= named(atlas.events)
    libya = filter_events(atlas.events, ViewState(countries=("LBY",)))
    assert named(libya) == {c for e in libya for c in e.countries} and "FRA" not in named(libya)
    page = rendered(maps.event_map(atlas, atlas.events, "en"))
    assert json.dumps(maps.LAND_NAMED) in page and json.dumps(maps.LAND) in page


def test_outlines_are_fetched_not_written_into_each_map(atlas):
    page = rendered(maps.event_map(atlas, atlas.events, "ar"))
    assert f'fetch("{maps.OUTLINES_URL}")' in page
    assert len(page) < 150_000, len(page)  # the outlines alone are 0.5 MB


def test_shipped_outlines_file_is_current():
    """static/geo/countries.json is what the maps fetch: rebuild it with
    `python tools/write_outlines.py` after changing the outlines or their simplification."""
    assert maps.OUTLINES_FILE.read_text(encoding="utf-8") == maps.outlines_json()
    assert maps.OUTLINES_URL.endswith(maps.OUTLINES_FILE.relative_to(maps.offline.STATIC_DIR).as_posix())


# --- the base layer, the tiles, the view -----------------------------------------------------

def test_base_layer_is_the_shipped_outlines_simplified():
    frame = maps.countries_frame()
    assert {"iso_a3", "name_en", "name_ar"} <= set(frame.columns) and len(frame) > 200
    layer = maps.base_layer_geojson()
    assert maps.base_layer_geojson() is layer  # cached
    assert len(layer["features"]) == len(frame)
    size = len(json.dumps(layer, ensure_ascii=False))
    assert size < 0.7 * maps.COUNTRIES_PATH.stat().st_size, size


def test_no_tiles_and_no_cdn_by_default(atlas):
    page = rendered(maps.event_map(atlas, atlas.events, "ar"))
    assert offline.external_urls(page) == []
    assert "L.tileLayer" not in page and "openstreetmap" not in page.lower()
    assert offline.missing_local_files(offline.asset_urls(maps.event_map(atlas, atlas.events, "ar"))) == []
    assert "/app/static/fonts/" in page  # the Arabic font, from the app's own static files


def test_online_tiles_only_when_asked(atlas):
    page = rendered(maps.event_map(atlas, atlas.events, "en", online_tiles=True))
    assert "L.tileLayer" in page and "openstreetmap" in page.lower()
    assert "L.control.layers" in page
    assert all("openstreetmap" in u for u in offline.external_urls(page))


def test_view_fits_the_places(atlas):
    page = rendered(maps.event_map(atlas, atlas.events, "en"))
    assert "fitBounds" in page and '"paddingBottomRight": [36, 150]' in page
    one = [e for e in atlas.events if e.places == ["raqqa"]]
    page = rendered(maps.event_map(atlas, one, "en"))
    assert "fitBounds" not in page
    raqqa = atlas.places["raqqa"]
    assert f"[{raqqa.lat}, {raqqa.lon}]" in page and f'"zoom": {maps.SINGLE_PLACE_ZOOM}' in page
    page = rendered(maps.event_map(atlas, [], "en"))
    assert marker_ids(page) == set()
    assert json.dumps(maps.REGION_BOUNDS) in page


# --- clicks ----------------------------------------------------------------------------------

def test_place_for_click(atlas):
    mosul = atlas.places["mosul"]
    assert maps.place_for_click({"last_object_clicked": {"lat": mosul.lat, "lng": mosul.lon}}, atlas) == "mosul"
    assert maps.place_for_click({"last_object_clicked_tooltip": "  الرقة \n"}, atlas) == "raqqa"
    assert maps.place_for_click({"last_object_clicked_tooltip": "Sirte", "last_object_clicked": None}, atlas) == "sirte"
    far = {"last_object_clicked": {"lat": 0.0, "lng": -150.0}, "last_object_clicked_tooltip": "Iraq"}
    assert maps.place_for_click(far, atlas) is None
    assert maps.place_for_click(None, atlas) is None
    assert maps.place_for_click({"last_object_clicked": {"lat": "x"}}, atlas) is None


def test_selection_layer_rings_the_chosen_places(atlas):
    assert maps.selection_layer(atlas) is None
    assert maps.selection_layer(atlas, "nowhere") is None
    event = next(e for e in atlas.events if len(e.places) > 1)
    layer = maps.selection_layer(atlas, "raqqa", event.id)
    m = maps.event_map(atlas, atlas.events, "en")
    base = m.get_root().render()
    layer.add_to(m)
    page = m.get_root().render()
    rings = set(re.findall(r"ca-ring ca-ring-([a-z0-9-]+)", page))
    assert rings == {"raqqa", *event.places}
    assert not re.findall(r"ca-ring ca-ring-", base)  # the base map does not depend on the choice
    assert '"interactive": false' in page  # rings never take a click from the marker beneath


def test_the_map_loads_its_keyboard_script_and_uses_no_private_leaflet_api(atlas):
    # Leaflet's keyboard handler focuses the map on mousedown; in the component iframe that
    # scrolled the Streamlit page, and the click landed beside the marker (seen in Chromium).
    # static/js/atlas-map.js focuses it first, without scrolling, through the DOM only.
    page = rendered(maps.event_map(atlas, atlas.events, "en"))
    assert maps.MAP_JS_URL in page and maps.MAP_CSS_URL in page
    assert "CaMap.focusWithoutScroll(map)" in page and "CaMap.quietOutlines(layer)" in page
    assert "CaMap.giveKeysBack" not in page  # only the presenter's map gives the keys back
    script = maps.MAP_JS_FILE.read_text(encoding="utf-8")
    assert "focus({ preventScroll: true })" in script
    for text in (page, script, Path(maps.__file__).read_text(encoding="utf-8")):
        assert not re.search(r"\._(?:onMouseDown|map|container|focused|source|tooltip)\b", text)
    presenter = rendered(maps.event_map(atlas, atlas.events, "en", keyboard=False))
    assert '"keyboard": false' in presenter and "CaMap.giveKeysBack(); CaMap.scaleLabels(map);" in presenter


def test_names_are_decluttered_by_weight(atlas):
    page = rendered(maps.event_map(atlas, atlas.events, "en", selected_place="sirte"))
    assert "'zoomend moveend resize', declutter" in page
    rank = {
        m.group(2): int(m.group(1))
        for m in (re.search(r'data-rank="(\d+)">([^<]+)<', h) for h in icon_htmls(page))
    }
    assert rank["Sirte"] == max(rank.values())  # the chosen place keeps its name first
    assert rank["Jarablus"] > rank["Paris"] > rank["Syrian Jazira"]  # liberated, other, region


# --- many places: grouped on the server; long popups capped ----------------------------------

def _crowded(atlas, n: int):
    """``n`` copies of Mosul and of Sirte, spread over about a degree, one event each."""
    places, events = dict(atlas.places), []
    template = next(e for e in atlas.events if "mosul" in e.places)
    for i in range(n):
        for base in ("mosul", "sirte"):
            src = atlas.places[base]
            pid = f"{base}-c{i}"
            places[pid] = src.model_copy(update={"id": pid, "lat": src.lat + (i % 20) * 0.05, "lon": src.lon + (i // 20) * 0.05})
            events.append(template.model_copy(update={"id": f"{pid}-e", "places": [pid]}))
    return dataclasses.replace(atlas, places=places), events


def test_many_places_are_grouped_into_at_most_max_markers(atlas):
    crowded, events = _crowded(atlas, 200)
    counts = maps.places_of(events, crowded)
    groups = maps.place_groups(counts, crowded, {"sirte-c7"})
    flat = [pid for g in groups for pid in g]
    assert sorted(flat) == sorted(counts) and len(flat) == len(set(flat))  # each place once
    assert 2 <= len(groups) <= maps.MAX_MARKERS
    assert ["sirte-c7"] in groups and groups[-1] == ["sirte-c7"]  # the chosen one alone, on top
    assert not any(set(g) & {p for p in counts if p.startswith("mosul")} and set(g) & {p for p in counts if p.startswith("sirte")} for g in groups)
    page = rendered(maps.event_map(crowded, events, "en", selected_place="sirte-c7"))
    specs = marker_specs(page)
    assert len(specs) == len(groups)
    grouped = [s for s in specs if "ca-group" in s["icon"]["className"]]
    assert grouped and all(re.search(r"\+\d+", s["tip"]) for s in grouped)
    assert sum(int(re.search(r'data-count="(\d+)"', s["icon"]["html"]).group(1)) for s in specs) == len(events)
    few = maps.place_groups(maps.places_of(atlas.events, atlas), atlas)
    assert all(len(g) == 1 for g in few)  # the real record: one marker per place


def test_popup_lists_at_most_popup_events_max(atlas):
    crowded, events = _crowded(atlas, 30)
    many = [e.model_copy(update={"places": ["mosul"]}) for e in events]
    page = rendered(maps.event_map(crowded, many, "en"))
    (popup,) = popups(page)
    dom = Dom(popup)
    assert dom.tags.count("li") == maps.POPUP_EVENTS_MAX
    assert f"and {len(many) - maps.POPUP_EVENTS_MAX} more" in dom.all_text


def test_script_json_is_inert_in_a_script_and_in_jinja():
    data = [{"t": HOSTILE_NAME, "u": "\u2028 & ' {# x #} {%raw%}", "n": {"a": {"b": 1}}}]
    out = maps.script_json(data)
    assert json.loads(out) == data
    assert not re.search(r"[<>&'\u2028]|\{\{|\{%|\{#", out), out


def test_the_map_loads_leaflet_only(atlas):
    m = maps.event_map(atlas, atlas.events, "ar")
    page = rendered(m)
    assert sorted(re.findall(r'<script src="([^"]+)"', page)) == sorted([
        f"{offline.VENDOR_URL}/leaflet@1.9.3/leaflet.js", f"{offline.VENDOR_URL}/{offline.ICON_PATH_FIX[1]}",
        maps.MAP_JS_URL])  # and our own keyboard and screen-reader script
    assert set(re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)) == {
        f"{offline.VENDOR_URL}/leaflet@1.9.3/leaflet.css", offline.FONTS_CSS_URL, maps.MAP_CSS_URL}
    assert (offline.REPO_ROOT / maps.MAP_JS_URL.removeprefix("/app/")).is_file()
    assert (offline.REPO_ROOT / maps.MAP_CSS_URL.removeprefix("/app/")).is_file()
    assert "$(" not in page  # no jQuery left to need


def test_the_selection_outlines_the_countries_of_a_step_without_places(atlas):
    layer = maps.selection_layer(atlas, countries=["SYR", "IRQ"])
    m = folium.Map(tiles=None)
    layer.add_to(m)
    page = m.get_root().render()
    assert page.count('"dashArray": "8 5"') >= 1 and '"interactive": false' in page
    assert maps.selection_layer(atlas, countries=["XXX"]) is None
    assert maps.selection_layer(atlas) is None


def test_markers_are_named_by_place_alone(atlas):
    page = rendered(maps.event_map(atlas, atlas.events, "ar"))
    assert "CaMap.nameMarker(marker, p.name)" in page
    data = json.loads(re.search(r"var places = (\[.*?\]);\n", page, re.S).group(1))
    assert {d["name"] for d in data} >= {atlas.places["mosul"].name("ar")}
    # the count is drawn (CSS content), not text: the marker's name is its place's alone
    assert all(re.search(r'<span class="ca-count" data-count="\d+"></span>', d["icon"]["html"]) for d in data)
    assert ".ca-place .ca-count::before {{ content: attr(data-count); }}".replace("{{", "{").replace("}}", "}") in page
