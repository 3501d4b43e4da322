"""Tours: guided walks through the events (tours.yaml), and the presenter's pure logic.

tours.yaml is read like events.yaml: positions kept (``yamlpos.read_located``), the shape
checked by pydantic models that refuse unknown fields, and every problem reported at once,
located as ``tours.yaml:LINE:COL: what — how to fix``: YAML errors, unknown or misspelt fields
(the right name suggested), duplicate tour ids, event ids events.yaml does not hold (the
closest id suggested) and an event listed twice in one tour.

The presenter page asks :func:`position` which tour and step the view state (the URL) names:
an unknown tour falls back to the default (the first in the file), a step out of range is
clamped, each with a notice; never an exception. Steps are numbered from 1, as in the URL.
Besides the file's tours there is :data:`CURRENT`: the events the current filters show, in
date order. The rest (the step's HTML, the timeline and the map fitted to the step) is what
the page shows; this module never imports streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, Field, ValidationError

from .load import ROOT, Atlas
from .wording import suggest as _suggest
from .wording import validation_problems as _errors
from .models import KEBAB, Bilingual, Event, _Strict
from .problems import Problem, RecordError
from .yamlpos import Located, read_located

if TYPE_CHECKING:  # the map, the timeline, the texts and the filters are imported where they are
    import folium  # used: `validate` (the CLI) reads tours.yaml and needs none of them
    import plotly.graph_objects as go

    from .i18n import Lang
    from .viewstate import ViewState

TOURS_PATH = ROOT / "tours.yaml"
CURRENT = "current-filters"  # the ad-hoc tour: the filtered events in date order
EXAMPLE = "tours.yaml's first tour"


# --- the schema ---------------------------------------------------------------------------------

class Step(_Strict):
    event: Annotated[str, Field(min_length=1)]
    note: Bilingual | None = None  # what the presenter says at this step


class Tour(_Strict):
    id: Annotated[str, Field(pattern=KEBAB, max_length=80)]
    title: Bilingual
    steps: Annotated[list[Step], Field(min_length=1)]


class ToursFile(_Strict):
    tours: Annotated[list[Tour], Field(min_length=1)]


_NESTED: dict[type[BaseModel], dict[str, type[BaseModel]]] = {
    ToursFile: {"tours": Tour},
    Tour: {"title": Bilingual, "steps": Step},
    Step: {"note": Bilingual},
}


def _owner(loc: tuple) -> type[BaseModel] | None:
    """The model of tours.yaml that holds the field at ``loc`` (list indices skipped)."""
    model: type[BaseModel] | None = ToursFile
    for part in loc:
        if not isinstance(part, int):
            model = _NESTED.get(model, {}).get(part) if model else None
    return model


# --- reading and checking -----------------------------------------------------------------------

def _check_steps(item: Any, i: int, src: Located, event_ids: Collection[str]) -> list[Problem]:
    """Event ids of one raw tour (even one the schema refused): known, each listed once."""
    steps = item.get("steps") if isinstance(item, dict) else None
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for j, step in enumerate(steps if isinstance(steps, list) else []):
        event = step.get("event") if isinstance(step, dict) else None
        if not isinstance(event, str) or not event.strip():
            continue  # the schema says what is missing
        loc = ("tours", i, "steps", j, "event")
        if event not in event_ids:
            hint = _suggest(event, sorted(event_ids))
            if not hint.startswith("did you mean"):
                hint = "use an event id from events.yaml"
            problems.append(src.problem(loc, f"unknown event '{event}'", hint))
        elif event in first:
            line = src.where(("tours", i, "steps", first[event], "event"))[0]
            problems.append(src.problem(loc, f"event '{event}' is already a step of this tour (line {line})", "remove one of them"))
        else:
            first[event] = j
    return problems


def validate_tours(raw: bytes | str, event_ids: Collection[str], name: str = "tours.yaml") -> tuple[Tour, ...]:
    """Check the text of tours.yaml against the events' ids; the tours, or RecordError."""
    try:
        src = read_located(raw, name)
    except RecordError as err:  # the reader's advice for an empty file speaks of events.yaml
        raise RecordError([
            Problem(p.file, p.line, p.col, p.message, "start it with `tours:` and a list of tours")
            if p.message == "the file is empty" else p
            for p in err.problems
        ]) from None
    data = src.data
    if not isinstance(data, dict) or not isinstance(data.get("tours"), list) or not data["tours"]:
        raise RecordError([src.problem(("tours",), "the file holds no list of tours", "start it with `tours:` and `- id: …` items")])
    problems = [
        src.problem((key,), f"unknown top-level field '{key}'", "only `tours:` belongs here", key=True) for key in data if key != "tours"
    ]
    tours: list[Tour] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(data["tours"]):
        problems += _check_steps(item, i, src, event_ids)
        try:
            tour = Tour.model_validate(item)
        except ValidationError as exc:
            problems += _errors(exc, ("tours", i), src, _owner, EXAMPLE)
            continue
        if tour.id in (CURRENT, "my-walk"):  # the current filters; the walk in the URL (walks.WALK_TOUR)
            problems.append(src.problem(("tours", i, "id"), f"the id '{tour.id}' is reserved", "choose another id"))
        elif tour.id in seen:
            line = src.where(("tours", seen[tour.id], "id"))[0]
            problems.append(src.problem(("tours", i, "id"), f"duplicate tour id '{tour.id}' (first at line {line})", "give each tour its own id"))
        else:
            seen[tour.id] = i
            tours.append(tour)
    if problems:
        raise RecordError(problems)
    return tuple(tours)


