"""The briefing pack: the current view as one self-contained HTML file.

Overview (what the atlas is, the documents, the figures they state), the timeline (inline SVG
drawn here by ``svg_timeline``, each mark a link to its event), the map (Leaflet, the shipped
country outlines, one marker per place, popups), the events with their quotes, translations
and citations, and the cited passages in full.
It needs no network and no Python: every script, style sheet and font is inside the file, a
Content-Security-Policy forbids fetching anything, and it prints on A4 (a print style sheet
breaks pages between sections, never inside an event, a quote or a passage, and gives the
timeline and the map fixed print sizes).

Size and speed. The timeline is SVG markup in the file (no plotly.js: it weighed 2 MB here and
took the browser seconds to unpack and run), so it is drawn as the page is parsed, with
JavaScript off too, and prints as it shows. Leaflet (160 kB) is inlined as it is. The pack
weighs about 1 MB, most of it the map's outlines and the fonts.

Escaping. Text from the data reaches the file in three ways: HTML text and attributes, and the
timeline's SVG text and attributes (``render.esc``), and the data of the map, which sits in a
``<script type="application/json">`` element written by
:func:`script_json` (JSON with ``<``, ``>``, ``&``, U+2028 and U+2029 as ``\\uXXXX``, so that
no ``</script>`` or ``<!--`` can appear in it). Map popups and labels are HTML built here with
``esc`` and set by Leaflet as ``innerHTML``.

This module never imports streamlit.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
import re

from . import offline
from .export import ordered
from .filtering import date_span, filter_events
from .gazetteer import Place
from .i18n import (
    Lang,
    category_label,
    dating_label,
    direction,
    format_day,
    format_partial_date,
    t,
)
from .load import Atlas, country_name
from .maps import (
    BORDER, LAND, LAND_NAMED, MAP_CSS, MAP_CSS_FILE, MAP_JS_FILE, REGION_BOUNDS, base_layer_geojson, group_html, legend_html, place_groups,
    place_html, place_style, places_of,
)
from .models import Event
from .passages import highlighted_html, quote_spans
from .render import esc, figure_text, passage_label
from .svg_timeline import HEIGHT as TIMELINE_HEIGHT
from .svg_timeline import timeline_svg
from .viewstate import ViewState

FIGURE_WIDTH = 960  # px: the timeline and the map on screen
MAP_HEIGHT = 540
PRINT_ZOOM = 0.7  # 960 px x 0.7 = 672 px, inside A4's 180 mm (680 px) between the margins
ICON_SIZE = {"liberated": 26, "other": 22, "region": 34}
ICON_RANK = {"liberated": 300, "other": 200, "region": 100}
LEAFLET_DIR = offline.VENDOR_DIR / "leaflet@1.9.3"
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; base-uri 'none'; form-action 'none'"
)


# --- safe embedding ------------------------------------------------------------------------------

def script_json(obj: object) -> str:
    """JSON for a ``<script type="application/json">`` element: ``<``, ``>``, ``&`` and the two
    line/paragraph separators as ``\\uXXXX`` escapes (still valid JSON, read back unchanged),
    so that nothing in it can close the element (``</script>``) or change how it is parsed."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


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


# --- pieces of text -------------------------------------------------------------------------------

def _sep(lang: Lang) -> str:
    return "، " if lang == "ar" else ", "


def _src_id(doc: str, passage: str) -> str:
    return f"src-{doc}-{passage}"


def _doc_title(atlas: Atlas, doc: str, lang: Lang) -> str:
    found = atlas.documents.get(doc)
    return found.meta.title.get(lang) if found else doc


def doc_short(atlas: Atlas, doc: str, lang: Lang) -> str:
    """A document in a few words: "Statement · 22 March 2017" (its title is a sentence)."""
    found = atlas.documents.get(doc)
    return f"{t(found.meta.kind, lang)} · {format_day(found.meta.date, lang)}" if found else doc


