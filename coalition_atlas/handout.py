"""The handout: the current view on at most four A4 pages, to print and hand out.

The briefing pack holds everything (every quote, every cited passage: 40-odd printed pages for
the whole record); the handout is its short companion, for the same view (filters, language):
the two documents in brief, the figures they state, the timeline, a map of the places, and
one line per event (date, title, where the document says it). It is one self-contained HTML
file with no script at all: the timeline is ``svg_timeline``'s SVG, the map an SVG drawn
here from the shipped country outlines, the fonts embedded, a Content-Security-Policy that
forbids fetching anything. HTML from ``templates/handout.html``, its style sheet (with the
A4 print rules) ``templates/handout.css``.

This module never imports streamlit.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from . import offline
from .filtering import describe, filter_events, ordered
from .i18n import Lang, direction, format_day, format_partial_date, t
from .load import Atlas
from .maps import (
    BORDER, LAND, LAND_NAMED, LIBERATED_COLOUR, PLACE_COLOUR, REGION_BOUNDS, REGION_COLOUR, SEA, base_layer_geojson,
    place_style, places_of,
)
from .models import Event
from .render import figure_text, passage_label
from .svg_timeline import HEIGHT as TIMELINE_HEIGHT
from .svg_timeline import timeline_svg
from .templating import render
from .viewstate import ViewState

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'"
FIGURE_WIDTH = 960  # px: the timeline's and the map's drawing width (the print style sheet scales them)
MAP_WIDTH, MAP_HEIGHT = 960, 500
LABEL_PX = 13  # the map's place names
MAX_LABELS = 24  # names drawn on the map (the most named places first); the others are marks only


# --- the map, as SVG -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    style: str  # liberated, other, region
    name: str
    label: tuple[float, str] | None  # (x of the name, text-anchor), None: not drawn (no room)


@dataclass(frozen=True)
class HandoutMap:
    width: int
    height: int
    land: list[tuple[str, bool]]  # (path data, named by an event)
    marks: list[Mark]
    colours: dict[str, str]


def _window(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """(south, west, north, east): the places with a margin, widened to the map's shape."""
    if points:
        south, north = min(p[0] for p in points), max(p[0] for p in points)
        west, east = min(p[1] for p in points), max(p[1] for p in points)
    else:
        (south, west), (north, east) = REGION_BOUNDS
    dlat, dlon = max((north - south) * 0.15, 2.5), max((east - west) * 0.12, 3.5)
    south, north, west, east = south - dlat, north + dlat, west - dlon, east + dlon
    squash = math.cos(math.radians((south + north) / 2))  # a degree of longitude is shorter
    want = MAP_WIDTH / MAP_HEIGHT  # width / height, in projected units
    have = (east - west) * squash / (north - south)
    if have < want:  # too tall: widen
        extra = ((north - south) * want / squash - (east - west)) / 2
        west, east = west - extra, east + extra
    else:
        extra = ((east - west) * squash / want - (north - south)) / 2
        south, north = south - extra, north + extra
    return south, west, north, east


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def handout_map(atlas: Atlas, events: list[Event], lang: Lang) -> HandoutMap:
    """The places of ``events`` in the region the documents are about (as on the dashboard's
    first view; places far outside it, such as Washington, are left to the events' lines)."""
    counts = places_of(events, atlas)
    inside = [p for p in counts if _in_region(atlas.places[p].lat, atlas.places[p].lon)] or list(counts)
    south, west, north, east = _window([(atlas.places[p].lat, atlas.places[p].lon) for p in inside])
    sx, sy = MAP_WIDTH / (east - west), MAP_HEIGHT / (north - south)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (lon - west) * sx, (north - lat) * sy

    named = {c for e in events for c in e.countries}
    land = []
    for feature in base_layer_geojson()["features"]:
        rings = _rings(feature["geometry"])
        lons = [x for ring in rings for x, _ in ring]
        lats = [y for ring in rings for _, y in ring]
        if not lons or min(lons) > east or max(lons) < west or min(lats) > north or max(lats) < south:
            continue
        path = "".join(
            "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in (xy(lon, lat) for lon, lat in ring)) + "Z" for ring in rings
        )
        land.append((path, feature["id"] in named))
    # names: the most named places first, each where it covers no mark nor another name
    order = sorted(inside, key=lambda p: (place_style(atlas.places[p]) != "liberated", -counts[p], atlas.places[p].name(lang)))
    boxes = [(x - 8, y - 8, x + 8, y + 8) for x, y in (xy(atlas.places[p].lon, atlas.places[p].lat) for p in inside)]
    marks = []
    for pid in order:
        place = atlas.places[pid]
        x, y = xy(place.lon, place.lat)
        name = place.name(lang)
        width = len(name) * LABEL_PX * (0.5 if lang == "ar" else 0.56) + 4
        label = None
        if len([m for m in marks if m.label]) < MAX_LABELS:
            for side in ((1, -1) if lang == "en" else (-1, 1)):  # after the mark in reading order, else before
                lx = x + side * 10
                box = (lx, y - 8, lx + width, y + 8) if side > 0 else (lx - width, y - 8, lx, y + 8)
                inside_map = box[0] >= 0 and box[2] <= MAP_WIDTH and box[1] >= 0 and box[3] <= MAP_HEIGHT
                own = (x - 8, y - 8, x + 8, y + 8)
                if inside_map and not any(_overlap(box, b) for b in boxes if b != own):
                    label = (lx, "start" if side > 0 else "end")
                    boxes.append(box)
                    break
        marks.append(Mark(round(x, 1), round(y, 1), place_style(place), name, (round(label[0], 1), label[1]) if label else None))
    colours = {"land": LAND, "named": LAND_NAMED, "sea": SEA, "border": BORDER, "liberated": LIBERATED_COLOUR,
               "other": PLACE_COLOUR, "region": REGION_COLOUR}
    return HandoutMap(MAP_WIDTH, MAP_HEIGHT, land, marks, colours)