def load_tours(event_ids: Collection[str], path: Path = TOURS_PATH) -> tuple[Tour, ...]:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise RecordError([Problem(path.name, 1, 1, f"cannot read the file ({err.strerror})", f"check that {path} exists")]) from None
    return validate_tours(raw, event_ids, path.name)


# --- which tour, which step ---------------------------------------------------------------------

def date_order(events: Iterable[Event]) -> list[Event]:
    """Events by date (a partial date by its first day, then its last); ties keep their order."""
    return sorted(events, key=lambda e: (e.start, e.end))


def current_tour() -> Tour:
    """The ad-hoc tour's header (its steps come from the filters: see :func:`step_events`)."""
    from .i18n import t

    title = Bilingual.model_construct(ar=t("tour_current", "ar"), en=t("tour_current", "en"))
    return Tour.model_construct(id=CURRENT, title=title, steps=[])


@dataclass(frozen=True)
class Stop:
    """One step as shown: the event and the presenter's note (if the tour gives one)."""

    event: Event
    note: Bilingual | None = None


def step_events(tour: Tour, atlas: Atlas, state: ViewState) -> list[Stop]:
    """The steps of ``tour``, in order; for :data:`CURRENT`, the filtered events by date."""
    from .filtering import filter_events

    if tour.id == CURRENT:
        return [Stop(e) for e in date_order(filter_events(atlas.events, state))]
    return [Stop(event, s.note) for s in tour.steps if (event := atlas.event(s.event)) is not None]


def clamp_step(step: int | None, total: int) -> tuple[int, bool]:
    """The step to show (1…total; 0 if there is none) and whether ``step`` had to change."""
    if total <= 0:
        return 0, step not in (None, 0, 1)
    if step is None:
        return 1, False
    shown = min(max(step, 1), total)
    return shown, shown != step


Move = Literal["first", "previous", "next", "last"]


def move(step: int, total: int, where: Move) -> int:
    """The step a navigation key leads to (it stays put at either end)."""
    target = {"first": 1, "previous": step - 1, "next": step + 1, "last": total}[where]
    return clamp_step(target, total)[0]


@dataclass(frozen=True)
class Position:
    tour: Tour
    stops: tuple[Stop, ...]
    step: int  # 1-based; 0 when the tour has no steps (the filters show nothing)
    notices: tuple[tuple[str, dict[str, Any]], ...] = ()  # (i18n key, values)

    @property
    def total(self) -> int:
        return len(self.stops)

    @property
    def stop(self) -> Stop | None:
        return self.stops[self.step - 1] if self.step else None


def choose_tour(tours: Sequence[Tour], tour_id: str | None) -> tuple[Tour, bool]:
    """The tour ``tour_id`` names (the default, the file's first, if none) and whether the id
    was unknown."""
    if tour_id == CURRENT:
        return current_tour(), False
    found = next((tour for tour in tours if tour.id == tour_id), None)
    return (found, False) if found else (tours[0], tour_id is not None)


