"""The briefing pack: the current view as one self-contained HTML file.

Overview (what the atlas is, the documents, the figures they state), the timeline (inline SVG
drawn here by ``svg_timeline``, each mark a link to its event), the map (Leaflet, the shipped
country outlines, one marker per place, popups), the events with their quotes, translations
and citations, and the cited passages in full.
It needs no network and no Python: every script, style sheet and font is inside the file, a
Content-Security-Policy forbids fetching anything, and it prints on A4 (a print style sheet
breaks pages between sections, never inside an event, a quote or a passage, and gives the
timeline and the map fixed print sizes).

Drawing. This module says *what* the pack shows (plain data); the templates in
``templates/pack/`` say how (``pack.html`` and one template per section; the events are the
shared ``_event.html``), and the pack's own style sheet and script are the real files
``templates/pack/pack.css`` and ``pack.js``, inlined with Leaflet's.

Size and speed. The timeline is SVG markup in the file (no plotly.js: it weighed 2 MB here and
took the browser seconds to unpack and run), so it is drawn as the page is parsed, with
JavaScript off too, and prints as it shows. Leaflet (160 kB) is inlined as it is. The pack
weighs about 1 MB, most of it the map's outlines and the fonts.

Escaping (``escaping``). HTML text and attributes: the templates' autoescape; the timeline's
SVG and the map's popups and labels (set by Leaflet as ``innerHTML``): ``esc``; the map's data
sits in a ``<script type="application/json">`` element through ``|tojson``.

This module never imports streamlit.
"""

from __future__ import annotations

import base64
import hashlib
import datetime as dt
import functools
import re

from markupsafe import Markup

from . import offline
from .escaping import esc
from .filtering import date_span, filter_events, ordered
from .gazetteer import Place
from .i18n import Lang, category_label, direction, format_day, format_partial_date, join_list, list_separator, t
from .load import Atlas, country_name
from .maps import (
    BORDER, LAND, LAND_NAMED, MAP_CSS, MAP_CSS_FILE, MAP_JS_FILE, REGION_BOUNDS, base_layer_geojson, group_html, legend_html, place_groups,
    place_html, place_style, places_of,
)
from .models import Event
from .pack_search import pack_passages, search_data
from .passages import english, english_spans, highlighted_html, marked_html, quote_spans
from .render import citation, doc_title, event_card, figure_text, in_file_id, passage_label
from .svg_timeline import HEIGHT as TIMELINE_HEIGHT
from .svg_timeline import timeline_svg
from .templating import asset, macro, render
from .viewstate import ViewState
from .walks import Walk

FIGURE_WIDTH = 960  # px: the timeline and the map on screen (pack.css says the same)
MAP_HEIGHT = 540  # pack.css
PRINT_ZOOM = 0.7  # pack.css: 960 px x 0.7 = 672 px, inside A4's 180 mm (680 px) between the margins
ICON_SIZE = {"liberated": 26, "other": 22, "region": 34}
ICON_RANK = {"liberated": 300, "other": 200, "region": 100}
LEAFLET_DIR = offline.VENDOR_DIR / "leaflet@1.9.3"
# The pack's policy: nothing fetched, scripts only those the pack holds, by hash (computed from
# the final text of every executable <script> in the page: see with_csp), so an injected
# script or event handler would not run even if escaping failed somewhere.
CSP_TEMPLATE = (
    "default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; base-uri 'none'; form-action 'none'"
)
_CSP_SLOT = "ca-csp-slot"  # the template's content="…" of the CSP meta; data cannot write a `"`
_SCRIPT = re.compile(r"<(?:script)([^>]*)>(.*?)</(?:script)>", re.S | re.I)  # (attributes, text): a pattern, not HTML
_JS_TYPES = ("", "text/javascript", "application/javascript", "module")