def _cite_html(atlas: Atlas, doc: str, paragraph: str, lang: Lang) -> str:
    """The citation line: document and passage, and a link to the passage in the pack."""
    where = f"{doc_short(atlas, doc, lang)} — {passage_label(paragraph, lang)}"
    return (
        f'<p class="ca-cite" title="{esc(_doc_title(atlas, doc, lang))}">{esc(where)}'
        f'<span class="ca-go"> · <a href="#{esc(_src_id(doc, paragraph))}">{esc(t("read_in_source", lang))}</a></span></p>'
    )


def _quote_html(atlas: Atlas, doc: str, paragraph: str, quote: str, translation: str, lang: Lang) -> str:
    return (
        '<blockquote class="ca-quote">'
        f'<p dir="rtl" lang="ar" class="ca-ar">«{esc(quote)}»</p>'
        f'<p dir="ltr" lang="en" class="ca-en">“{esc(translation)}”</p>'
        f"{_cite_html(atlas, doc, paragraph, lang)}"
        "</blockquote>"
    )


def _filters_html(atlas: Atlas, state: ViewState, shown: int) -> str:
    lang = state.lang
    rows = []
    if state.countries:
        rows.append((t("countries", lang), _sep(lang).join(country_name(c, lang) for c in state.countries)))
    if state.categories:
        rows.append((t("categories", lang), _sep(lang).join(category_label(c, lang) for c in state.categories)))
    if state.docs:
        rows.append((t("documents", lang), " · ".join(_doc_title(atlas, d, lang) for d in state.docs)))
    if state.start or state.end:
        first, last = date_span(atlas.events)
        rows.append((t("date_range", lang), f"{format_day(state.start or first, lang)} – {format_day(state.end or last, lang)}"))
    body = (
        '<dl class="ca-facts">' + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows) + "</dl>"
        if rows
        else f"<p>{esc(t('no_filters', lang))}</p>"
    )
    return (
        f'<div class="ca-filters"><h3>{esc(t("filters_applied", lang))}</h3>{body}'
        f'<p class="ca-meta">{esc(t("events_shown", lang, n=shown, total=len(atlas.events)))}</p></div>'
    )


# --- the sections -------------------------------------------------------------------------------------

def _overview_html(atlas: Atlas, state: ViewState, events: list[Event], today: dt.date) -> str:
    lang = state.lang
    docs = []
    for doc in atlas.documents.values():
        meta = doc.meta
        place = atlas.places.get(meta.place)
        bits = [t(meta.kind, lang), format_day(meta.date, lang)] + ([place.name(lang)] if place else [])
        docs.append(
            '<div class="ca-doc">'
            f'<p class="ca-doc-title" dir="rtl" lang="ar">{esc(meta.title.ar)}</p>'
            + (f'<p class="ca-doc-title" dir="ltr" lang="en">{esc(meta.title.en)}</p>' if lang == "en" else "")
            + f'<p class="ca-meta">{esc(" · ".join(bits))}</p>'
            f"<p>{esc(meta.origin.get(lang))}</p></div>"
        )
    figures = []
    for event in events:
        for figure in event.figures:
            cited = dict.fromkeys((ref.doc, ref.paragraph) for ref in event.sources)
            cites = "".join(_cite_html(atlas, doc, paragraph, lang) for doc, paragraph in cited)
            figures.append(
                '<div class="ca-figure">'
                f'<p class="ca-figure-value">{esc(figure_text(figure, lang).split(" — ")[0])}</p>'
                f"<p>{esc(figure.of.get(lang))}</p>"
                f'<p class="ca-cite">{esc(format_partial_date(event.date, lang))} · '
                f'<a href="#event-{esc(event.id)}">{esc(event.title.get(lang))}</a></p>{cites}</div>'
            )
    contents = [("timeline", t("timeline", lang)), ("map", t("map", lang)), ("events", t("events_list", lang)),
                ("passages", t("cited_passages", lang))]
    return (
        '<section id="overview" class="ca-section">'
        f'<h1>{esc(t("app_title", lang))}</h1>'
        f'<p class="ca-subtitle">{esc(t("briefing", lang))} · {esc(t("generated_on", lang, date=format_day(today, lang)))}</p>'
        f'<p class="ca-lead">{esc(t("tagline", lang))}</p>'
        f"<p>{esc(t('briefing_intro', lang))}</p>"
        f'<p class="ca-meta">{esc(t("translation_note", lang))}</p>'
        f"{_filters_html(atlas, state, len(events))}"
        f'<nav class="ca-nav"><h3>{esc(t("contents", lang))}</h3><ol>'
        + "".join(f'<li><a href="#{key}">{esc(label)}</a></li>' for key, label in contents)
        + "</ol></nav>"
        f'<h2>{esc(t("documents", lang))}</h2><div class="ca-docs">{"".join(docs)}</div>'
        + (f'<h2>{esc(t("headline_figures", lang))}</h2><div class="ca-figures">{"".join(figures)}</div>' if figures else "")
        + "</section>"
    )