def position(tours: Sequence[Tour], atlas: Atlas, state: ViewState) -> Position:
    """Where the view state's ``tour`` and ``step`` stand, after falling back and clamping.
    With filters on and no tour named, the walk is :data:`CURRENT` (the filtered events): an
    explicit ``tour=`` wins over the filters."""
    tour, unknown = choose_tour(tours, state.tour or (CURRENT if state.filtered else None))
    stops = step_events(tour, atlas, state)
    step, clamped = clamp_step(None if unknown else state.step, len(stops))
    said = []
    if unknown:
        said.append(("notice_unknown_tour", {"default": tour.title}))  # the URL's id is not repeated
    if clamped:
        said.append(("notice_step_clamped", {"step": state.step, "total": len(stops), "shown": step}))
    return Position(tour, tuple(stops), step, tuple(said))


def notices(pos: Position, lang: Lang) -> list[str]:
    """The position's notices, said in ``lang``, for a toast (Markdown): every value from the
    data taken literally (``render.md``), nothing from the URL but numbers."""
    from .i18n import t
    from .render import md

    return [t(key, lang, **{k: md(v.get(lang)) if isinstance(v, Bilingual) else v for k, v in values.items()})
            for key, values in pos.notices]


# --- what a step shows --------------------------------------------------------------------------

# The presenter's screen is laid out for 1280×720 CSS pixels: a bar of buttons, the step's text,
# then the timeline and the map side by side in a strip at least STRIP_HEIGHT tall. The text takes
# the largest type that leaves the strip that much (TEXT_BUDGET); in the browser the strip then
# fills whatever the text leaves (PRESENTER_CSS), and larger screens zoom the bar and the text.
STRIP_HEIGHT = 270  # at least; strip_height estimates what it gets
STRIP_MAX = 400
SCREEN = 720
CHROME = 76  # px: the page's top and bottom padding, the bar, the gaps, a margin
TEXT_BUDGET = SCREEN - CHROME - STRIP_HEIGHT - 14  # px left for the step's text at 1280×720
TEXT_WIDTH = 1232  # px: 1280 less the page's side margins (1.5rem each)
QUOTE_WIDTH = (TEXT_WIDTH - 26) / 2  # the English and the Arabic columns
# type sizes in rem: title, meta, Arabic quote, English translation, note (and the citation)
TIERS: dict[str, dict[str, float]] = {
    "ca-p-l": {"title": 2.3, "meta": 1.35, "ar": 1.6, "en": 1.3, "note": 1.3, "cite": 1.0},
    "ca-p-m": {"title": 2.1, "meta": 1.25, "ar": 1.42, "en": 1.17, "note": 1.17, "cite": 0.95},
    "ca-p-s": {"title": 1.9, "meta": 1.15, "ar": 1.26, "en": 1.05, "note": 1.05, "cite": 0.9},
    "ca-p-xs": {"title": 1.7, "meta": 1.05, "ar": 1.12, "en": 0.95, "note": 0.95, "cite": 0.85},
}
LINE = {"title": 1.2, "meta": 1.4, "ar": 1.55, "en": 1.35, "note": 1.4, "cite": 1.4}  # line heights
# average advance of a character, in em (measured in Chromium over the record's texts)
EM = {"ar": 0.40, "en": 0.43, "ar_bold": 0.42, "en_bold": 0.46}
REM = 16
SAFETY = 1.1  # a margin on the estimate: with it, every step's text fitted in Chromium (tests/e2e/test_presenter.py)


def _lines(text: str, size: float, em: float, width: float) -> int:
    return max(1, math.ceil(len(text) * em * size * REM / width))


def _passages(event: Event) -> list[tuple[str, str, str, str]]:
    """(doc, paragraph, quotes, translations): sources of one passage joined with " … "."""
    groups = groupby(event.sources, key=lambda ref: (ref.doc, ref.paragraph))
    out = []
    for (doc, paragraph), refs in groups:
        refs = list(refs)
        out.append((doc, paragraph, " … ".join(r.quote for r in refs), " … ".join(r.translation for r in refs)))
    return out