def script_hashes(page: str) -> list[str]:
    """``'sha256-…'`` of every script the page runs (a ``type="application/json"`` data block
    runs nothing, and needs none), in order, each once."""
    hashes: list[str] = []
    for m in _SCRIPT.finditer(page):
        kind = re.search(r"""type\s*=\s*["']?([^"'\s>]*)""", m.group(1), re.I)
        if (kind.group(1).lower() if kind else "") not in _JS_TYPES:
            continue
        digest = base64.b64encode(hashlib.sha256(m.group(2).encode("utf-8")).digest()).decode("ascii")
        if f"'sha256-{digest}'" not in hashes:
            hashes.append(f"'sha256-{digest}'")
    return hashes


def csp_for(page: str) -> str:
    return CSP_TEMPLATE.format(hashes=" ".join(script_hashes(page)) or "'none'")


def with_csp(page: str) -> str:
    """The page with its Content-Security-Policy (the meta whose content is ``_CSP_SLOT``)."""
    policy = csp_for(page)  # keywords, quotes and base64: nothing an attribute must escape
    assert '"' not in policy and "<" not in policy and "&" not in policy
    slot = f'http-equiv="Content-Security-Policy" content="{_CSP_SLOT}"'
    assert slot in page, "the pack's template lost its CSP meta"
    return page.replace(slot, f'http-equiv="Content-Security-Policy" content="{policy}"', 1)


# --- what is inlined ------------------------------------------------------------------------------

def _defang_urls(js: str) -> str:
    """Leaflet names its home page in a comment and in the attribution prefix (a link, never
    fetched; the prefix is turned off). Write ``://`` there as ``:\\u002F/``: the same string
    for JavaScript, and no URL in the file's text."""
    for url in offline.external_urls(js):
        js = js.replace(url, url.replace("://", ":\\u002F/"))
    return js


