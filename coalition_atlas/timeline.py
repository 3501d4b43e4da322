"""The timeline: one mark per event on a date axis, one lane per category (Plotly, SVG).

Shape says how the date relates to what happened (``on`` filled circle, ``reported`` hollow
diamond, ``planned`` hollow triangle); colour repeats the lane's category (Okabe–Ito), so
nothing rests on colour alone. A month or a year is drawn at the middle of its span with the
span as a thin line, so that it does not pretend to a day. Events before 2017 sit in a
compressed, shaded band at the start of the axis: never dropped, never stretching the axis.
In Arabic the time axis runs right to left and the lane labels stand on the right.

Plotly interprets a subset of HTML in hover text and labels, so every text from the record is
passed through ``escaping.esc(text, "plotly")`` here (``esc`` below).

Above :data:`GL_ABOVE` events (the benchmark's synthetic records) the same figure is drawn for
a large record: the marks as WebGL (``go.Scattergl``, one canvas instead of one SVG element per
mark), the spans of months and years as one line trace per dating and category (segments
separated by ``None``, without end ticks), and sizes and opacities as one value per trace while
nothing is emphasised. The contract the pages, the tests and the benchmark read is the same:
the event traces have ``meta == "events"`` and one ``customdata`` id per mark.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
import functools
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .escaping import esc as _esc
from .gazetteer import Place
from .i18n import LRI, PDI, RLI, Lang, category_label, dating_label, format_partial_date, isolate, t
from .load import country_name
from .models import Event
from .vocabulary import CATEGORIES, DATINGS

FONT = '"Noto Naskh Arabic", "Source Sans Pro", sans-serif'

# Okabe & Ito (2008), the colour-blind-safe palette; the lanes repeat it, shapes add to it.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
CATEGORY_COLORS: dict[str, str] = {
    "territory": OKABE_ITO["vermillion"],
    "military": OKABE_ITO["black"],
    "stabilization": OKABE_ITO["bluish_green"],
    "humanitarian": OKABE_ITO["reddish_purple"],
    "political": OKABE_ITO["blue"],
    "diplomacy": OKABE_ITO["orange"],
    "security": OKABE_ITO["sky_blue"],
    "messaging": OKABE_ITO["yellow"],
}
SYMBOLS: dict[str, str] = {"on": "circle", "reported": "diamond-open", "planned": "triangle-up-open"}
LEGEND_COLOR = "#333333"

AXIS_START = dt.date(2017, 1, 1)
AXIS_END = dt.date(2019, 12, 31)
SIZE, SIZE_PLACE, SIZE_SELECTED = 11, 14, 17  # a mark; at the highlighted place; selected
DIM = 0.5  # opacity of the other marks while one is selected or a place is highlighted
STEP = 0.013  # a cluster's columns, as a fraction of the axis (about 12 px)
ROW = 0.31  # a cluster's rows, in lanes (three rows to a lane)
HEIGHT = 460
EARLIER_BELOW = 26  # px below the plot: the "Before 2017" label's row, under the years' row
GL_ABOVE = 500  # events: more are drawn for a large record (WebGL marks, spans merged)


esc = functools.partial(_esc, context="plotly")  # Plotly's hover and labels (escaping.py)


# --- where each mark goes ----------------------------------------------------------------------

def _midpoint(event: Event) -> dt.datetime:
    """The middle of the span a partial date covers (a day: that day)."""
    start = dt.datetime.combine(event.start, dt.time())
    if event.precision == "day":
        return start
    return start + (dt.datetime.combine(event.end, dt.time()) + dt.timedelta(days=1) - start) / 2


def _axis(events: list[Event]) -> tuple[dt.date, dt.date, tuple[dt.date, dt.date] | None]:
    """The main axis (2017 to the end of 2019, or wider) and the band for earlier events."""
    end = max([AXIS_END] + [e.end for e in events if e.end > AXIS_END])
    if not any(e.start < AXIS_START for e in events):
        return AXIS_START, end, None
    days = (end - AXIS_START).days
    gap, width = round(days * 0.04), round(days * 0.11)
    band_end = AXIS_START - dt.timedelta(days=gap)
    return AXIS_START, end, (band_end - dt.timedelta(days=width), band_end)


def _lanes() -> dict[str, int]:
    """Lane of each category: the first category on top."""
    n = len(CATEGORIES)
    return {cat: n - 1 - i for i, cat in enumerate(CATEGORIES)}


def positions(events: Iterable[Event]) -> dict[str, tuple[dt.datetime, float]]:
    """Where each event's mark goes: (x, y). In date order, each mark takes the free slot
    nearest its date in its lane (three rows, then columns a few days apart): marks that share
    a date and a lane form a small deterministic cluster and none hides another. Hover always
    gives the real date.

    Above GL_ABOVE events the lanes hold more marks than they have slots near their dates (at
    10,000 events most marks would find none after twelve columns), so each mark stays at its
    own date and the marks of a lane take its three rows in turn, in date order."""
    events = list(events)
    if not events:
        return {}
    start, end, band = _axis(events)
    lanes = _lanes()
    earlier = sorted({e.date for e in events if e.start < start})  # ISO partial dates sort as text
    x_of: dict[str, dt.datetime] = {}
    for e in events:
        if band and e.start < start:
            width = band[1] - band[0]
            slot = (earlier.index(e.date) + 0.5) / len(earlier)
            x_of[e.id] = dt.datetime.combine(band[0], dt.time()) + width * slot
        else:
            x_of[e.id] = _midpoint(e)
    step = dt.timedelta(days=((end - (band[0] if band else start)).days or 1) * STEP)
    near = step * 0.9  # two marks closer than this in one row of one lane would overlap
    rows = (0.0, ROW, -ROW)  # rows of a lane: only marks in the same row can overlap
    out: dict[str, tuple[dt.datetime, float]] = {}
    # the x of every mark placed so far, sorted, per (lane, row): a slot is free when no mark
    # of its row lies within ``near`` (found by bisection: 10,000 events in well under a second)
    placed: dict[tuple[str, float], list[dt.datetime]] = defaultdict(list)
    order = {d: i for i, d in enumerate(DATINGS)}

    def free(category: str, dy: float, x: dt.datetime) -> bool:
        xs = placed[(category, dy)]
        i = bisect.bisect_right(xs, x - near)  # the first mark right of x - near
        return i == len(xs) or not xs[i] < x + near

    if len(events) > GL_ABOVE:
        turn: dict[str, int] = defaultdict(int)
        for e in sorted(events, key=lambda e: (x_of[e.id], order[e.dating], e.id)):
            out[e.id] = (x_of[e.id], lanes[e.category] + rows[turn[e.category] % 3])
            turn[e.category] += 1
        return out
    for e in sorted(events, key=lambda e: (x_of[e.id], order[e.dating], e.id)):
        for col in (0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6):  # the nearest free slot
            x = x_of[e.id] + step * col
            open_rows = [dy for dy in rows if free(e.category, dy, x)]
            if open_rows:
                break
        dy = open_rows[0] if open_rows else 0.0
        bisect.insort(placed[(e.category, dy)], x)
        out[e.id] = (x, lanes[e.category] + dy)
    return out


# --- the figure ---------------------------------------------------------------------------------

@lru_cache(maxsize=8192)
def _date_label(date: str, lang: Lang) -> str:  # a few thousand dates at most; Babel is slow
    return format_partial_date(date, lang)


def _line(lang: Lang, text: str) -> str:
    """One line of a hover label in the language's direction, whatever the label's own:
    Plotly's hover text is SVG, where no markup can set a direction, so each line sits between
    a right-to-left (or left-to-right) isolate and its end (U+2067/U+2066 … U+2069)."""
    return f"{RLI if lang == 'ar' else LRI}{text}{PDI}"


def hover_text(event: Event, lang: Lang) -> str:
    """The hover label: date (bold) and dating, title, category; each run isolated (FSI … PDI)
    so that a date such as «22 آذار/مارس 2017» reads in its own order."""
    return (
        _line(lang, f"<b>{isolate(esc(_date_label(event.date, lang)))}</b> · {isolate(esc(dating_label(event.dating, lang)))}") + "<br>"
        + _line(lang, isolate(esc(event.title.get(lang)))) + "<br>"
        + _line(lang, isolate(esc(category_label(event.category, lang))))
    )


def _quarters(start: dt.date, end: dt.date) -> list[dt.date]:
    return [dt.date(y, m, 1) for y in range(start.year, end.year + 1) for m in (4, 7, 10)]


def _ticks(start: dt.date, end: dt.date) -> tuple[list, list]:
    vals: list[Any] = [dt.date(y, 1, 1) for y in range(start.year, end.year + 2)]
    text = [str(v.year) for v in vals]
    return vals, text


def timeline_figure(
    events: Iterable[Event], lang: Lang, selected: str | None = None, highlight_place: str | None = None
) -> go.Figure:
    """The timeline of ``events``: one mark per event, one trace per dating."""
    events = list(events)
    fig = go.Figure()
    start, end, band = _axis(events) if events else (AXIS_START, AXIS_END, None)
    where = positions(events)
    lanes = _lanes()
    emphasised = {e.id for e in events if e.id == selected or (highlight_place and highlight_place in e.places)}
    dimming = bool(emphasised)
    large = len(events) > GL_ABOVE

    for dating in DATINGS:
        # the legend: one neutral mark per dating, whatever the lane colours
        fig.add_trace(
            go.Scatter(
                x=[None], y=[None], mode="markers", name=dating_label(dating, lang), legendgroup=dating,
                marker=dict(symbol=SYMBOLS[dating], size=SIZE, color=LEGEND_COLOR, line=dict(width=2, color=LEGEND_COLOR)),
                hoverinfo="skip",
            )
        )
    for dating in DATINGS:
        group = [e for e in events if e.dating == dating]
        if not group:
            continue
        if large:
            _merged_spans(fig, group, dating, where, emphasised, dimming, band, start)
        for e in group if not large else ():  # the span of a month or a year, as a thin line with end ticks
            if e.precision == "day" or (band and e.start < start):
                continue
            y = where[e.id][1]
            fig.add_trace(
                go.Scatter(
                    x=[e.start, e.end + dt.timedelta(days=1)], y=[y, y], mode="lines+markers",
                    line=dict(color=CATEGORY_COLORS[e.category], width=1.5, dash="dash" if dating == "planned" else "solid"),
                    marker=dict(symbol="line-ns-open", size=8, color=CATEGORY_COLORS[e.category]),
                    opacity=1.0 if not dimming or e.id in emphasised else DIM,
                    showlegend=False, legendgroup=dating, hoverinfo="skip", name=f"span:{e.id}",
                )
            )
        filled = dating == "on"
        if large:
            _large_marks(fig, group, dating, lang, where, selected, emphasised, dimming)
            continue
        fig.add_trace(
            go.Scatter(
                x=[where[e.id][0] for e in group],
                y=[where[e.id][1] for e in group],
                mode="markers",
                name=dating_label(dating, lang),
                legendgroup=dating,
                showlegend=False,
                customdata=[e.id for e in group],
                text=[hover_text(e, lang) for e in group],
                hovertemplate="%{text}<extra></extra>",
                marker=dict(
                    symbol=SYMBOLS[dating],
                    color=[CATEGORY_COLORS[e.category] for e in group],
                    size=[SIZE_SELECTED if e.id == selected else SIZE_PLACE if e.id in emphasised else SIZE for e in group],
                    opacity=[1.0 if not dimming or e.id in emphasised else DIM for e in group],
                    line=dict(width=1 if filled else 2, color="#FFFFFF" if filled else None),
                ),
                selected=dict(marker=dict(opacity=1.0)),
                unselected=dict(marker=dict(opacity=DIM if dimming else 0.85)),
                meta="events",
            )
        )
    for ids, color, width, size, name in (
        ([i for i in sorted(emphasised) if i != selected], "#333333", 1.5, SIZE_PLACE + 8, "place"),
        ([selected] if selected in where else [], "#111111", 3, SIZE_SELECTED + 12, "selected"),
    ):
        if ids:  # a ring around the emphasised marks
            fig.add_trace(
                go.Scatter(
                    x=[where[i][0] for i in ids], y=[where[i][1] for i in ids], mode="markers", name=name,
                    marker=dict(symbol="circle-open", size=size, color=color, line=dict(width=width)),
                    hoverinfo="skip", showlegend=False,
                )
            )

    left = (band[0] if band else start) - dt.timedelta(days=25)
    right = end + dt.timedelta(days=25)
    rtl = lang == "ar"
    tickvals, ticktext = _ticks(start, end)
    n = len(CATEGORIES)
    fig.update_layout(
        height=HEIGHT,
        margin=dict(l=10, r=10, t=10, b=10),
        font=dict(family=FONT, size=14, color="#222222"),
        hoverlabel=dict(font=dict(family=FONT, size=15), align="right" if rtl else "left"),
        legend=dict(
            orientation="h", yanchor="top", y=-0.17, xanchor="right" if rtl else "left", x=1 if rtl else 0,
            font=dict(family=FONT, size=14), traceorder="reversed" if rtl else "normal",
        ),
        dragmode=False,
        clickmode="event+select",
        hovermode="closest",
        plot_bgcolor="#FFFFFF",
        paper_bgcolor="rgba(0,0,0,0)",
        xaxis=dict(
            type="date",
            range=[right, left] if rtl else [left, right],
            tickvals=tickvals,
            ticktext=ticktext,
            showgrid=True,
            gridcolor="#BBBBBB",
            minor=dict(tickvals=_quarters(start, end), showgrid=True, gridcolor="#EEEEEE"),
            zeroline=False,
            fixedrange=True,
            automargin=True,
        ),
        yaxis=dict(
            tickvals=[lanes[c] for c in CATEGORIES],
            ticktext=[esc(category_label(c, lang)) for c in CATEGORIES],
            range=[-0.6, n - 0.4],
            side="right" if rtl else "left",
            showgrid=False,
            zeroline=False,
            fixedrange=True,
            ticks="",
            ticklabelstandoff=8,
            automargin=True,
        ),
    )
    for i in range(n):  # light stripes between lanes
        if i % 2 == 0:
            fig.add_shape(
                type="rect", xref="paper", yref="y", x0=0, x1=1, y0=i - 0.5, y1=i + 0.5,
                fillcolor="#F5F5F5", line=dict(width=0), layer="below",
            )
    if band:  # the earlier band: shaded over the stripes and the grid, under the marks
        fig.add_shape(
            type="rect", xref="x", yref="paper", x0=band[0], x1=band[1], y0=0, y1=1,
            fillcolor="#E2E2E2", line=dict(width=0), layer="between", name="earlier",
        )
        fig.add_annotation(  # its label, a row below the years: on a phone the band is narrower than
            # its label, which then reaches under "2017" (beside the years, they overlapped)
            x=band[0] + (band[1] - band[0]) / 2, xref="x", y=0, yref="paper", yanchor="top", yshift=-EARLIER_BELOW,
            text=esc(t("earlier", lang)), showarrow=False, name="earlier",
            font=dict(family=FONT, size=14, color="#222222"),
        )
    return fig


def _large_marks(
    fig: go.Figure, group: list[Event], dating: str, lang: Lang, where: Mapping[str, tuple[dt.datetime, float]],
    selected: str | None, emphasised: set[str], dimming: bool,
) -> None:
    """A large record's marks of one dating: WebGL, one trace per category (its colour one
    value), the arrays as numpy arrays (plotly checks them at once, not item by item; y goes
    to the browser as binary), sizes and opacities one value while nothing is emphasised."""
    filled = dating == "on"
    by_category: dict[str, list[Event]] = defaultdict(list)
    for e in group:
        by_category[e.category].append(e)
    for category in CATEGORIES:
        marks = by_category.get(category)
        if not marks:
            continue
        if dimming:
            size: Any = np.array([SIZE_SELECTED if e.id == selected else SIZE_PLACE if e.id in emphasised else SIZE for e in marks])
            opacity: Any = np.array([1.0 if e.id in emphasised else DIM for e in marks])
        else:
            size, opacity = SIZE, 1.0
        fig.add_trace(
            go.Scattergl(
                x=np.array([where[e.id][0] for e in marks], dtype="datetime64[us]"),
                y=np.array([where[e.id][1] for e in marks], dtype=float),
                mode="markers",
                name=dating_label(dating, lang),
                legendgroup=dating,
                showlegend=False,
                customdata=np.array([e.id for e in marks], dtype=object),
                # hover_text's lines, with what the whole trace shares (dating, category) said
                # once in the template: per mark only the date and the title
                text=np.array([isolate(esc(_date_label(e.date, lang))) for e in marks], dtype=object),
                hovertext=np.array([isolate(esc(e.title.get(lang))) for e in marks], dtype=object),
                hovertemplate=(
                    _line(lang, f"<b>%{{text}}</b> · {_template_safe(isolate(esc(dating_label(dating, lang))))}") + "<br>"
                    + _line(lang, "%{hovertext}") + "<br>"
                    + _line(lang, _template_safe(isolate(esc(category_label(category, lang))))) + "<extra></extra>"
                ),
                marker=dict(
                    symbol=SYMBOLS[dating],
                    color=CATEGORY_COLORS[category],
                    size=size,
                    opacity=opacity,
                    line=dict(width=1 if filled else 2, color="#FFFFFF" if filled else None),
                ),
                selected=dict(marker=dict(opacity=1.0)),
                unselected=dict(marker=dict(opacity=DIM if dimming else 0.85)),
                meta="events",
            )
        )


def _template_safe(text: str) -> str:
    """Text put into a hovertemplate itself: '%{' would open a variable."""
    return text.replace("%{", "%\u200b{")


def _merged_spans(
    fig: go.Figure, group: list[Event], dating: str, where: Mapping[str, tuple[dt.datetime, float]],
    emphasised: set[str], dimming: bool, band: tuple[dt.date, dt.date] | None, start: dt.date,
) -> None:
    """A large record's spans of months and years: one WebGL line trace per category (and per
    strength while something is emphasised), segments separated by None, no end ticks."""
    segments: dict[tuple[str, bool], tuple[list, list]] = {}
    for e in group:
        if e.precision == "day" or (band and e.start < start):
            continue
        y = where[e.id][1]
        xs, ys = segments.setdefault((e.category, not dimming or e.id in emphasised), ([], []))
        xs += [e.start, e.end + dt.timedelta(days=1), None]
        ys += [y, y, None]
    for (category, strong), (xs, ys) in segments.items():
        fig.add_trace(
            go.Scattergl(
                x=xs, y=ys, mode="lines", connectgaps=False,
                line=dict(color=CATEGORY_COLORS[category], width=1.5, dash="dash" if dating == "planned" else "solid"),
                opacity=1.0 if strong else DIM, showlegend=False, legendgroup=dating, hoverinfo="skip",
                name=f"spans:{dating}:{category}",
            )
        )


def event_points(fig: go.Figure) -> list[str]:
    """The event ids the figure marks, across its traces (one per mark)."""
    return [i for trace in fig.data if trace.meta == "events" for i in trace.customdata]


# --- the accessible table ------------------------------------------------------------------------

TABLE_COLUMNS = ("date", "date_label", "title", "category", "dating", "countries", "places", "event")
_HEADERS = {"date": "date", "date_label": "date", "title": "title", "category": "category", "dating": "dating",
            "countries": "countries", "places": "places"}


def table_labels(lang: Lang) -> dict[str, str]:
    """Column headings of ``event_table`` in ``lang``."""
    labels = {col: t(key, lang) for col, key in _HEADERS.items()}
    labels["date"] = f"{labels['date']} (ISO)"
    labels["event"] = "id"
    return labels


def event_table(events: Iterable[Event], lang: Lang, places: Mapping[str, Place]) -> pd.DataFrame:
    """One row per event, in date order: the chart's content as a table (labels in ``lang``).
    ``date`` is the ISO partial date (it sorts as text); ``date_label`` says it in words."""
    sep = "، " if lang == "ar" else ", "
    rows = [
        {
            "date": e.date,
            "date_label": format_partial_date(e.date, lang),
            "title": e.title.get(lang),
            "category": category_label(e.category, lang),
            "dating": dating_label(e.dating, lang),
            "countries": sep.join(country_name(c, lang) for c in e.countries),
            "places": sep.join(places[p].name(lang) if p in places else p for p in e.places),
            "event": e.id,
        }
        for e in sorted(events, key=lambda e: (e.start, e.end, e.id))
    ]
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS))


# --- what the chart reports back -----------------------------------------------------------------

def _get(obj: Any, key: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(key)
    return getattr(obj, key, None)


def selected_event_id(selection: Any) -> str | None:
    """The event id of the last point selected in a Streamlit plotly selection event
    (``{"selection": {"points": [{"customdata": …}]}}``), or None. Takes the dict or the
    attribute-style object Streamlit returns, customdata as a string or a list."""
    if not selection:
        return None
    inner = _get(selection, "selection")
    points = _get(inner if inner is not None else selection, "points")
    if not isinstance(points, (list, tuple)):
        return None
    for point in reversed(points):
        data = _get(point, "customdata") if point is not None else None
        if isinstance(data, (list, tuple)):
            data = data[0] if data else None
        if isinstance(data, str) and data:
            return data
    return None


# --- public names for the briefing pack's SVG timeline (svg_timeline.py draws the same axis) ----
axis = _axis
lanes = _lanes
quarters = _quarters
ticks = _ticks