def text_height(stop: Stop, lang: Lang, tier: str) -> float:
    """An estimate of the step's text height (px at 1280×720) in ``tier``'s type."""
    size = TIERS[tier]
    px = {k: v * REM for k, v in size.items()}
    title_em = EM["en_bold" if lang == "en" else "ar_bold"]
    height = _lines(stop.event.title.get(lang), size["title"], title_em, TEXT_WIDTH) * px["title"] * LINE["title"]
    height += px["meta"] * LINE["meta"] + 0.35 * REM
    for _, _, quote, translation in _passages(stop.event):
        height += max(
            _lines(f"«{quote}»", size["ar"], EM["ar"], QUOTE_WIDTH) * px["ar"] * LINE["ar"],
            _lines(f"“{translation}”", size["en"], EM["en"], QUOTE_WIDTH) * px["en"] * LINE["en"],
        )
        height += px["cite"] * LINE["cite"] + 0.3 * REM
    if stop.note:
        note = stop.note.get(lang)
        height += _lines(note, size["note"], EM[lang], TEXT_WIDTH - 2 * REM) * px["note"] * LINE["note"] + 0.8 * REM
    return height


def text_size(stop: Stop, lang: Lang) -> str:
    """The largest type (a class of TIERS) in which the step's text fits the screen."""
    return next((tier for tier in TIERS if text_height(stop, lang, tier) * SAFETY <= TEXT_BUDGET), list(TIERS)[-1])


def strip_height(stop: Stop | None = None, lang: Lang | None = None) -> int:
    """The height of the timeline-and-map strip at 1280×720: the same at every step, so
    that nothing moves on the screen from one step to the next (it used to take what the
    step's text left: 336, 374, 348 px…). The text's type is chosen to fit above it
    (:func:`text_size`); in the browser the strip is ``--ca-strip`` (PRESENTER_CSS), this
    height scaled with the screen. The arguments are kept for callers; they change nothing."""
    return STRIP_HEIGHT


def _tier_css() -> str:
    rules = []
    for tier, size in TIERS.items():
        rules += [f".{tier} .ca-p-{part} {{ font-size: {rem}rem; line-height: {LINE[part]}; }}" for part, rem in size.items()]
    return "\n".join(rules)