@functools.lru_cache(maxsize=1)
def leaflet_assets() -> tuple[str, str]:
    """Leaflet's JavaScript and CSS, ready to inline: its images as data URIs, comments out of
    the CSS, no URL left in either."""
    js = _defang_urls((LEAFLET_DIR / "leaflet.js").read_text(encoding="utf-8"))
    css = re.sub(r"/\*.*?\*/", "", (LEAFLET_DIR / "leaflet.css").read_text(encoding="utf-8"), flags=re.S)

    def image(match: re.Match[str]) -> str:
        data = base64.b64encode((LEAFLET_DIR / "images" / match.group(1)).read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    css = re.sub(r"url\(images/([\w.@-]+\.png)\)", image, css)
    return js, css


def _cite_html(atlas: Atlas, doc: str, paragraph: str, lang: Lang) -> str:
    """The citation line of the pack (``_event.html``'s ``cite``): document and passage, and a
    link to the passage in the pack."""
    return str(macro("_event.html", "cite")(citation(atlas, doc, paragraph, lang, in_file=True)))


def _filters(atlas: Atlas, state: ViewState) -> list[tuple[str, str]]:
    lang = state.lang
    rows = []
    if state.countries:
        rows.append((t("countries", lang), join_list((country_name(c, lang) for c in state.countries), lang)))
    if state.categories:
        rows.append((t("categories", lang), join_list((category_label(c, lang) for c in state.categories), lang)))
    if state.docs:
        rows.append((t("documents", lang), " · ".join(doc_title(atlas, d, lang) for d in state.docs)))
    if state.start or state.end:
        first, last = date_span(atlas.events)
        rows.append((t("date_range", lang), f"{format_day(state.start or first, lang)} – {format_day(state.end or last, lang)}"))
    return rows


# --- what each section shows ------------------------------------------------------------------------

def _documents(atlas: Atlas, lang: Lang) -> list[dict]:
    docs = []
    for doc in atlas.documents.values():
        meta = doc.meta
        place = atlas.places.get(meta.place)
        bits = [t(meta.kind, lang), format_day(meta.date, lang)] + ([place.name(lang)] if place else [])
        docs.append({"title_ar": meta.title.ar, "title_en": meta.title.en, "bits": bits, "origin": meta.origin.get(lang)})
    return docs


def _figures(atlas: Atlas, events: list[Event], lang: Lang) -> list[dict]:
    """Every figure the shown events state, with its event and the passages it cites."""
    figures = []
    for event in events:
        for figure in event.figures:
            cited = dict.fromkeys((ref.doc, ref.paragraph) for ref in event.sources)
            figures.append({
                "value": figure_text(figure, lang).split(" — ")[0],
                "of": figure.of.get(lang),
                "date": format_partial_date(event.date, lang),
                "event_id": event.id,
                "title": event.title.get(lang),
                "cites": [citation(atlas, doc, paragraph, lang, in_file=True) for doc, paragraph in cited],
            })
    return figures


def _inside(place: Place) -> bool:
    (south, west), (north, east) = REGION_BOUNDS
    return south <= place.lat <= north and west <= place.lon <= east


def _popup_html(place: Place, atlas: Atlas, events: list[Event], lang: Lang) -> str:
    """maps.place_html with the pack's citations (to the passage in this file) and event links
    (to the event's card)."""
    return place_html(
        place, atlas, events, lang, for_map=False,
        cite=lambda status: _cite_html(atlas, status.doc, status.paragraph, lang),
        event_item=lambda e: render("pack/event-link.html", id=e.id, title=e.title.get(lang)),
    )


def _widened(bounds: list[list[float]], by: float = 0.6, at_least: float = 12.0) -> list[list[float]]:
    """``bounds`` grown on every side by ``by`` times its span (at least ``at_least`` degrees):
    what the pack's map shows around its places, with room to pan and zoom out a little."""
    (south, west), (north, east) = bounds
    dlat, dlon = max((north - south) * by, at_least), max((east - west) * by, at_least)
    return [[max(south - dlat, -90.0), max(west - dlon, -180.0)], [min(north + dlat, 90.0), min(east + dlon, 180.0)]]


def _overlaps(geometry: dict, window: list[list[float]]) -> bool:
    """Whether a GeoJSON (Multi)Polygon's bounding box meets ``window``."""
    (south, west), (north, east) = window
    rings = geometry["coordinates"] if geometry["type"] == "Polygon" else [r for poly in geometry["coordinates"] for r in poly]
    lons = [x for ring in rings for x, _ in ring]
    lats = [y for ring in rings for _, y in ring]
    return bool(lons) and min(lons) <= east and max(lons) >= west and min(lats) <= north and max(lats) >= south


def map_spec(atlas: Atlas, events: list[Event], lang: Lang) -> dict:
    """What the pack's Leaflet script draws: the outlines, the places (icon and popup HTML,
    escaped here) and the view (the places in the region the documents are about, as on the
    dashboard: Washington and Astana are one zoom-out away)."""
    counts = places_of(events, atlas)
    at_place: dict[str, list[Event]] = {pid: [] for pid in counts}
    for event in events:
        for pid in dict.fromkeys(event.places):
            if pid in at_place:
                at_place[pid].append(event)
    fit = [pid for pid in counts if _inside(atlas.places[pid])] or list(counts)
    points = sorted({(atlas.places[p].lat, atlas.places[p].lon) for p in fit})
    named = {c for e in events for c in e.countries}
    bounds = [[min(p[0] for p in points), min(p[1] for p in points)], [max(p[0] for p in points), max(p[1] for p in points)]] if points else REGION_BOUNDS
    window = _widened(bounds)
    countries = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"label": esc(f["properties"]["name_ar" if lang == "ar" else "name_en"]), "named": f["id"] in named},
                "geometry": f["geometry"],
            }
            for f in base_layer_geojson()["features"]
            if f["id"] in named or _overlaps(f["geometry"], window)
        ],
    }
    places = []
    for group in place_groups(counts, atlas):  # regions first (beneath); many places grouped, as on the dashboard
        place = atlas.places[group[0]]
        style = place_style(place)
        size = ICON_SIZE[style] + (6 if len(group) > 1 else 0)
        if len(group) == 1:
            count, name, popup = counts[place.id], place.name(lang), _popup_html(place, atlas, at_place[place.id], lang)
        else:
            count = len({e.id for pid in group for e in at_place[pid]})
            name, popup = f"{place.name(lang)} +{len(group) - 1}", group_html(group, atlas, at_place, lang)
        places.append(
            {
                "id": place.id,
                "lat": place.lat,
                "lon": place.lon,
                "style": style + (" ca-group" if len(group) > 1 else ""),
                "size": size,
                "name": name,
                "icon": render("pack/icon.html", size=size, count=count, rank=ICON_RANK[style] + count, name=name),
                "popup": popup,
            }
        )
    return {
        "countries": countries,
        "places": places,
        "bounds": bounds,
        "center": list(points[0]) if len(points) == 1 else None,
        "colours": {"land": LAND, "named": LAND_NAMED, "border": BORDER},
        "legend": legend_html(lang),
        "legendPosition": "bottomright" if lang == "ar" else "bottomleft",
        "dir": direction(lang),
        "mapLabel": t("map_label", lang), "zoomIn": t("zoom_in", lang), "zoomOut": t("zoom_out", lang),
        "outside": [pid for pid in counts if pid not in fit],
    }