def _timeline_html(events: list[Event], lang: Lang) -> str:
    svg = timeline_svg(events, lang, width=FIGURE_WIDTH, height=TIMELINE_HEIGHT, label=t("timeline_alt", lang, n=len(events)))
    return (
        '<section id="timeline" class="ca-section">'
        f'<h2>{esc(t("timeline", lang))}</h2>'
        f'<p class="ca-meta">{esc(t("timeline_hint", lang))}</p>'
        f'<div class="ca-frame"><div id="ca-timeline" class="ca-plot" dir="ltr">{svg}</div></div>'
        # drawn as soon as parsed: say so at once (the benchmark and the browser tests wait for it)
        '<script>document.documentElement.setAttribute("data-ca-timeline", "drawn");</script>'
        "</section>"
    )


def _inside(place: Place) -> bool:
    (south, west), (north, east) = REGION_BOUNDS
    return south <= place.lat <= north and west <= place.lon <= east


def _popup_html(place: Place, atlas: Atlas, events: list[Event], lang: Lang) -> str:
    """maps.place_html with the pack's citations (to the passage in this file) and event links
    (to the event's card)."""
    return place_html(
        place, atlas, events, lang, for_map=False,
        cite=lambda status: _cite_html(atlas, status.doc, status.paragraph, lang),
        event_item=lambda e: f'<a href="#event-{esc(e.id)}">{esc(e.title.get(lang))}</a> ',
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
                "icon": (
                    f'<div class="ca-shape" style="width:{size}px;height:{size}px;"><span class="ca-count" data-count="{count}"></span></div>'
                    f'<span class="ca-label" dir="auto" data-rank="{ICON_RANK[style] + count}">{esc(name)}</span>'
                ),
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


def _map_html(atlas: Atlas, events: list[Event], lang: Lang) -> str:
    spec = map_spec(atlas, events, lang)
    counts = places_of(events, atlas)
    items = []
    for pid in sorted(counts, key=lambda p: (-counts[p], atlas.places[p].name(lang))):
        place = atlas.places[pid]
        kind = t("liberated", lang) if place.liberated else t("region_place" if place.kind == "region" else "other_place", lang)
        where = country_name(place.country, lang) if place.country else ""
        titles = ("؛ " if lang == "ar" else "; ").join(
            f'<a href="#event-{esc(e.id)}">{esc(e.title.get(lang))}</a>' for e in events if pid in e.places
        )
        items.append(
            f'<li><strong>{esc(place.name(lang))}</strong> <span class="ca-meta">({esc(kind)}'
            f'{" · " + esc(where) if where else ""})</span> — {titles}</li>'
        )
    outside = spec["outside"]
    note = (
        f'<p class="ca-meta">{esc(t("outside_frame", lang, places=_sep(lang).join(atlas.places[p].name(lang) for p in outside)))}</p>'
        if outside
        else ""
    )
    return (
        '<section id="map" class="ca-section">'
        f'<h2>{esc(t("map", lang))}</h2>'
        f'<div class="ca-frame"><div id="ca-map" dir="ltr" role="region" aria-label="{esc(t("map", lang))}" '
        f'data-fallback="{esc(t("needs_js", lang))}"></div>'
        f'<noscript><p class="ca-fallback">{esc(t("needs_js", lang))}</p></noscript></div>'
        f'<script type="application/json" id="ca-map-data">{script_json(spec)}</script>'
        f"{note}"
        + (f'<h3>{esc(t("places_list", lang))}</h3><ul class="ca-places">{"".join(items)}</ul>' if items else "")
        + "</section>"
    )


def event_html(event: Event, atlas: Atlas, lang: Lang) -> str:
    """One event in the pack: title, when, summary, facts, every quote with its citation."""
    facts = []
    if event.countries:
        facts.append((t("countries", lang), _sep(lang).join(country_name(c, lang) for c in event.countries)))
    if event.places:
        facts.append((t("places", lang), _sep(lang).join(atlas.places[p].name(lang) if p in atlas.places else p for p in event.places)))
    if event.people:
        facts.append((t("people", lang), _sep(lang).join(p.get(lang) for p in event.people)))
    for figure in event.figures:
        facts.append((t("figures", lang), figure_text(figure, lang)))
    return (
        f'<article class="ca-event ca-cat-{esc(event.category)}" id="event-{esc(event.id)}">'
        f"<h3>{esc(event.title.get(lang))}</h3>"
        f'<p class="ca-meta">{esc(format_partial_date(event.date, lang))} · {esc(dating_label(event.dating, lang))} · '
        f"{esc(category_label(event.category, lang))}</p>"
        f"<p>{esc(event.summary.get(lang))}</p>"
        + ('<dl class="ca-facts">' + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts) + "</dl>" if facts else "")
        + "".join(_quote_html(atlas, r.doc, r.paragraph, r.quote, r.translation, lang) for r in event.sources)
        + "</article>"
    )