PRESENTER_CSS = """
[data-testid="stApp"] { background: #fff; color: #000; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"] { display: none; }
[data-testid="stMainBlockContainer"] { padding: .4rem 1.5rem .2rem; max-width: none; }  /* no sidebar, no header */
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: .45rem; }
[data-testid="stMainBlockContainer"] .stElementContainer:has(style), .st-key-ca_keys { display: none; }
/* one screen: the page is as tall as the window, the strip of timeline and map takes what the text leaves */
[data-testid="stMainBlockContainer"] { height: 100vh; box-sizing: border-box; display: flex; flex-direction: column; }
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] { flex: 1 1 auto; min-height: 0; }
/* the strip keeps one height from step to step (the window's less the most text a step may have:
   270 px at 1280×720, 405 at 1920×1080), at the bottom of the screen; short texts leave room above it */
[data-testid="stLayoutWrapper"]:has(> .st-key-ca_strip) { flex: 0 0 auto; height: var(--ca-strip); min-height: 0; margin-top: auto; }
/* st.fragment wraps the bar, the text and the strip in a block of its own: the column goes through it */
[data-testid="stLayoutWrapper"]:has(> [data-testid="stVerticalBlock"] > [data-testid="stLayoutWrapper"] > .st-key-ca_strip) {
  flex: 1 1 0; min-height: 0; display: flex; flex-direction: column; }
[data-testid="stVerticalBlock"]:has(> [data-testid="stLayoutWrapper"] > .st-key-ca_strip) { flex: 1 1 0; min-height: 0; }
.st-key-ca_strip > [data-testid="stLayoutWrapper"] { flex: 1 1 0; min-height: 0; }
.st-key-ca_strip, .st-key-ca_strip [data-testid="stHorizontalBlock"], .st-key-ca_strip [data-testid="stColumn"],
.st-key-ca_strip [data-testid="stColumn"] > [data-testid="stVerticalBlock"] { height: 100%; min-height: 0; }
.st-key-ca_strip [data-testid="stColumn"] > [data-testid="stVerticalBlock"] > .stElementContainer:last-child {
  flex: 1 1 0; min-height: 0; }
.st-key-ca_strip .stElementContainer:last-child > div, .st-key-ca_strip .stElementContainer:last-child iframe {
  height: 100% !important; }
.st-key-ca_strip iframe { display: block; }  /* an inline frame would add a line's descent below it */
/* larger screens: the text as at 1280×720, larger (CSS zoom); the strip grows with the window */
:root { --ca-zoom: 1; }
@media (min-width: 1580px) and (min-height: 860px) { :root { --ca-zoom: 1.25; } }
@media (min-width: 1900px) and (min-height: 1040px) { :root { --ca-zoom: 1.5; } }
:root { --ca-strip: max(STRIP_PXpx, calc(100vh - var(--ca-zoom) * ABOVE_PXpx)); }
[data-testid="stLayoutWrapper"]:has(> .st-key-ca_bar), .stElementContainer:has(.ca-p-step), .stElementContainer:has(.ca-p-mapnote) {
  zoom: var(--ca-zoom); }
/* the chart's labels grow with the text: the chart is drawn at the size of 1280×720 and zoomed
   (the map's names follow --ca-zoom inside its frame: static/js/atlas-map.js) */
/* Plotly sizes itself from the box as seen (zoomed): give it the box's size divided by the zoom,
   and let the zoomed drawing fill the column */
.st-key-ca_strip .stElementContainer:has(.js-plotly-plot) { zoom: var(--ca-zoom); flex: none !important;
  width: calc(100% / var(--ca-zoom)) !important; height: calc(100% / var(--ca-zoom)) !important; overflow: visible !important; }
.st-key-ca_strip .stElementContainer:has(.js-plotly-plot) * { overflow: visible !important; }
/* the zoomed drawing overflows its box to the right: the box starts at the column's left, in Arabic too */
.st-key-ca_strip [data-testid="stColumn"]:has(.js-plotly-plot) > [data-testid="stVerticalBlock"] { direction: ltr; }
.st-key-ca_bar { align-items: center; }
.st-key-ca_nav { direction: ltr; align-items: center; }  /* ← previous, → next: in Arabic too */
.st-key-ca_bar button { min-height: 2.5rem; border: 2px solid #000; color: #000; font-size: 1.05rem; }
.st-key-ca_bar button:disabled { border-color: #999; color: #767676; }
.st-key-ca_bar [data-baseweb="select"] { font-size: 1.05rem; }
/* a phone: the tour's list on a line of its own, then every button on one line, icons only
   (their names stay for screen readers, visually hidden) */
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding: .4rem .6rem .2rem; }
  .st-key-ca_bar { flex-wrap: wrap; row-gap: .35rem; column-gap: .25rem; }
  .st-key-ca_bar .st-key-presenter_tour { flex: 1 0 100% !important; width: 100% !important; max-width: none !important; }
  .st-key-ca_nav { gap: .25rem; }
  .st-key-ca_bar button, .st-key-ca_bar a[data-testid="stPageLink-NavLink"] { min-width: 2.5rem; padding: .2rem .45rem; }
  .st-key-ca_bar a[data-testid="stPageLink-NavLink"] { min-height: 2.5rem; box-sizing: border-box; border: 2px solid #000;
    justify-content: center; margin: 0; }  /* a button's size: a finger's target, level with the buttons */
  .st-key-ca_bar button [data-testid="stMarkdownContainer"], .st-key-ca_bar a [data-testid="stMarkdownContainer"],
  .st-key-ca_bar button kbd {
    position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  p.ca-p-counter { font-size: 1.15rem; min-width: 3.2rem; }
}
.ca-p-counter { margin: 0; font-size: 1.6rem; font-weight: 700; direction: ltr; min-width: 5.5rem; text-align: center; }
.ca-p-step { margin-bottom: 1rem; }  /* Streamlit pulls a Markdown block 1rem up over what follows */
.ca-p-step p { margin: 0; color: #000; text-align: start; }
.ca-p-step[lang="en"] p:not(.ca-p-ar), .ca-p-en { font-family: "Source Sans", "Source Sans Pro", sans-serif !important; }
.ca-p-title { font-weight: 700; margin-bottom: 0 !important; }
.ca-p-meta { margin-bottom: .35rem !important; color: #111 !important; }
.ca-p-quotes { display: grid; grid-template-columns: 1fr 1fr; column-gap: 26px; align-items: start; }
.ca-p-step .ca-p-ar { text-align: right; }
.ca-p-step .ca-p-en { text-align: left; }
.ca-p-step .ca-p-cite { grid-column: 1 / -1; color: #333; margin-bottom: .3rem; }
.ca-p-step .ca-p-note { margin-top: .2rem; padding: .3rem .7rem; border-inline-start: 6px solid #0072B2; background: #eef5fb; }
.ca-p-mapnote { font-size: 1.15rem; font-weight: 700; margin: 0 0 1rem !important; line-height: 26px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
""".replace("STRIP_PX", str(STRIP_HEIGHT)).replace("ABOVE_PX", str(SCREEN - STRIP_HEIGHT)) + _tier_css()


