"""Exports of the current view: the briefing pack (one HTML file), the handout (one HTML file,
at most four printed A4 pages: ``handout.py``), CSV and GeoJSON.

The dashboard's download buttons and ``python -m coalition_atlas export`` both come here, and
both describe the view the same way: the CLI's filter options are turned into URL-style
parameters and read by ``viewstate.parse_params``, so the shell and the address bar share one
grammar (``--country IRQ,SYR`` is ``?country=IRQ,SYR``).

CSV (``events_csv``): UTF-8 with a BOM (spreadsheet programs then read the Arabic right), one
row per event in date order, CRLF line ends. Lists are joined with `` | ``; a citation reads
``doc:paragraph «quote» — translation``, a figure ``qualifier value unit «of, Arabic» — of,
English``. No spreadsheet may run a cell as a formula, whether it reads the file with ``,`` or
with ``;`` as separator (the default of many European locales): at the start of every cell,
and after every ``;`` and line break in it (where a ``;`` reader starts a cell or a row), a leading apostrophe goes
before any text whose first visible sign is ``=``, ``+``, ``-``, ``@`` (or their full-width and
small forms), past any white space, quotes, controls and invisible characters; a cell starting
with a tab or a carriage return gets one too. Every cell holding ``;`` is quoted.

GeoJSON (``events_geojson``, RFC 7946): one Point feature per (event, place) pair, in date
order. An event that names no place (two thirds of the record: statements, meetings' agendas)
is one feature with ``"geometry": null`` — RFC 7946 §3.2's "unlocated" feature — so that the
file holds every event of the view and a GIS can still filter them out. Properties: the
event's fields (lists joined with `` | `` as in the CSV, so that every GIS reads them as text),
``citations`` (the CSV's text), ``start``/``end`` (the first and last day a partial date such
as ``2018-02`` covers, for time sliders) and ``place``/``place_ar``/``place_en`` (null when
unlocated). ``date`` stays the record's partial date; GDAL reads it as a date type when every
value happens to be a full day (open option ``DATE_AS_STRING=YES`` keeps it text).

This module never imports streamlit.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from . import paths
from .briefing import briefing_html
from .filtering import filter_events, ordered
from .load import Atlas, load_atlas
from .models import Event, SourceRef
from .problems import RecordError
from .i18n import isolate
from .render import figure_text
from .viewstate import ViewState, parse_params

FORMATS = ("html", "handout", "csv", "geojson")
MIME = {"html": "text/html", "handout": "text/html", "csv": "text/csv", "geojson": "application/geo+json"}
SUFFIX = {"html": "html", "handout": "html", "csv": "csv", "geojson": "geojson"}
CSV_COLUMNS = (
    "id", "date", "dating", "category", "title_ar", "title_en", "summary_ar", "summary_en",
    "countries", "places", "figures", "citations",
)
JOIN = " | "
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CELL_STARTS = re.compile(r"(;|\r\n|\r|\n)")
_TRIGGERS = frozenset("=+-@\u2212")  # and whatever NFKC folds to them (＝ ＋ － ＠ ﹦ ﹢ ﹣ ﹫)


# --- one event as flat text ----------------------------------------------------------------------

def citation_text(ref: SourceRef) -> str:
    """``washington-2017:2 «quote» — translation``; the Arabic quote between Unicode isolates
    (FSI … PDI: invisible), so that a spreadsheet shows each run in its own order."""
    return f"{ref.doc}:{ref.paragraph} «{isolate(ref.quote)}» — {ref.translation}"


def citations_text(event: Event) -> str:
    return JOIN.join(citation_text(ref) for ref in event.sources)


def event_fields(event: Event) -> dict[str, str]:
    """The CSV columns of one event, as plain (not yet neutralised) text."""
    return {
        "id": event.id,
        "date": event.date,
        "dating": event.dating,
        "category": event.category,
        "title_ar": event.title.ar,
        "title_en": event.title.en,
        "summary_ar": event.summary.ar,
        "summary_en": event.summary.en,
        "countries": JOIN.join(event.countries),
        "places": JOIN.join(event.places),
        "figures": JOIN.join(figure_text(f, None) for f in event.figures),
        "citations": citations_text(event),
    }


def _starts_formula(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula: its first sign past white space,
    quotes, controls and invisible (format) characters is = + - @ or a full-width form of one."""
    for ch in text:
        if ch.isspace() or ch == '"' or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            continue
        return ch in _TRIGGERS or unicodedata.normalize("NFKC", ch)[:1] in _TRIGGERS
    return False


def csv_cell(value: object) -> str:
    """A cell every spreadsheet shows as text, read with ``,`` or ``;`` as separator (see the
    module's doc): an apostrophe before each start of a cell that could begin a formula."""
    text = "" if value is None else str(value)
    # where a reader may start a cell: the start, after a ";" and after a line break (a reader
    # that reads the quotes differently starts a new row there)
    parts = _CELL_STARTS.split(text)
    guarded = "".join("'" + part if i % 2 == 0 and _starts_formula(part) else part for i, part in enumerate(parts))
    return "'" + guarded if text.startswith(_FORMULA_START) and not guarded.startswith("'") else guarded


# --- the formats -----------------------------------------------------------------------------