def _events_html(atlas: Atlas, events: list[Event], lang: Lang) -> str:
    return (
        '<section id="events" class="ca-section">'
        f'<h2>{esc(t("events_list", lang))}</h2>'
        + "".join(event_html(e, atlas, lang) for e in events)
        + "</section>"
    )


def _passages_html(atlas: Atlas, events: list[Event], lang: Lang) -> str:
    """Every passage the shown events (or the places on the map) cite, verbatim, in document
    order, the events' quotes highlighted: where each citation's link leads."""
    quotes: dict[tuple[str, str], list[str]] = {}
    citing: dict[tuple[str, str], dict[str, Event]] = {}  # by id: comparing pydantic models is slow
    for event in events:
        for ref in event.sources:
            quotes.setdefault((ref.doc, ref.paragraph), []).append(ref.quote)
            citing.setdefault((ref.doc, ref.paragraph), {}).setdefault(event.id, event)
    for pid in places_of(events, atlas):
        for status in atlas.places[pid].status:
            quotes.setdefault((status.doc, status.paragraph), [])
    blocks = []
    for doc in atlas.documents.values():
        rows = []
        for passage in doc.passages:
            key = (doc.id, passage.id)
            if key not in quotes:
                continue
            links = _sep(lang).join(f'<a href="#event-{esc(e.id)}">{esc(e.title.get(lang))}</a>' for e in citing.get(key, {}).values())
            rows.append(
                f'<div class="ca-passage" id="{esc(_src_id(doc.id, passage.id))}">'
                f'<p class="ca-pid">{esc(passage_label(passage.id, lang))}</p>'
                f'<p class="ca-ptext" dir="rtl" lang="ar">{highlighted_html(passage.text, quote_spans(passage, quotes[key]))}</p>'
                + (f'<p class="ca-cite">{esc(t("cited_by", lang))}: {links}</p>' if links else "")
                + "</div>"
            )
        if rows:
            blocks.append(
                f'<h3 class="ca-doc-head" dir="rtl" lang="ar">{esc(doc.meta.title.ar)}</h3>'
                + (f'<p class="ca-meta" dir="ltr" lang="en">{esc(doc.meta.title.en)}</p>' if lang == "en" else "")
                + "".join(rows)
            )
    return f'<section id="passages" class="ca-section"><h2>{esc(t("cited_passages", lang))}</h2>{"".join(blocks)}</section>'