def document_label(atlas: Atlas, doc_id: str, lang: Lang) -> str:
    """A document in brief: "Statement · Washington, D.C. · 22 March 2017"."""
    from .i18n import format_day, t

    doc = atlas.documents.get(doc_id)
    if doc is None:
        return doc_id
    place = atlas.places.get(doc.meta.place)
    bits = [t(doc.meta.kind, lang), place.name(lang) if place else "", format_day(doc.meta.date, lang)]
    return " · ".join(b for b in bits if b)


def step_html(stop: Stop, atlas: Atlas, lang: Lang) -> str:
    """Title, date and dating, places, the quotes (Arabic, RTL) beside their English, the note.
    Quotes from one passage are joined with " … ", under one citation."""
    from .i18n import dating_label, direction, format_day, format_partial_date
    from .render import cite_words, esc

    event = stop.event
    sep = "، " if lang == "ar" else ", "
    meta = [format_partial_date(event.date, lang), dating_label(event.dating, lang)]
    places = [atlas.places[p].name(lang) for p in event.places if p in atlas.places]
    if places:
        meta.append(sep.join(places))
    rows = [
        f'<div class="ca-p-step {text_size(stop, lang)}" dir="{direction(lang)}" lang="{lang}" data-event="{esc(event.id)}">',
        f'<p class="ca-p-title" role="heading" aria-level="1">{esc(event.title.get(lang))}</p>',
        f'<p class="ca-p-meta">{" · ".join(esc(m) for m in meta)}</p>',
        '<div class="ca-p-quotes" dir="ltr">',
    ]
    for doc, paragraph, quote, translation in _passages(event):
        rows.append(
            f'<p class="ca-p-en" dir="ltr" lang="en">“{esc(translation)}”</p>'
            f'<p class="ca-p-ar" dir="rtl" lang="ar">«{esc(quote)}»</p>'
            f'<p class="ca-p-cite" dir="{direction(lang)}"><bdi class="ca-nowrap">{esc(cite_words(atlas, doc, paragraph, lang))}</bdi>'
            f" · <bdi>{esc(format_day(atlas.documents[doc].meta.date, lang))}</bdi></p>"
        )
    rows.append("</div>")
    if stop.note:
        rows.append(f'<p class="ca-p-note" dir="auto">{esc(stop.note.get(lang))}</p>')  # a walk's note: either language
    rows.append("</div>")
    return "\n".join(rows)


def places_line(stop: Stop, atlas: Atlas, lang: Lang) -> str:
    """The line above the map: the step's places, or that it names none."""
    from .i18n import direction, t
    from .render import esc

    names = [atlas.places[p].name(lang) for p in stop.event.places if p in atlas.places]
    text = ("، " if lang == "ar" else ", ").join(names) or t("no_place_on_map", lang)
    return f'<p class="ca-p-mapnote" dir="{direction(lang)}">{esc(text)}</p>'