def _places(atlas: Atlas, events: list[Event], lang: Lang) -> list[dict]:
    """The list of places under the map: most named first, each with its events."""
    counts = places_of(events, atlas)
    items = []
    for pid in sorted(counts, key=lambda p: (-counts[p], atlas.places[p].name(lang))):
        place = atlas.places[pid]
        kind = t("liberated", lang) if place.liberated else t("region_place" if place.kind == "region" else "other_place", lang)
        items.append({
            "id": pid,  # the search's link to the place: #place-<id>
            "name": place.name(lang),
            "kind": kind,
            "where": country_name(place.country, lang) if place.country else "",
            "events": [{"id": e.id, "title": e.title.get(lang)} for e in events if pid in e.places],
        })
    return items


def _passages(atlas: Atlas, events: list[Event], lang: Lang) -> list[dict]:
    """Every passage the shown events (or the places on the map) cite, verbatim, in document
    order, the events' quotes highlighted: where each citation's link leads."""
    quotes: dict[tuple[str, str], list[str]] = {}
    translated: dict[tuple[str, str], list[str]] = {}  # the events' English of their quotes
    citing: dict[tuple[str, str], dict[str, Event]] = {}  # by id: comparing pydantic models is slow
    for event in events:
        for ref in event.sources:
            quotes.setdefault((ref.doc, ref.paragraph), []).append(ref.quote)
            translated.setdefault((ref.doc, ref.paragraph), []).append(ref.translation)
            citing.setdefault((ref.doc, ref.paragraph), {}).setdefault(event.id, event)
    for pid in places_of(events, atlas):
        for status in atlas.places[pid].status:
            quotes.setdefault((status.doc, status.paragraph), [])
    blocks = []
    for doc in atlas.documents.values():
        rows = [
            {
                "id": in_file_id(doc.id, passage.id),
                "label": passage_label(passage.id, lang),
                "text": Markup(highlighted_html(passage.text, quote_spans(passage, quotes[(doc.id, passage.id)]))),
                "citing": [{"id": e.id, "title": e.title.get(lang)} for e in citing.get((doc.id, passage.id), {}).values()],
                "english": _english_html(doc.id, passage.id, translated.get((doc.id, passage.id), [])) if lang == "en" else None,
            }
            for passage in doc.passages
            if (doc.id, passage.id) in quotes
        ]
        if rows:
            blocks.append({"title_ar": doc.meta.title.ar, "title_en": doc.meta.title.en, "rows": rows})
    return blocks