def events_csv(events: Iterable[Event]) -> bytes:
    """The events as CSV bytes: UTF-8 with BOM, header row, one row per event."""
    out = io.StringIO(newline="")
    # ";" in a cell is quoted too (csv.QUOTE_MINIMAL quotes only for the "," it writes with)
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_COLUMNS)
    for event in ordered(events):
        fields = event_fields(event)
        writer.writerow([csv_cell(fields[c]) for c in CSV_COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def events_geojson(events: Iterable[Event], atlas: Atlas) -> dict:
    """The events joined to their places: a FeatureCollection (see the module's doc)."""
    features = []
    for event in ordered(events):
        props = event_fields(event)
        located = [atlas.places[p] for p in dict.fromkeys(event.places) if p in atlas.places]
        for place in located or [None]:
            features.append(
                {
                    "type": "Feature",
                    "geometry": None if place is None else {"type": "Point", "coordinates": [place.lon, place.lat]},
                    "properties": {
                        **props,
                        "start": event.start.isoformat(),
                        "end": event.end.isoformat(),
                        "place": place.id if place else None,
                        "place_ar": place.name_ar if place else None,
                        "place_en": place.name_en if place else None,
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}


def geojson_bytes(events: Iterable[Event], atlas: Atlas) -> bytes:
    return json.dumps(events_geojson(events, atlas), ensure_ascii=False, indent=1).encode("utf-8")


def export_bytes(atlas: Atlas, state: ViewState, fmt: str) -> bytes:
    """The file for ``fmt`` (html, csv, geojson) of the events ``state`` shows."""
    events = filter_events(atlas.events, state)
    if fmt == "csv":
        return events_csv(events)
    if fmt == "geojson":
        return geojson_bytes(events, atlas)
    if fmt == "html":
        return briefing_html(atlas, state).encode("utf-8")
    if fmt == "handout":
        from .handout import handout_html

        return handout_html(atlas, state).encode("utf-8")
    raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def default_folder() -> Path:
    """Where an export goes without ``-o``: the current folder, unless that is inside the
    project (the repository or the installed package), then ``~/coalition-atlas`` — never
    into the project's own files."""
    here = Path.cwd()
    if not paths.inside_project(here):
        return here
    folder = Path.home() / "coalition-atlas"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def file_name(fmt: str, state: ViewState) -> str:
    """``coalition-atlas-briefing-en.html``, ``coalition-atlas-events.csv``…"""
    if fmt == "html":
        return f"coalition-atlas-briefing-{state.lang}.html"
    if fmt == "handout":
        return f"coalition-atlas-handout-{state.lang}.html"
    return f"coalition-atlas-events.{SUFFIX[fmt]}"


# --- the command line ------------------------------------------------------------------------

class FilterError(ValueError):
    """Filter values that parse_params refused, said as the command line's options."""

    def __init__(self, messages: Sequence[str]):
        super().__init__("\n".join(messages))
        self.messages = list(messages)


def state_from_options(atlas: Atlas, options: dict[str, str | None]) -> ViewState:
    """The view state for CLI filter options (keys as in the URL: lang, country, category,
    source, from, to); FilterError with one line per refused value."""
    params = {key: value for key, value in options.items() if value is not None}
    state = parse_params(params, atlas)
    if not state.notices:
        return state
    from .vocabulary import CATEGORIES

    known = {
        "country": ", ".join(sorted({c for e in atlas.events for c in e.countries})),
        "category": ", ".join(CATEGORIES),
        "source": ", ".join(atlas.documents),
    }
    messages = []
    for notice in state.notices:
        if notice == "from>to":
            messages.append(f"--from {params.get('from')} is after --to {params.get('to')}: swap them")
            continue
        key, _, value = notice.partition("=")
        if key in ("from", "to"):
            messages.append(f"--{key}: '{value}' is not a date — write YYYY-MM-DD")
        elif key == "lang":
            messages.append(f"--lang: unknown language '{value}' — use ar or en")
        elif key in known:
            messages.append(f"--{key}: unknown value '{value}' — use one or more of: {known[key]}")
        else:
            messages.append(f"--{key}: not accepted ('{value}')")
    raise FilterError(messages)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``export`` subcommand's options (the filters use the URL's grammar)."""
    parser.add_argument("--format", choices=FORMATS, default="html", help="html (briefing pack, default), handout (at most 4 A4 pages), csv or geojson")
    parser.add_argument("-o", "--output", help="file to write ('-' for stdout; default: coalition-atlas-… in the current folder, "
                        "or in ~/coalition-atlas when the current folder is inside the project)")
    parser.add_argument("--lang", help="ar (default) or en: the pack's language")
    parser.add_argument("--country", help="ISO alpha-3 codes, comma-separated, e.g. IRQ,SYR")
    parser.add_argument("--category", help="categories, comma-separated, e.g. territory,military")
    parser.add_argument("--source", help="documents, comma-separated: washington-2017, paris-2019")
    parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="events that reach this day or later")
    parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="events that begin by this day")


def run(args: argparse.Namespace) -> int:
    """``python -m coalition_atlas export``: 0 written, 1 record or file problem, 2 bad filter."""
    try:
        atlas = load_atlas()  # events.yaml, or the file COALITION_ATLAS_EVENTS names
    except RecordError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print("export: the record has problems; run `python -m coalition_atlas validate`", file=sys.stderr)
        return 1
    options = {"lang": args.lang, "country": args.country, "category": args.category, "source": args.source,
               "from": args.start, "to": args.end}
    try:
        state = state_from_options(atlas, options)
    except FilterError as err:
        for message in err.messages:
            print(f"export: {message}", file=sys.stderr)
        return 2
    data = export_bytes(atlas, state, args.format)
    shown = len(filter_events(atlas.events, state))
    if args.output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    target = Path(args.output) if args.output else default_folder() / file_name(args.format, state)
    try:
        target.write_bytes(data)
    except OSError as err:
        print(f"export: cannot write {target}: {err.strerror}", file=sys.stderr)
        return 1
    note = "" if shown else " (no event matches the filters)"
    print(f"wrote {target} — {args.format}, {shown} of {len(atlas.events)} events, {len(data) / 1e6:.2f} MB{note}")
    return 0
