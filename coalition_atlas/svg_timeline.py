"""The briefing pack's timeline as SVG text: drawn here, in Python, not in the reader's browser.

The dashboard's visual language (``timeline.py``, whose constants and helpers it imports): one
mark per event where ``timeline.positions`` puts it, one lane per category in its Okabe–Ito
colour (a swatch beside the lane's label says which), the shape saying the dating (filled
circle ``on``, hollow diamond ``reported``, hollow triangle ``planned``; a legend below), a
thin line with end ticks over the month or the year of a date that names no day (dashed when
planned), the shaded "Before 2017" band for earlier events, years and quarters on the axis,
which runs right to left in Arabic, the lane labels then on the right.

Each mark is a link to its event's card in the pack (``<a href="#event-…">``) holding a
``<title>`` (date and title: the hover text, and the link's accessible name): it takes the
keyboard focus and shows it, and needs no script. Marks carry no text of their own, so that
10,000 events stay light. A ``viewBox`` lets it scale (the print style sheet zooms it).

Every text from the data goes through ``render.esc`` (element text and attribute values), and
a title sits between Unicode isolates, so that bidi controls in it cannot reorder the date.
The markup is well-formed XML as well as HTML: the string is also a standalone SVG file.
This module imports neither plotly nor streamlit.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable

from .i18n import Lang, category_label, dating_label, format_partial_date, isolate, t
from .models import Event
from .render import esc
from .timeline import (
    AXIS_END,
    AXIS_START,
    CATEGORY_COLORS,
    FONT,
    HEIGHT,
    LEGEND_COLOR,
    SIZE,
    axis,
    lanes,
    positions,
    quarters,
    ticks,
)
from .vocabulary import CATEGORIES, DATINGS

WIDTH = 960  # px, the pack's figure width
PAD = 10
GUTTER = 150  # the lane labels and their swatches
AXIS_BAND = 44  # the years (and the earlier band's two-line label) under the plot
LEGEND_BAND = 30
MARGIN_DAYS = 25  # room before the first and after the last day, as on the dashboard
STRIPE, BAND_FILL, GRID, GRID_MINOR = "#F5F5F5", "#E2E2E2", "#BBBBBB", "#EEEEEE"
TEXT = "#222222"

_R = SIZE / 2
# Plotly's marker paths at SIZE (circle, diamond, triangle-up), centred on 0,0
SHAPES: dict[str, str] = {
    "on": f"M{_R:g},0A{_R:g},{_R:g} 0 1,1 0,-{_R:g}A{_R:g},{_R:g} 0 0,1 {_R:g},0Z",
    "reported": "M{d},0L0,{d}L-{d},0L0,-{d}Z".format(d=round(_R * 1.3, 2)),
    "planned": "M-{w},{b}H{w}L0,-{r}Z".format(w=round(_R * 2 / 3**0.5, 2), b=round(_R / 2, 2), r=round(_R, 2)),
}


def _css() -> str:
    colours = "".join(f".ca-tl .ca-k-{esc(c)}{{color:{CATEGORY_COLORS[c]}}}" for c in CATEGORIES)
    return (
        f".ca-tl{{font-family:{FONT};font-size:14px;fill:{TEXT}}}"
        f"{colours}"
        ".ca-tl use{fill:#fff;stroke:currentColor;stroke-width:2}"
        ".ca-tl .ca-d-on use{fill:currentColor;stroke:#fff;stroke-width:1}"
        ".ca-tl .ca-sp{fill:none;stroke:currentColor;stroke-width:1.5}"
        ".ca-tl .ca-sp.ca-d-planned{stroke-dasharray:4 3}"
        ".ca-tl .ca-m{cursor:pointer;outline:none}"
        ".ca-tl .ca-m:hover use{stroke-width:3}"
        # the keyboard's focus: a black square around the mark, its outline black and thick
        ".ca-tl .ca-m:focus{outline:2px solid #000;outline-offset:2px}"
        ".ca-tl .ca-m:focus use{stroke:#000;stroke-width:3}"
    )


@functools.lru_cache(maxsize=4096)
def _date_label(date: str, lang: Lang) -> str:
    """An event's date in words (Babel), once per distinct date: 10,000 events share few."""
    return format_partial_date(date, lang)


def mark_title(event: Event, lang: Lang) -> str:
    """A mark's hover text (not yet escaped): its date, then its title (isolated)."""
    return f"{_date_label(event.date, lang)} · {isolate(event.title.get(lang))}"


