"""The map: the record's places on the shipped country outlines, drawn with folium.

No tiles by default (the app runs offline): the base layer is geodata/countries.geojson,
simplified once. One marker per place the shown events name, in three styles: liberated
places (a vermilion diamond), other named places (a blue disc), regions (a dashed ring).
Every marker is a ``DivIcon`` with the classes ``ca-place ca-place-<id>`` (and
``ca-liberated`` / ``ca-other`` / ``ca-region``, ``ca-selected``): hooks for tests and CSS.

Escaping. folium 0.20 puts text into JavaScript *template literals* (backquoted strings)
without HTML-escaping it:

* ``folium.Popup(html)`` (``parse_html=False``) wraps the string in
  ``branca.element.Html(script=True)``, which renders it raw, and folium's template writes
  it inside ``$(`…`)[0]``; the only escaping is ``escape_backticks`` (`` ` `` → ``\\` ``,
  not after a backslash). ``${…}`` would run as JavaScript, a backslash would escape
  the closing quote.
* ``folium.Tooltip(text)`` writes ``text`` raw inside `` `<div>…</div>` ``: no escaping.
* ``GeoJsonTooltip`` builds ``innerHTML`` from feature properties in the browser: raw.
* ``DivIcon(html=…)`` and Marker options go through ``tojavascript`` (JSON with ``<>&'``
  as ``\\u00XX``): safe for the script, but Leaflet sets the icon's ``innerHTML``.

* Every element's rendered output is compiled again as a Jinja template (folium's
  ``Element(script)``): ``{{ … }}`` in the data would run on the server.

So every text from the data goes through ``esc_js`` — ``escaping.esc(text, "js-template")``:
HTML-escaped, and ``\\`` `` ` `` ``$`` ``{`` ``}`` as character references, which the browser's
HTML parser turns back into text.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import shapely
import shapely.geometry
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from . import offline
from .gazetteer import COUNTRIES_PATH, Place, PlaceStatus
from .i18n import Lang, direction, format_partial_date, t
from .load import Atlas, country_name
from .models import Event
from .escaping import esc, script_json
from .render import cite_words, source_href

SIMPLIFY_TOLERANCE = 0.1  # degrees; Iraq keeps ~80 vertices, the file ~0.5 MB
REGION_BOUNDS = [[12.0, 8.0], [42.5, 62.0]]  # [[south, west], [north, east]]: North Africa to Iran
SINGLE_PLACE_ZOOM = 6
FIT_PADDING = (36, 36)
FIT_PADDING_BOTTOM_RIGHT = (36, 150)  # the legend (and names under markers) at the bottom
FIT_MAX_ZOOM = 7
POPUP_MAX_HEIGHT = 300  # px; longer popups scroll (Mosul has four quotes)
CLICK_TOLERANCE_DEG = 0.02  # a marker click reports the marker's own position
OUTLINES_FILE = offline.STATIC_DIR / "geo" / "countries.json"  # written by write_outlines()
OUTLINES_URL = f"{offline.STATIC_URL}/geo/countries.json"
MAP_JS_FILE = offline.STATIC_DIR / "js" / "atlas-map.js"  # keyboard and screen readers (MapAccess)
MAP_JS_URL = f"{offline.STATIC_URL}/js/atlas-map.js"
MAP_CSS_FILE = offline.STATIC_DIR / "css" / "atlas-map.css"
MAP_CSS_URL = f"{offline.STATIC_URL}/css/atlas-map.css"
FONT_STACK = "'Noto Naskh Arabic', 'Source Sans Pro', sans-serif"

# Okabe–Ito colours (safe for colour-blind readers) on a pale base map.
LIBERATED_COLOUR = "#D55E00"
PLACE_COLOUR = "#0072B2"
REGION_COLOUR = "#555555"
LAND, LAND_NAMED, SEA, BORDER = "#f3f1ea", "#dcebf5", "#e8eef2", "#9a9a9a"


# --- the base layer ------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def countries_frame() -> gpd.GeoDataFrame:
    """geodata/countries.geojson (iso_a3, name_en, name_ar, geometry), read once."""
    return gpd.read_file(COUNTRIES_PATH)


@functools.lru_cache(maxsize=1)
def base_layer_geojson() -> dict:
    """The country outlines, simplified for the browser, as a GeoJSON dict (cached: do not
    modify it; :func:`event_map` copies the features it needs)."""
    frame = countries_frame()
    original = frame.geometry.values
    # coverage simplification keeps neighbours' shared borders shared
    geoms = shapely.coverage_simplify(original, SIMPLIFY_TOLERANCE, simplify_boundary=True)
    geoms = shapely.set_precision(geoms, 0.01)
    geoms = np.where(shapely.is_empty(geoms), original, geoms)  # tiny islands: keep as they were
    geoms = shapely.transform(geoms, lambda xy: np.round(xy, 2))
    features = []
    for row, geom in zip(frame.itertuples(index=False), geoms):
        features.append(
            {
                "type": "Feature",
                "id": row.iso_a3,
                "properties": {"iso_a3": row.iso_a3, "name_en": row.name_en, "name_ar": row.name_ar},
                "geometry": shapely.geometry.mapping(geom),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def outlines_json() -> str:
    """:func:`base_layer_geojson` as the text of the static file the map fetches."""
    return json.dumps(base_layer_geojson(), ensure_ascii=False, separators=(",", ":"))


def write_outlines(path: Path = OUTLINES_FILE) -> Path:
    """Write the simplified outlines where Streamlit serves them (``python -m coalition_atlas
    outlines``; a test checks the shipped file is current)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(outlines_json(), encoding="utf-8")
    return path