def _english_html(doc: str, passage: str, marked: list[str]) -> Markup | None:
    """Our English of a passage, the events' translations marked (English packs: whatever the
    Arabic reader reads, the English reader reads too)."""
    text = english(doc, passage)
    return Markup(marked_html(text, english_spans(text, marked), "ca-tr")) if text else None


# --- the file ---------------------------------------------------------------------------------------

def event_html(event: Event, atlas: Atlas, lang: Lang) -> str:
    """One event in the pack: title, when, summary, facts, every quote with its citation."""
    return str(macro("_event.html", "event")(event_card(event, atlas, lang, in_file=True)))


def _walk(atlas: Atlas, walk: Walk, lang: Lang) -> dict:
    """A reader's walk at the top of its pack: the title and the steps in her order."""
    steps = [(e, s.note) for s in walk.steps if (e := atlas.event(s.event)) is not None]
    return {"title": walk.title or t("my_walk", lang), "steps": [
        {"id": e.id, "title": e.title.get(lang), "when": format_partial_date(e.date, lang), "note": note} for e, note in steps
    ]}


def briefing_html(atlas: Atlas, state: ViewState, *, today: dt.date | None = None, walk: Walk | None = None) -> str:
    """The pack for ``state``'s filters and language, as one HTML document; for a reader's own
    ``walk``: its events in its order (whatever the filters), its notes first."""
    lang = state.lang
    if walk:
        events = [e for s in walk.steps if (e := atlas.event(s.event)) is not None]
    else:
        events = ordered(filter_events(atlas.events, state))
    today = today or dt.date.today()
    context: dict[str, object] = {
        "lang": lang,
        "dir": direction(lang),
        "t": functools.partial(t, lang=lang),
        "csp": Markup(_CSP_SLOT),  # with_csp puts the policy there, hashed from the final page
        "title": f"{t('app_title', lang)} — {t('briefing', lang)}",
        "fonts_css": Markup(offline.fonts_css(embed=True)),
        "map_css": Markup(MAP_CSS + "\n" + MAP_CSS_FILE.read_text(encoding="utf-8")),  # the dashboard's maps' too
        "pack_css": asset("pack/pack.css"),
        "today": format_day(today, lang),
        "filters": _filters(atlas, state),
        "shown": len(events),
        "total": len(atlas.events),
        "contents": [("timeline", t("timeline", lang)), ("map", t("map", lang)), ("events", t("events_list", lang)),
                     ("passages", t("cited_passages", lang))],
        "documents": _documents(atlas, lang),
        "figures": _figures(atlas, events, lang),
        "events": [],
        "walk": _walk(atlas, walk, lang) if walk else None,
        "search_css": asset("pack/search.css"),
    }
    if events:  # else: the overview and a word, without the scripts' weight
        leaflet_js, leaflet_css = leaflet_assets()
        spec = map_spec(atlas, events, lang)
        context.update(
            leaflet_js=Markup(leaflet_js),
            leaflet_css=Markup(leaflet_css),
            map_js=Markup(MAP_JS_FILE.read_text(encoding="utf-8")),  # keyboard and screen readers, as on the dashboard
            pack_js=asset("pack/pack.js"),
            timeline_js=asset("pack/drawn.js"),
            svg=Markup(timeline_svg(events, lang, width=FIGURE_WIDTH, height=TIMELINE_HEIGHT,
                                    label=t("timeline_alt", lang, n=len(events)))),
            map={"spec": spec, "places": _places(atlas, events, lang),
                 "outside": join_list((atlas.places[p].name(lang) for p in spec["outside"]), lang)},
            strong_sep=list_separator(lang, strong=True),
            sep=list_separator(lang),
            events=[event_card(e, atlas, lang, in_file=True) for e in events],
            passages=_passages(atlas, events, lang),
            search=search_data(atlas, events, pack_passages(atlas, events), list(places_of(events, atlas)), lang),
            search_js=asset("pack/search.js"),
        )
    return with_csp(render("pack/pack.html", **context) + "\n")