def presenter_timeline(stops: Sequence[Stop], lang: Lang, selected: str | None, height: int = STRIP_HEIGHT) -> go.Figure:
    """The tour's events on the timeline, the step's mark highlighted; bigger type and marks."""
    from .timeline import timeline_figure

    fig = timeline_figure([s.event for s in stops], lang, selected=selected)
    for trace in fig.data:
        marker = getattr(trace, "marker", None)
        if marker is None or marker.size is None:
            continue
        many = not isinstance(marker.size, (int, float))  # a list, or a large record's numpy array
        sizes = list(marker.size) if many else [marker.size]
        scaled = [round(float(s) * 1.3) for s in sizes]
        marker.size = scaled if many else scaled[0]
        if marker.line is not None and marker.line.width:
            marker.line.width = marker.line.width + 1
        if trace.mode and "lines" in trace.mode and trace.line is not None:
            trace.line.width = 2.5
        if trace.type != "scattergl":  # WebGL marks have no clipping to turn off
            trace.cliponaxis = False  # the ring around a mark in the top lane stays whole
    for note in fig.layout.annotations:  # "Before 2017" inside its band, clear of the bigger years
        if note.name == "earlier":  # a row below the bigger years (inside the band it ran over the lanes' names)
            note.update(yshift=-28, font=dict(size=14, color="#000000"))
    earlier = any(note.name == "earlier" for note in fig.layout.annotations)
    fig.update_layout(height=height, margin=dict(l=4, r=4, t=4, b=50 if earlier else 4), showlegend=False,
                      font=dict(size=16, color="#000000"))
    fig.update_xaxes(tickfont=dict(size=17, color="#000000"))
    fig.update_yaxes(tickfont=dict(size=15, color="#000000"))
    return fig


# --- the map ------------------------------------------------------------------------------------

# the map beside the step: no legend (the step names its places), bigger names
# and the map as tall as its frame, which follows the strip's height from step to step
PRESENTER_MAP_CSS = (
    ".ca-legend { display: none; } .ca-place .ca-label { font-size: calc(16px * var(--ca-zoom, 1)); font-weight: 700; }"
    " #map_div { height: 100vh !important; }"
)
MAP_WIDTH = 440  # px: the map's column at 1280×720 (it is wider on wider screens)
FIT_PADDING = 40
FIT_MAX_ZOOM = 5
REGION = ((12.0, 8.0), (42.5, 62.0))  # (south, west), (north, east): North Africa to Iran


def tour_map(atlas: Atlas, stops: Sequence[Stop], lang: Lang) -> folium.Map:
    """The places of the tour's events, drawn once for the whole tour; each step only rings its
    places (``maps.selection_layer``) and moves the view (:func:`map_view`)."""
    from .maps import Raw, event_map

    # the view is the step's (map_view), set after drawing; the keys stay the presenter's
    m = event_map(atlas, [s.event for s in stops], lang, keyboard=False, fit=False)
    m.get_root().header.add_child(Raw(f"<style>{PRESENTER_MAP_CSS}</style>"), name="ca_presenter_style")
    return m


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(max(min(lat, 85.0), -85.0)) / 2))


def map_view(
    atlas: Atlas, stops: Sequence[Stop], stop: Stop, width: int = MAP_WIDTH, height: int = STRIP_HEIGHT
) -> tuple[list[float], int]:
    """Centre ([lat, lon]) and zoom that fit the step's places in a ``width``×``height`` map;
    if it names none, the countries it names (Iraq and Syria, say: not an empty map, nor
    places that are not the step's); if it names neither, the region the documents are about."""
    ids = [p for p in stop.event.places if p in atlas.places]
    if ids:
        south, north = min(atlas.places[p].lat for p in ids), max(atlas.places[p].lat for p in ids)
        west, east = min(atlas.places[p].lon for p in ids), max(atlas.places[p].lon for p in ids)
    else:
        (south, west), (north, east) = country_bounds(stop.event.countries) or REGION
    centre_y = (_mercator_y(south) + _mercator_y(north)) / 2
    centre = [round(math.degrees(2 * math.atan(math.exp(centre_y)) - math.pi / 2), 4), round((west + east) / 2, 4)]
    zoom = FIT_MAX_ZOOM
    for pixels, span in ((width, (east - west) / 360), (height, (_mercator_y(north) - _mercator_y(south)) / (2 * math.pi))):
        if span > 0:
            zoom = min(zoom, math.floor(math.log2(max(pixels - 2 * FIT_PADDING, 1) / 256 / span)))
    return centre, max(zoom, 1)


def country_bounds(countries: Iterable[str]) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """((south, west), (north, east)) around the countries' outlines (ISO alpha-3 codes the
    outlines know), or None."""
    from .maps import countries_frame

    frame = countries_frame()
    shapes = frame[frame["iso_a3"].isin(list(countries))]
    if shapes.empty:
        return None
    west, south, east, north = (float(v) for v in shapes.total_bounds)
    return (south, west), (north, east)


def _inside(lat: float, lon: float) -> bool:
    (south, west), (north, east) = REGION
    return south <= lat <= north and west <= lon <= east