# --- the file ---------------------------------------------------------------------------------------

PACK_CSS = f"""
html {{ font-family: "Noto Naskh Arabic", "Source Sans Pro", "Segoe UI", Arial, sans-serif; color: #1a1a1a;
  background: #fff; line-height: 1.6; }}
body {{ margin: 0 auto; max-width: {FIGURE_WIDTH}px; padding: 1.5rem 20px 4rem; font-size: 16px; }}
h1 {{ font-size: 2.1rem; margin: .3rem 0 0; }}
h2 {{ font-size: 1.5rem; margin: 2.5rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid #0072B2; }}
h3 {{ font-size: 1.15rem; margin: 1rem 0 .3rem; }}
p {{ margin: .3rem 0; }}
a {{ color: #00466e; }}
.ca-subtitle {{ color: #444; font-size: 1.05rem; }}
.ca-lead {{ font-size: 1.15rem; }}
.ca-meta, .ca-cite {{ color: #444; font-size: .92rem; }}
.ca-filters, .ca-nav {{ border: 1px solid #ccc; border-radius: 6px; padding: .2rem .9rem .5rem; margin: .8rem 0; }}
.ca-nav ol {{ margin: .2rem 0; padding-inline-start: 1.4rem; }}
dl.ca-facts {{ display: grid; grid-template-columns: max-content 1fr; gap: .1rem .9rem; margin: .3rem 0; }}
dl.ca-facts dt {{ font-weight: 700; }}
dl.ca-facts dd {{ margin: 0; }}
.ca-docs {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: .8rem; }}
.ca-doc {{ border: 1px solid #ccc; border-radius: 6px; padding: .6rem .8rem; }}
.ca-doc-title {{ font-weight: 700; }}
.ca-figures {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: .8rem; }}
.ca-figure {{ border: 1px solid #ccc; border-radius: 6px; padding: .5rem .8rem; }}
.ca-figure-value {{ font-size: 1.5rem; font-weight: 700; color: #00466e; }}
.ca-frame {{ max-width: 100%; overflow-x: auto; }}
#ca-timeline {{ width: {FIGURE_WIDTH}px; height: {TIMELINE_HEIGHT}px; }}
#ca-timeline svg {{ display: block; width: 100%; height: 100%; }}
#ca-map {{ width: {FIGURE_WIDTH}px; height: {MAP_HEIGHT}px; border: 1px solid #ccc; box-sizing: border-box; }}
.ca-fallback {{ padding: 1rem; background: #fff3cd; }}
.ca-places {{ padding-inline-start: 1.2rem; }}
.ca-places li {{ margin: .25rem 0; }}
.ca-event {{ border-inline-start: 4px solid #0072B2; padding: .1rem 0 .3rem; padding-inline-start: .9rem; margin: 1.3rem 0; }}
.ca-event:target, .ca-passage:target {{ background: #fff8dc; }}
.ca-event h3 {{ margin-top: 0; }}
.ca-quote {{ margin: .45rem 0; padding: .4rem .8rem; background: #f4f4f4; border-radius: 4px; }}
.ca-ar {{ font-size: 1.1rem; }}
.ca-en {{ font-style: italic; }}
.ca-doc-head {{ margin-top: 1.5rem; }}
.ca-passage {{ margin: .6rem 0; padding: .3rem .6rem; border-inline-start: 3px solid #ccc; }}
.ca-pid {{ font-weight: 700; color: #444; font-size: .92rem; }}
mark.ca-hl {{ background: #ffe08a; color: #000; padding: 0 .1em; }}
.ca-popup a {{ color: #00466e; }}
@page {{ size: A4; margin: 15mm 15mm 16mm; }}
@media print {{
  html {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
  body {{ max-width: none; padding: 0; font-size: 10pt; line-height: 1.45; }}
  .ca-go, .ca-nav {{ display: none; }}
  .ca-event {{ margin: .9rem 0; }}
  .ca-quote {{ padding: .25rem .6rem; margin: .3rem 0; }}
  .ca-places {{ font-size: .92em; }}
  h2 {{ margin-top: 0; }}
  .ca-section + .ca-section {{ break-before: page; }}
  h1, h2, h3, .ca-pid, .ca-doc-head {{ break-after: avoid; }}
  .ca-event, .ca-quote, .ca-doc, .ca-figure, .ca-passage, .ca-filters, .ca-nav, .ca-places li, dl.ca-facts {{ break-inside: avoid; }}
  .ca-frame {{ overflow: visible; }}
  #ca-timeline, #ca-map {{ zoom: {PRINT_ZOOM}; break-inside: avoid; }}
  .leaflet-control-zoom {{ display: none !important; }}
  .ca-event:target, .ca-passage:target {{ background: none; }}
  a {{ color: inherit; text-decoration: none; }}
}}
"""