class Raw(Element):
    """Text put into the page as it is. branca compiles the text of an ``Element(text)`` as a
    Jinja template, every time: for the markers' data that was most of a map's server time."""

    _template = Template("{{ this.text }}")  # compiled once; the text is output, not compiled

    def __init__(self, text: str):
        super().__init__()
        self.text = text


class PlainMacro(MacroElement):
    """A MacroElement whose rendered parts reach the page as :class:`Raw` text: what branca's
    ``MacroElement.render`` does, without compiling each part again as a template."""

    def render(self, **kwargs):
        figure = self.get_root()
        for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
            macro = self._template.module.__dict__.get(part)
            if macro is not None:
                target.add_child(Raw(macro(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class CountryOutlines(PlainMacro):
    """The country outlines, fetched from the static file (:data:`OUTLINES_URL`) rather than
    written into every map: 0.5 MB that does not change per view, cached by the browser,
    instead of 0.5 MB in every map's script (and ~0.4 s of server time to render it).

    Per view only the tint of the countries the shown events name (``named``), the label's
    language and the fill change. Names become tooltips as text (``textContent``), never
    HTML. When the layer is drawn, the map's container gets ``data-ca-outlines="drawn"``.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var named = {{ this.named|tojson }}, key = {{ this.label_key|tojson }};
            function style(f) {
                return {fillColor: named.indexOf(f.id) >= 0 ? {{ this.land_named|tojson }} : {{ this.land|tojson }},
                        fillOpacity: {{ this.fill|tojson }}, color: {{ this.border|tojson }}, weight: 0.7};
            }
            fetch({{ this.url|tojson }}).then(function (r) { return r.json(); }).then(function (data) {
                var layer = L.geoJSON(data, {
                    style: style,
                    attribution: 'Natural Earth',
                    onEachFeature: function (f, l) {
                        l.bindTooltip(function () {
                            var tip = document.createElement('div');
                            tip.dir = 'auto';
                            tip.textContent = (f.properties || {})[key] || '';
                            return tip;
                        }, {sticky: true, className: 'ca-country-tip'});
                        l.on('mouseover', function () { l.setStyle({weight: 1.6, color: '#666'}); });
                        l.on('mouseout', function () { layer.resetStyle(l); });
                    }
                });
                layer.addTo(map);
                layer.bringToBack();
                CaMap.quietOutlines(layer);  // hover names them; they are no Tab stops
                map.getContainer().setAttribute('data-ca-outlines', 'drawn');
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, named: Sequence[str], lang: Lang, fill: float = 1.0, url: str = OUTLINES_URL):
        super().__init__()
        self._name = "CountryOutlines"
        self.named = list(named)
        self.label_key = "name_ar" if lang == "ar" else "name_en"
        self.fill = fill
        self.url = url
        self.land, self.land_named, self.border = LAND, LAND_NAMED, BORDER


# --- escaping -------------------------------------------------------------------------------

esc_js = functools.partial(esc, context="js-template")  # folium's template literals (escaping.py)


# --- what the markers show ------------------------------------------------------------------

def places_of(events: Iterable[Event], atlas: Atlas) -> dict[str, int]:
    """The places the events name (known to the gazetteer), each with how many events name it,
    in order of first mention."""
    counts: dict[str, int] = {}
    for event in events:
        for pid in dict.fromkeys(event.places):
            if pid in atlas.places:
                counts[pid] = counts.get(pid, 0) + 1
    return counts


def place_style(place: Place) -> str:
    """"liberated", "region" or "other": which of the three marker styles."""
    if place.liberated:
        return "liberated"
    return "region" if place.kind == "region" else "other"


def place_html(
    place: Place,
    atlas: Atlas,
    events: Sequence[Event],
    lang: Lang,
    *,
    for_map: bool = True,
    cite: Callable[[PlaceStatus], str] | None = None,
    event_item: Callable[[Event], str] | None = None,
) -> str:
    """The place, what each document reports of it (date, verbatim quote, English, link to the
    passage), and the titles of ``events`` (those shown that name it; the first
    :data:`POPUP_EVENTS_MAX`). One builder for the dashboard's popups, the map page's panel
    and the briefing pack's popups.

    ``for_map``: text escaped for folium's template literal and links that open the Sources
    page in a new tab. Streamlit's component iframe is sandboxed without
    ``allow-top-navigation``, so ``target="_top"``/``"_parent"`` links are blocked there;
    ``_blank`` (``allow-popups``) works. Otherwise (for ``st.markdown``): relative links in the
    same tab, like ``render.event_detail_html``. ``cite`` (a status's citation line) and
    ``event_item`` (an event's list item, inside ``<li>``) replace those links, for the pack.
    """
    e = esc_js if for_map else esc
    d = direction(lang)
    kind = t("liberated", lang) if place.liberated else t("region_place" if place.kind == "region" else "other_place", lang)
    where = country_name(place.country, lang) if place.country else ""
    rows = [
        f'<div class="ca-popup" dir="{d}" lang="{lang}" style="font-family: {FONT_STACK}; text-align: start;">',
        f'<h4 class="ca-popup-name">{e(place.name(lang))}</h4>',
        f'<p class="ca-popup-kind">{e(kind)}{" · " + e(where) if where else ""}</p>',
    ]
    if place.status:
        rows.append(f'<p class="ca-popup-head">{e(t("place_reports", lang))}</p>')
    for status in place.status:
        rows.append(
            '<div class="ca-quote" role="group">'  # not <blockquote>: Streamlit greys those out
            f'<p class="ca-popup-date"><bdi>{e(format_partial_date(status.date, lang))}</bdi></p>'
            f'<p dir="rtl" lang="ar" class="ca-ar">«{e(status.quote)}»</p>'
            f'<p dir="ltr" lang="en" class="ca-en">“{e(status.en)}”</p>'
            f"{cite(status) if cite else _source_link(status, atlas, lang, for_map)}"
            "</div>"
        )
    if events:
        rows.append(f'<p class="ca-popup-head">{e(t("events_here", lang))}</p>')
        rows.append(_events_list_html(events, lang, e, event_item))
    rows.append("</div>")
    return "".join(rows)


def _source_link(status: PlaceStatus, atlas: Atlas, lang: Lang, for_map: bool) -> str:
    e = esc_js if for_map else esc
    doc = atlas.documents.get(status.doc)
    title = doc.meta.title.get(lang) if doc else status.doc
    href = source_href(status.doc, status.paragraph, lang=lang)
    link = (
        f'<a class="ca-source" href="/{esc(href)}" target="_blank" rel="noopener">'
        if for_map
        else f'<a class="ca-source" href="{esc(href)}" target="_self">'
    )
    words = cite_words(atlas, status.doc, status.paragraph, lang)  # «بيان واشنطن، الفقرة 2», never an id
    return (f'<p class="ca-cite">{link}{e(t("read_in_source", lang))}{" ↗" if for_map else ""}</a>'
            f' · <bdi class="ca-popup-doc" title="{e(title)}" style="white-space: nowrap;">{e(words)}</bdi></p>')


def _icon(place: Place, count: int, lang: Lang, selected: bool, *, label: str | None = None,
          grouped: bool = False) -> dict:
    """Options for ``L.divIcon``: the shape with the count, and the name beneath."""
    style = place_style(place)
    size = {"liberated": 26, "other": 22, "region": 34}[style] + (10 if selected else 0) + (6 if grouped else 0)
    rank = (1000 if selected else 0) + {"liberated": 300, "other": 200, "region": 100}[style] + count
    classes = f"ca-place ca-place-{place.id} ca-{style}" + (" ca-selected" if selected else "") + (" ca-group" if grouped else "")
    html = (
        f'<div class="ca-shape" style="width:{size}px;height:{size}px;">'
        f'<span class="ca-count" data-count="{count}"></span></div>'
        f'<span class="ca-label" dir="auto" data-rank="{rank}">{esc_js(label if label is not None else place.name(lang))}</span>'
    )
    return {"html": html, "iconSize": [size, size], "iconAnchor": [size // 2, size // 2],
            "popupAnchor": [0, -size // 2], "className": classes}


MAP_CSS = f"""
.leaflet-container {{ background: {SEA}; font-family: {FONT_STACK}; }}
.ca-place {{ overflow: visible; }}
.ca-place .ca-shape {{ box-sizing: border-box; display: flex; align-items: center; justify-content: center;
  border: 2px solid #fff; box-shadow: 0 1px 3px rgba(0,0,0,.45); }}
.ca-place .ca-count {{ color: #fff; font: 700 calc(12px * var(--ca-zoom, 1))/1 sans-serif; }}
.ca-place .ca-count::before {{ content: attr(data-count); }}  /* drawn, not text: the marker's name is the place's alone */
.ca-liberated .ca-shape {{ background: {LIBERATED_COLOUR}; transform: rotate(45deg); border-radius: 3px; }}
.ca-liberated .ca-count {{ transform: rotate(-45deg); color: #000; }}  /* white on vermilion: 3.9:1 */
.ca-other .ca-shape {{ background: {PLACE_COLOUR}; border-radius: 50%; }}
.ca-region .ca-shape {{ background: rgba(85,85,85,.12); border: 2px dashed {REGION_COLOUR}; border-radius: 50%;
  box-shadow: none; }}
.ca-region .ca-count {{ color: {REGION_COLOUR}; }}
.ca-selected .ca-shape {{ border: 3px solid #000; box-shadow: 0 0 0 4px #ffe08a, 0 1px 4px rgba(0,0,0,.5); }}
.ca-region.ca-selected .ca-shape {{ border-style: dashed; }}
.ca-place .ca-label {{ position: absolute; top: 100%; left: 50%; transform: translateX(-50%); margin-top: 2px;
  white-space: nowrap; font: 600 calc(13px * var(--ca-zoom, 1))/1.2 {FONT_STACK}; color: #1a1a1a;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff; pointer-events: none; }}
.ca-place .ca-label[data-at="above"] {{ top: auto; bottom: 100%; margin: 0 0 2px; }}
.ca-place .ca-label[data-at="after"], .ca-place .ca-label[data-at="before"] {{ top: 50%; margin: 0; }}
.ca-place .ca-label[data-at="after"] {{ left: 100%; transform: translate(4px, -50%); }}
.ca-place .ca-label[data-at="before"] {{ left: auto; right: 100%; transform: translate(-4px, -50%); }}
.ca-selected .ca-label {{ font-weight: 700; font-size: calc(15px * var(--ca-zoom, 1)); }}
.ca-ring {{ border-radius: 50%; box-sizing: border-box; border: 3px solid #000; pointer-events: none;
  box-shadow: 0 0 0 4px #ffe08a, inset 0 0 0 2px #ffe08a; }}
.ca-country-tip {{ font-family: {FONT_STACK}; font-size: 13px; }}
.ca-place-tip {{ font-family: {FONT_STACK}; font-size: 14px; }}
.ca-group .ca-shape {{ outline: 2px solid rgba(0,0,0,.35); outline-offset: 2px; }}
.ca-popup-more {{ color: #555; font-size: .85rem; }}
.leaflet-popup-content {{ font-family: {FONT_STACK}; font-size: 14px; line-height: 1.5; }}
.ca-popup h4 {{ margin: 0 0 .2rem; font-size: 1.15rem; padding-inline-end: 1rem; }}
.ca-popup p {{ margin: .15rem 0; }}
.ca-popup-kind, .ca-popup-date {{ color: #555; font-size: .85rem; }}
.ca-popup-head {{ font-weight: 700; margin-top: .5rem !important; }}
.ca-popup .ca-quote {{ margin: .3rem 0; padding: .3rem .5rem; background: #f4f4f4; border-radius: 4px; }}
.ca-popup .ca-ar {{ font-size: 1.05rem; }}
.ca-popup ul {{ margin: .2rem 0; padding-inline-start: 1.2rem; }}
.ca-legend {{ background: rgba(255,255,255,.92); padding: 6px 10px; border-radius: 4px; font: 13px/1.6 {FONT_STACK};
  box-shadow: 0 1px 4px rgba(0,0,0,.3); }}
.ca-legend-title {{ cursor: pointer; font-weight: 700; min-height: 24px; line-height: 24px; }}
.ca-legend-fold:not([open]) .ca-legend-title {{ list-style-position: inside; }}
.ca-legend .ca-key {{ display: inline-block; width: 14px; height: 14px; vertical-align: middle; margin-inline-end: 6px;
  box-sizing: border-box; }}
.ca-key.ca-liberated {{ background: {LIBERATED_COLOUR}; transform: rotate(45deg) scale(.85); }}
.ca-key.ca-other {{ background: {PLACE_COLOUR}; border-radius: 50%; }}
.ca-key.ca-region {{ border: 2px dashed {REGION_COLOUR}; border-radius: 50%; }}
.ca-key.ca-named {{ background: {LAND_NAMED}; border: 1px solid {BORDER}; }}
"""


LEGEND_FOLD_BELOW = 480  # px: a narrower map (a phone's) starts with its legend folded (it covered a third of it)


class Legend(PlainMacro):
    """A Leaflet control holding ``html`` (written as a JSON string, set as innerHTML)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function (map) {
            // a <details>: folded on a narrow map (a phone), open on a wide one; a tap toggles it
            var div = L.DomUtil.create('div', 'ca-legend');
            div.setAttribute('dir', {{ this.dir|tojson }});
            var fold = L.DomUtil.create('details', 'ca-legend-fold', div);
            var title = L.DomUtil.create('summary', 'ca-legend-title', fold);
            title.textContent = {{ this.title|tojson }};
            var keys = L.DomUtil.create('div', 'ca-legend-keys', fold);
            keys.innerHTML = {{ this.html|tojavascript }};
            // the map's width settles after the frame is laid out: follow it until the reader toggles
            var fit = function () { if (!fold.dataset.touched) { fold.open = map.getSize().x >= {{ this.fold_below }}; } };
            title.addEventListener('click', function () { fold.dataset.touched = '1'; });
            map.on('resize', fit);
            setTimeout(fit, 0);
            fit();
            L.DomEvent.disableClickPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str, lang: Lang):
        super().__init__()
        self._name = "Legend"
        self.html = html
        self.title = t("legend", lang)
        self.fold_below = LEGEND_FOLD_BELOW
        self.dir = direction(lang)
        self.position = "bottomright" if lang == "ar" else "bottomleft"


def legend_html(lang: Lang) -> str:
    keys = [("liberated", "liberated"), ("other", "other_place"), ("region", "region_place"), ("named", "country_named")]
    return "<br>".join(f'<span class="ca-key ca-{cls}"></span>{esc(t(key, lang))}' for cls, key in keys)


# --- the map --------------------------------------------------------------------------------

def _bounds(points: list[tuple[float, float]]) -> list[list[float]]:
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def highlighted_places(atlas: Atlas, selected_place: str | None, selected_event: str | None) -> set[str]:
    """The chosen place and the chosen event's places (those the gazetteer knows)."""
    found = {selected_place} if selected_place in atlas.places else set()
    event = atlas.event(selected_event) if selected_event else None
    if event is not None:
        found.update(p for p in event.places if p in atlas.places)
    return found


def selection_layer(
    atlas: Atlas, selected_place: str | None = None, selected_event: str | None = None,
    countries: Sequence[str] = (),
) -> folium.FeatureGroup | None:
    """Rings around the chosen places, as a layer for st_folium's ``feature_group_to_add``;
    and a thick outline around ``countries`` (the presenter's step that names no place).

    streamlit-folium swaps such a layer without reloading the map, so a click that chooses a
    place keeps the map as it is (its open popup, zoom and pan); a map rebuilt with
    ``event_map(selected_place=…)`` is a new script, and the component starts afresh.
    """
    chosen = highlighted_places(atlas, selected_place, selected_event)
    outlined = [f for f in base_layer_geojson()["features"] if f["id"] in set(countries)]
    if not chosen and not outlined:
        return None
    layer = folium.FeatureGroup(name="selection", control=False)
    if outlined:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": [{**f, "properties": {}} for f in outlined]},
            name="ca-countries", interactive=False, control=False,  # seen, never a Tab stop or a click
            style_function=lambda _: {"color": "#000", "weight": 3, "dashArray": "8 5", "fill": False},
        ).add_to(layer)
    for pid in sorted(chosen):
        place = atlas.places[pid]
        size = {"liberated": 26, "other": 22, "region": 34}[place_style(place)] + 18
        folium.Marker(
            [place.lat, place.lon],
            icon=folium.DivIcon(html="", icon_size=(size, size), icon_anchor=(size // 2, size // 2),
                                class_name=f"ca-ring ca-ring-{pid}"),
            interactive=False, keyboard=False, z_index_offset=-2000,  # beneath: names stay readable
        ).add_to(layer)
    return layer


class LabelDeclutter(PlainMacro):
    """Places each name below, above, after or before its marker, wherever it overlaps no
    town's marker and no name of more weight (chosen, then liberated, then other places,
    then regions; more events first), or hides it. Regions' pale rings are areas: names may
    cross them.
    Run when the map is ready, after each zoom, move or resize; hidden names come back as
    one zooms in."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var SIDES = ['below', 'above', 'after', 'before'];
            function declutter() {
                var box = map.getContainer();
                // towns' shapes as drawn (a diamond's corners reach past its box); regions'
                // pale rings are areas, names may cross them
                var shapes = Array.prototype.map.call(box.querySelectorAll('.ca-place:not(.ca-region) .ca-shape'),
                    function (el) { return {owner: el.parentNode, r: el.getBoundingClientRect()}; });
                var placed = [];
                var labels = Array.prototype.slice.call(box.querySelectorAll('.ca-place .ca-label'));
                labels.sort(function (a, b) { return Number(b.dataset.rank) - Number(a.dataset.rank); });
                labels.forEach(function (label) {
                    var free = null;
                    for (var i = 0; i < SIDES.length && !free; i++) {
                        label.dataset.at = SIDES[i];
                        var r = label.getBoundingClientRect();
                        var hits = function (p) {
                            return r.left < p.right && r.right > p.left && r.top < p.bottom && r.bottom > p.top;
                        };
                        var clash = placed.some(hits) || shapes.some(function (s) {
                            return s.owner !== label.parentNode && hits(s.r);
                        });
                        if (!clash) { free = r; }
                    }
                    if (!free) { label.dataset.at = SIDES[0]; }
                    label.style.visibility = free ? '' : 'hidden';
                    if (free) { placed.push(free); }
                });
            }
            map.on('zoomend moveend resize', declutter);
            map.whenReady(function () { setTimeout(declutter, 0); setTimeout(declutter, 500); });
            if (document.fonts && document.fonts.ready) { document.fonts.ready.then(declutter); }
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "LabelDeclutter"


class MapAccess(JSCSSMixin, PlainMacro):
    """What the map does for the keyboard and screen readers, from ``static/js/atlas-map.js``
    (Leaflet's public API and the DOM only): the map's own Tab stop named (``label``),
    Leaflet's credit as text, a click that focuses the map without scrolling the page;
    with ``give_keys_back`` (the presenter) the page gets the keys back after a click on
    the map, and the names on the map follow the page's text size (``--ca-zoom``).
    The outlines and the markers call the same file (``CaMap.quietOutlines``/``nameMarker``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            CaMap.nameMap(map, {{ this.label|tojson }});
            CaMap.localZoom(map, {{ this.zoom_in|tojson }}, {{ this.zoom_out|tojson }});
            CaMap.plainPrefix(map);
            CaMap.focusWithoutScroll(map);
            {% if this.give_keys_back %}CaMap.giveKeysBack(); CaMap.scaleLabels(map);{% endif %}
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )
    default_js = [("ca_atlas_map", MAP_JS_URL)]
    default_css = [("ca_atlas_map_css", MAP_CSS_URL)]

    def __init__(self, label: str, lang: Lang, give_keys_back: bool = False):
        super().__init__()
        self._name = "MapAccess"
        self.label = label
        self.zoom_in, self.zoom_out = t("zoom_in", lang), t("zoom_out", lang)
        self.give_keys_back = give_keys_back


def _inside(place: Place, bounds: list[list[float]] = REGION_BOUNDS) -> bool:
    (south, west), (north, east) = bounds
    return south <= place.lat <= north and west <= place.lon <= east


def _in_view(shown: Iterable[str], highlighted: set[str], atlas: Atlas) -> list[str]:
    """The places the view fits: those in the region the documents are about (North Africa
    to Iran), when there are some, plus what is highlighted; meeting cities far away
    (Washington, Astana) would otherwise shrink the region to a corner of a world map.
    They keep their markers, one zoom-out away, and stay in the page's list of places."""
    shown = list(shown)
    near = [p for p in shown if _inside(atlas.places[p]) or p in highlighted]
    return near if any(_inside(atlas.places[p]) for p in near) else shown


MAX_MARKERS = 150  # more places than this are grouped on the server (see place_groups)
GROUP_CELLS_DEG = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0)
POPUP_EVENTS_MAX = 12  # a popup lists this many events; the page beside the map lists them all
POPUP_PLACES_MAX = 8


def place_groups(counts: dict[str, int], atlas: Atlas, highlighted: set[str] = frozenset(),
                 max_markers: int = MAX_MARKERS) -> list[list[str]]:
    """The places to draw, one list per marker: one place each, or — when there are more
    than ``max_markers`` — places grouped by a grid of the smallest cell (in degrees) that
    gives at most ``max_markers`` groups. Each group's first place (the chosen one, else the
    most named; a liberated place first on a tie) stands for it: its position, style and name.
    Chosen places always keep a marker of their own. Order: regions first, chosen last (the
    browser stacks later markers on top)."""
    def weight(pid: str) -> tuple:
        place = atlas.places[pid]
        return (pid in highlighted, counts[pid], place.liberated, place.kind != "region")

    groups: list[list[str]] = [[pid] for pid in counts]
    if len(counts) > max_markers:
        loose = [pid for pid in counts if pid not in highlighted]
        for cell in GROUP_CELLS_DEG:
            cells: dict[tuple, list[str]] = {}
            for pid in loose:
                place = atlas.places[pid]
                cells.setdefault((place.kind == "region", math.floor(place.lat / cell), math.floor(place.lon / cell)), []).append(pid)
            if len(cells) + len(counts) - len(loose) <= max_markers:
                break
        groups = [[pid] for pid in counts if pid in highlighted] + list(cells.values())
    groups = [sorted(g, key=weight, reverse=True) for g in groups]
    return sorted(groups, key=lambda g: (atlas.places[g[0]].kind != "region", g[0] in highlighted))


def _events_list_html(events: Sequence[Event], lang: Lang, e=esc_js, item: Callable[[Event], str] | None = None) -> str:
    """The events' titles and dates (or ``item(event)``), the first :data:`POPUP_EVENTS_MAX`."""
    shown = events[:POPUP_EVENTS_MAX]
    rows = "".join(
        f'<li data-event-id="{e(ev.id)}">'
        + (item(ev) if item else f'{e(ev.title.get(lang))} ')
        + f'<span class="ca-popup-date">(<bdi>{e(format_partial_date(ev.date, lang))}</bdi>)</span></li>'
        for ev in shown
    )
    more = (f'<p class="ca-popup-more">{e(t("more_events_here", lang, n=len(events) - len(shown)))}</p>'
            if len(events) > len(shown) else "")
    return f'<ul class="ca-popup-events">{rows}</ul>{more}'


def group_html(group: list[str], atlas: Atlas, at_place: dict[str, list[Event]], lang: Lang) -> str:
    """A grouped marker's popup: its most named places, then its events (capped)."""
    places = [atlas.places[pid] for pid in group]
    events = list({ev.id: ev for pid in group for ev in at_place.get(pid, [])}.values())
    top = "".join(
        f"<li>{esc_js(p.name(lang))} ({len(at_place.get(p.id, []))})</li>" for p in places[:POPUP_PLACES_MAX]
    )
    return (
        f'<div class="ca-popup" dir="{direction(lang)}" lang="{lang}" style="font-family: {FONT_STACK}; text-align: start;">'
        f'<h4 class="ca-popup-name">{esc_js(places[0].name(lang))} +{len(places) - 1}</h4>'
        f'<p class="ca-popup-head">{esc_js(t("places_here", lang, n=len(places)))}</p><ul>{top}</ul>'
        f'<p class="ca-popup-head">{esc_js(t("events_here", lang))}</p>{_events_list_html(events, lang)}</div>'
    )


def _marker_spec(group: list[str], atlas: Atlas, at_place: dict[str, list[Event]], lang: Lang,
                 highlighted: set[str]) -> dict:
    """What :class:`PlaceMarkers` draws for one marker (one place, or a group of places)."""
    place = atlas.places[group[0]]
    selected = place.id in highlighted
    if len(group) == 1:
        count = len(at_place.get(place.id, []))
        popup = place_html(place, atlas, at_place.get(place.id, []), lang)
        name = place.name(lang)
    else:
        count = len({ev.id for pid in group for ev in at_place.get(pid, [])})
        popup = group_html(group, atlas, at_place, lang)
        name = f"{place.name(lang)} +{len(group) - 1}"
    icon = _icon(place, count, lang, selected, label=name, grouped=len(group) > 1)
    return {
        "lat": place.lat, "lon": place.lon, "icon": icon, "popup": popup, "tip": esc_js(name), "name": name,
        "z": 1000 if selected else -1000 if place.kind == "region" else 0,  # regions beneath
    }


class PlaceMarkers(PlainMacro):
    """Every place's marker — icon, popup, tooltip — in one element, from one JSON array.

    folium would make six elements per marker (Marker, DivIcon, SetIcon, Popup, Html,
    Tooltip), and compiles each one's rendered script as a Jinja template: about 10 ms of
    server time per marker. Here the data is one JSON array (:func:`script_json`: no ``<``,
    ``&``, ``{`` or ``}`` left inside its strings, so it can neither end the script nor be
    read as Jinja), and Leaflet builds the markers in the browser. Popup and tooltip HTML is
    escaped by :func:`esc_js` as before; Leaflet sets it as ``innerHTML``.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (group) {
            var places = {{ this.data }};
            places.forEach(function (p) {
                var marker = L.marker([p.lat, p.lon], {icon: L.divIcon(p.icon), zIndexOffset: p.z});
                marker.bindPopup(p.popup, {maxWidth: 360, maxHeight: {{ this.max_height }},
                                           autoPanPaddingBottomRight: [20, 110]});  // clear of the legend
                marker.bindTooltip(p.tip, {direction: 'top', sticky: false, className: 'ca-place-tip'});
                CaMap.nameMarker(marker, p.name);  // its name alone, once drawn
                marker.addTo(group);
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, specs: list[dict]):
        super().__init__()
        self._name = "PlaceMarkers"
        self.specs = specs
        self.data = script_json(specs)
        self.max_height = POPUP_MAX_HEIGHT


def event_map(
    atlas: Atlas,
    events: Sequence[Event],
    lang: Lang,
    selected_place: str | None = None,
    selected_event: str | None = None,
    online_tiles: bool = False,
    keyboard: bool = True,
    fit: bool = True,
) -> folium.Map:
    """The map of ``events``: their places on the country outlines, ready for st_folium.

    ``keyboard=False`` (the presenter): the map takes no keys (its places and zoom buttons
    still do) and gives them back to the page after a click (:class:`MapAccess`).
    ``fit=False``: no view fitted to the places (the caller sets it, as the presenter does)."""
    events = list(events)
    counts = places_of(events, atlas)
    highlighted = highlighted_places(atlas, selected_place, selected_event)
    if selected_place in highlighted:
        counts.setdefault(selected_place, 0)  # chosen in the URL: shown even if filtered out
    highlighted &= set(counts)

    points = [(atlas.places[p].lat, atlas.places[p].lon) for p in _in_view(counts, highlighted, atlas)]
    single = len(set(points)) == 1
    m = folium.Map(
        tiles=None, location=list(points[0]) if single else [33.0, 40.0],
        zoom_start=SINGLE_PLACE_ZOOM if single else 4, min_zoom=2, control_scale=True, keyboard=keyboard,
    )
    if fit and not single:  # the events' places, or (none) the region
        m.fit_bounds(_bounds(points) if points else REGION_BOUNDS, padding_top_left=FIT_PADDING,
                     padding_bottom_right=FIT_PADDING_BOTTOM_RIGHT, max_zoom=FIT_MAX_ZOOM)
    m.get_root().header.add_child(Raw(f"<style>{offline.fonts_css()}\n{MAP_CSS}</style>"), name="ca_style")

    named = sorted({c for ev in events for c in ev.countries})
    CountryOutlines(named, lang, fill=0.55 if online_tiles else 1.0).add_to(m)
    if online_tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", overlay=False).add_to(m)

    at_place: dict[str, list[Event]] = {pid: [] for pid in counts}
    for ev in events:
        for pid in dict.fromkeys(ev.places):
            if pid in at_place:
                at_place[pid].append(ev)
    markers = folium.FeatureGroup(name=t("places", lang)).add_to(m)
    PlaceMarkers(
        [_marker_spec(group, atlas, at_place, lang, highlighted) for group in place_groups(counts, atlas, highlighted)]
    ).add_to(markers)

    Legend(legend_html(lang), lang).add_to(m)
    LabelDeclutter().add_to(m)
    MapAccess(t("map_label" if keyboard else "map_frame_title", lang), lang, give_keys_back=not keyboard).add_to(m)
    if online_tiles:
        folium.LayerControl(collapsed=True).add_to(m)
    # Leaflet is all these maps use (no folium.Popup: no jQuery; no awesome markers: no
    # Bootstrap, Font Awesome or glyphicons): 5 fewer scripts and 5 style sheets per map load.
    m.default_js = [js for js in m.default_js if js[0] == "leaflet"]
    m.default_css = [css for css in m.default_css if css[0] == "leaflet_css"]
    return offline.localize(m)


def place_for_click(st_folium_result: dict | None, atlas: Atlas) -> str | None:
    """The place a streamlit-folium click chose: the marker at the clicked position (a marker
    click reports its own coordinates), else the place whose name is the clicked tooltip."""
    if not st_folium_result:
        return None
    clicked = st_folium_result.get("last_object_clicked") or {}
    try:
        lat, lng = float(clicked["lat"]), float(clicked["lng"])
    except (KeyError, TypeError, ValueError):
        lat = lng = math.nan
    if not math.isnan(lat):
        best = min(atlas.places.values(), key=lambda p: math.hypot(p.lat - lat, p.lon - lng), default=None)
        if best is not None and math.hypot(best.lat - lat, best.lon - lng) <= CLICK_TOLERANCE_DEG:
            return best.id
    tooltip = " ".join(str(st_folium_result.get("last_object_clicked_tooltip") or "").split())
    if tooltip:
        for place in atlas.places.values():
            if tooltip in (place.name_ar, place.name_en):
                return place.id
    return None