def _in_region(lat: float, lon: float) -> bool:
    (south, west), (north, east) = REGION_BOUNDS
    return south <= lat <= north and west <= lon <= east


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]


# --- the texts -------------------------------------------------------------------------------------

def citation_line(event: Event, atlas: Atlas, lang: Lang) -> str:
    """Where the documents say it, in a few words: "Statement 2017, Paragraph 2, Paragraph 3;
    Article 2019, Lead"."""
    by_doc: dict[str, list[str]] = {}
    for ref in event.sources:
        by_doc.setdefault(ref.doc, [])
        if ref.paragraph not in by_doc[ref.doc]:
            by_doc[ref.doc].append(ref.paragraph)
    sep = "، " if lang == "ar" else ", "
    parts = []
    for doc, paragraphs in by_doc.items():
        found = atlas.documents.get(doc)
        name = f"{t(found.meta.kind, lang)} {found.meta.date.year}" if found else doc
        parts.append(name + sep + sep.join(passage_label(p, lang) for p in paragraphs))
    return ("؛ " if lang == "ar" else "; ").join(parts)


def _figures(atlas: Atlas, events: list[Event], lang: Lang) -> list[dict[str, str]]:
    """Each figure the shown events state, once (as the dashboard's headline figures)."""
    out, seen = [], set()
    for event in events:
        for figure in event.figures:
            ref = event.sources[0]
            stated = (figure.value, figure.unit, figure.qualifier, figure.of.en, ref.doc, ref.paragraph)
            if stated in seen:
                continue
            seen.add(stated)
            out.append({"value": figure_text(figure, lang).split(" — ")[0], "of": figure.of.get(lang),
                        "cite": citation_line(event, atlas, lang), "event": event.id})
    return out


def _documents(atlas: Atlas, lang: Lang) -> list[dict[str, str]]:
    docs = []
    for doc in atlas.documents.values():
        meta = doc.meta
        place = atlas.places.get(meta.place)
        bits = [t(meta.kind, lang), format_day(meta.date, lang)] + ([place.name(lang)] if place else [])
        docs.append({"title_ar": meta.title.ar, "title_en": meta.title.en if lang == "en" else "", "facts": " · ".join(bits)})
    return docs


def handout_html(atlas: Atlas, state: ViewState, *, today: dt.date | None = None) -> str:
    """The handout of ``state``'s view (filters, language), as one HTML document."""
    lang = state.lang
    events = ordered(filter_events(atlas.events, state))
    today = today or dt.date.today()
    return render(
        "handout.html",
        lang=lang,
        dir=direction(lang),
        csp=CSP,
        title=f"{t('app_title', lang)} — {t('handout', lang)}",
        fonts_css=offline.fonts_css(embed=True),
        t=lambda key, **values: t(key, lang, **values),
        generated=format_day(today, lang),
        filters=describe(state, atlas),
        shown=t("events_shown", lang, n=len(events), total=len(atlas.events)),
        documents=_documents(atlas, lang),
        figures=_figures(atlas, events, lang),
        timeline=timeline_svg(events, lang, width=FIGURE_WIDTH, height=TIMELINE_HEIGHT,
                              label=t("timeline_alt", lang, n=len(events))) if events else None,
        map=handout_map(atlas, events, lang) if events else None,
        events=[{"id": e.id, "date": format_partial_date(e.date, lang), "title": e.title.get(lang),
                 "cite": citation_line(e, atlas, lang)} for e in events],
    )