PACK_JS = r"""
(function () {
  "use strict";
  var root = document.documentElement;
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function fail(box, what, err) {
    root.setAttribute("data-ca-" + what, "failed");
    if (box) {
      var p = document.createElement("p");
      p.className = "ca-fallback";
      p.textContent = box.getAttribute("data-fallback");
      box.appendChild(p);
    }
    if (window.console) { console.error(what, err); }
  }

  // a place name is hidden where it would cover another marker or a name of more weight
  // (not its own marker: a diamond's rotated box reaches below it, over its name)
  function declutter(map) {
    var box = map.getContainer();
    var placed = Array.prototype.map.call(box.querySelectorAll(".ca-place .ca-shape"),
      function (el) { return { r: el.getBoundingClientRect(), owner: el.parentNode }; });
    var labels = Array.prototype.slice.call(box.querySelectorAll(".ca-place .ca-label"));
    labels.sort(function (a, b) { return Number(b.getAttribute("data-rank")) - Number(a.getAttribute("data-rank")); });
    labels.forEach(function (label) {
      label.style.visibility = "";
      var r = label.getBoundingClientRect();
      var clash = placed.some(function (p) {
        return p.owner !== label.parentNode &&
          r.left < p.r.right && r.right > p.r.left && r.top < p.r.bottom && r.bottom > p.r.top;
      });
      label.style.visibility = clash ? "hidden" : "";
      if (!clash) { placed.push({ r: r, owner: null }); }
    });
  }

  function drawMap() {
    var box = document.getElementById("ca-map");
    var spec = data("ca-map-data");
    if (!box || !spec) { return; }
    try {
      var map = L.map(box, { minZoom: 2, maxZoom: 10, zoomSnap: 0.25, scrollWheelZoom: false });
      map.attributionControl.setPrefix(false);
      var outlines = L.geoJSON(spec.countries, {
        attribution: "Natural Earth",
        style: function (f) {
          return { fillColor: f.properties.named ? spec.colours.named : spec.colours.land, fillOpacity: 1,
                   color: spec.colours.border, weight: 0.7 };
        },
        onEachFeature: function (f, layer) { layer.bindTooltip(f.properties.label, { sticky: true }); }
      }).addTo(map);
      CaMap.quietOutlines(outlines);  // hover names them; they are no Tab stops (static/js/atlas-map.js)
      CaMap.nameMap(map, spec.mapLabel);
      CaMap.localZoom(map, spec.zoomIn, spec.zoomOut);
      spec.places.forEach(function (p) {
        var half = p.size / 2;
        var icon = L.divIcon({ className: "ca-place ca-place-" + p.id + " ca-" + p.style, html: p.icon,
                               iconSize: [p.size, p.size], iconAnchor: [half, half], popupAnchor: [0, -half] });
        var marker = L.marker([p.lat, p.lon], { icon: icon, title: p.name, riseOnHover: true,
                                   zIndexOffset: p.style === "region" ? -1000 : 0 })
          .bindPopup(p.popup, { maxWidth: 360, maxHeight: 320 }).addTo(map);
        CaMap.nameMarker(marker, p.name);  // its name alone, not "3Mosul"
      });
      var home = function () {
        if (spec.center) { map.setView(spec.center, 6, { animate: false }); }
        else { map.fitBounds(spec.bounds, { padding: [80, 50], maxZoom: 7, animate: false }); }  // room for the names
      };
      home();
      // printed: no open popup, the whole view (a popup may have panned the map)
      var forPrint = function () { map.closePopup(); home(); declutter(map); };
      window.addEventListener("beforeprint", forPrint);
      if (window.matchMedia) {
        var print = window.matchMedia("print");
        var onChange = function (e) { if (e.matches) { forPrint(); } };
        if (print.addEventListener) { print.addEventListener("change", onChange); } else if (print.addListener) { print.addListener(onChange); }
      }
      var legend = L.control({ position: spec.legendPosition });
      legend.onAdd = function () {
        var div = L.DomUtil.create("div", "ca-legend");
        div.setAttribute("dir", spec.dir);
        div.innerHTML = spec.legend;
        return div;
      };
      legend.addTo(map);
      map.on("zoomend", function () { declutter(map); });
      declutter(map);
      if (document.fonts && document.fonts.ready) { document.fonts.ready.then(function () { declutter(map); }); }
      root.setAttribute("data-ca-map", "drawn");
    } catch (err) { fail(box, "map", err); }
  }

  function start() { drawMap(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
"""