def _n(value: float) -> str:
    """A coordinate: one decimal, no trailing zero."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _as_time(value: dt.date | dt.datetime) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())


def _text(x: float, y: float, text: str, anchor: str = "middle", central: bool = False) -> str:
    """A label at x, y (its baseline, or its middle when ``central``)."""
    middle = ' dominant-baseline="central"' if central else ""
    return f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}"{middle}>{esc(text)}</text>'


def timeline_svg(
    events: Iterable[Event],
    lang: Lang,
    *,
    width: int = WIDTH,
    height: int = HEIGHT,
    label: str | None = None,
    svg_id: str = "ca-timeline-svg",
) -> str:
    """The timeline of ``events`` in ``lang`` as an ``<svg>`` element (a string), ``width`` by
    ``height`` px with a matching viewBox. ``label``: its accessible name."""
    events = list(events)
    rtl = lang == "ar"
    start, end, band = axis(events) if events else (AXIS_START, AXIS_END, None)
    where = positions(events)
    lane_of = lanes()
    n = len(CATEGORIES)

    # the plot's frame, in px; the lane labels stand left of it (right of it in Arabic)
    x0, x1 = (PAD, width - PAD - GUTTER) if rtl else (PAD + GUTTER, width - PAD)
    y0, y1 = PAD, height - PAD - AXIS_BAND - LEGEND_BAND
    left = _as_time(band[0] if band else start) - dt.timedelta(days=MARGIN_DAYS)
    right = _as_time(end) + dt.timedelta(days=MARGIN_DAYS)
    days = (right - left).total_seconds() / 86400

    def xpx(value: dt.date | dt.datetime) -> float:
        frac = (_as_time(value) - left).total_seconds() / 86400 / days
        return x1 - frac * (x1 - x0) if rtl else x0 + frac * (x1 - x0)

    def ypx(lane: float) -> float:
        return y0 + (n - 0.4 - lane) / n * (y1 - y0)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{esc(svg_id)}" class="ca-tl" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" direction="{"rtl" if rtl else "ltr"}" role="group"'
        + (f' aria-label="{esc(label)}"' if label else "")
        + ">",
        f"<style>{_css()}</style>",
        "<defs>" + "".join(f'<path id="ca-tl-{d}" d="{SHAPES[d]}"/>' for d in DATINGS) + "</defs>",
    ]

    # the paper: lane stripes, quarters and years, the earlier band over them
    paper = ['<g aria-hidden="true">']
    lo, hi = min(x0, x1), max(x0, x1)
    for i in range(0, n, 2):
        paper.append(f'<rect x="{lo}" y="{_n(ypx(i + 0.5))}" width="{hi - lo}" height="{_n(ypx(i - 0.5) - ypx(i + 0.5))}" fill="{STRIPE}"/>')
    tick_days, tick_text = ticks(start, end)
    for day in quarters(start, end):
        if left <= _as_time(day) <= right:
            paper.append(f'<path d="M{_n(xpx(day))},{y0}V{y1}" stroke="{GRID_MINOR}"/>')
    for day in tick_days:
        if left <= _as_time(day) <= right:
            paper.append(f'<path d="M{_n(xpx(day))},{y0}V{y1}" stroke="{GRID}"/>')
    for day, text in zip(tick_days, tick_text):
        if left <= _as_time(day) <= right:
            paper.append(_text(xpx(day), y1 + 20, text))
    if band:
        a, b = xpx(band[0]), xpx(band[1])
        paper.append(f'<rect class="ca-tl-earlier" x="{_n(min(a, b))}" y="{y0}" width="{_n(abs(b - a))}" height="{y1 - y0}" fill="{BAND_FILL}"/>')
        first, _, rest = t("earlier", lang).partition(" ")
        paper.append(
            f'<text x="{_n((a + b) / 2)}" y="{y1 + 20}" text-anchor="middle">{esc(first)}'
            + (f'<tspan x="{_n((a + b) / 2)}" dy="17">{esc(rest)}</tspan>' if rest else "")
            + "</text>"
        )
    paper.append("</g>")
    out += paper

    # the lanes' labels, each with its colour
    for cat in CATEGORIES:
        y = ypx(lane_of[cat])
        swatch = x1 + 6 if rtl else x0 - 16
        out.append(f'<rect class="ca-k-{esc(cat)}" x="{_n(swatch)}" y="{_n(y - 5)}" width="10" height="10" fill="currentColor"/>')
        # Arabic: right to left, so "end" is the left edge, next to the swatch
        out.append(_text(x1 + 22 if rtl else x0 - 22, y, category_label(cat, lang), "end", central=True))

    # spans of months and years, under the marks
    out.append('<g aria-hidden="true">')
    for e in events:
        if e.precision == "day" or (band and e.start < start):
            continue
        y = ypx(where[e.id][1])
        a, b = xpx(e.start), xpx(e.end + dt.timedelta(days=1))
        out.append(
            f'<path class="ca-sp ca-k-{esc(e.category)} ca-d-{esc(e.dating)}" '
            f'd="M{_n(a)},{_n(y)}H{_n(b)}M{_n(a)},{_n(y - 4)}v8M{_n(b)},{_n(y - 4)}v8"/>'
        )
    out.append("</g>")

    # the marks: links to the events' cards, in the order given (the pack's date order)
    out.append('<g class="ca-marks">')
    for e in events:
        x, lane = where[e.id]
        out.append(
            f'<a class="ca-m ca-k-{esc(e.category)} ca-d-{esc(e.dating)}" href="#event-{esc(e.id)}">'
            f"<title>{esc(mark_title(e, lang))}</title>"
            f'<use href="#ca-tl-{esc(e.dating)}" x="{_n(xpx(x))}" y="{_n(ypx(lane))}"/></a>'
        )
    out.append("</g>")

    # the legend: the shapes, in a neutral colour (the colours are the lanes')
    out.append(f'<g class="ca-tl-legend" style="color:{LEGEND_COLOR}">')
    y = height - PAD - LEGEND_BAND / 2
    x = x1 - 8 if rtl else x0 + 8
    for dating in DATINGS:
        text = dating_label(dating, lang)
        out.append(f'<g class="ca-d-{dating}"><use href="#ca-tl-{dating}" x="{_n(x)}" y="{_n(y)}"/></g>')
        out.append(_text(x - 14 if rtl else x + 14, y, text, "start", central=True))
        step = 14 + (6.5 if rtl else 7.5) * len(text) + 30  # a generous guess at the label's width, then a gap
        x = x - step if rtl else x + step
    out.append("</g></svg>")
    return "".join(out)