def briefing_html(atlas: Atlas, state: ViewState, *, today: dt.date | None = None) -> str:
    """The pack for ``state``'s filters and language, as one HTML document."""
    lang = state.lang
    events = ordered(filter_events(atlas.events, state))
    today = today or dt.date.today()
    leaflet_js, leaflet_css = leaflet_assets()
    title = f"{t('app_title', lang)} — {t('briefing', lang)}"
    if events:
        body = (
            _overview_html(atlas, state, events, today)
            + _timeline_html(events, lang)
            + _map_html(atlas, events, lang)
            + _events_html(atlas, events, lang)
            + _passages_html(atlas, events, lang)
        )
        head_scripts = f"<style>\n{leaflet_css}\n</style>\n<script>{leaflet_js}</script>\n"
        scripts = f"<script>{MAP_JS_FILE.read_text(encoding='utf-8')}</script>\n<script>{PACK_JS}</script>\n"
    else:  # nothing to draw: the overview and a word, without the scripts' weight
        body = _overview_html(atlas, state, events, today) + f'<p class="ca-fallback">{esc(t("no_events", lang))}</p>'
        head_scripts = scripts = ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}" dir="{direction(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="Coalition Atlas">\n'
        f"<title>{esc(title)}</title>\n"
        f"<style>\n{offline.fonts_css(embed=True)}\n</style>\n"
        f"{head_scripts}"
        f"<style>\n{MAP_CSS}\n{MAP_CSS_FILE.read_text(encoding='utf-8')}\n{PACK_CSS}\n</style>\n"
        "</head>\n<body>\n<main>\n"
        f"{body}\n</main>\n{scripts}</body>\n</html>\n"
    )
