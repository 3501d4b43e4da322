"""Which events a view shows: the sidebar filters applied to the record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .models import Event
from .viewstate import ViewState

if TYPE_CHECKING:
    from .load import Atlas


def matches(event: Event, state: ViewState) -> bool:
    if state.countries and not set(event.countries) & set(state.countries):
        return False
    if state.categories and event.category not in state.categories:
        return False
    if state.docs and not {s.doc for s in event.sources} & set(state.docs):
        return False
    # an event covers a span (a year, a month, a day): keep it if the span meets the range
    if state.start and event.end < state.start:
        return False
    if state.end and event.start > state.end:
        return False
    return True


def filter_events(events: Iterable[Event], state: ViewState) -> list[Event]:
    return [e for e in events if matches(e, state)]


def events_at_place(events: Iterable[Event], place: str | None) -> list[Event]:
    events = list(events)
    return events if place is None else [e for e in events if place in e.places]


def date_span(events: Iterable[Event]) -> tuple[dt.date, dt.date]:
    events = list(events)
    return min(e.start for e in events), max(e.end for e in events)


def describe(state: ViewState, atlas: Atlas) -> list[tuple[str, str]]:
    """The filters that are on, in ``state.lang``: (what, which) pairs, e.g. ("Countries",
    "Libya, Iraq"); empty when nothing is filtered. Plain text (escape it where it lands)."""
    from .i18n import category_label, format_day, t
    from .load import country_name

    lang = state.lang
    sep = "، " if lang == "ar" else ", "
    rows = []
    if state.countries:
        rows.append((t("countries", lang), sep.join(country_name(c, lang) for c in state.countries)))
    if state.categories:
        rows.append((t("categories", lang), sep.join(category_label(c, lang) for c in state.categories)))
    if state.docs:
        rows.append((t("documents", lang), sep.join(_doc_name(atlas, d, lang) for d in state.docs)))
    if state.start or state.end:
        first, last = date_span(atlas.events)
        rows.append((t("date_range", lang), f"{format_day(state.start or first, lang)} – {format_day(state.end or last, lang)}"))
    return rows


def _doc_name(atlas: Atlas, doc: str, lang: str) -> str:
    """A document in a few words: "Statement · 22 March 2017" (its title is a sentence)."""
    from .i18n import format_day, t

    found = atlas.documents.get(doc)
    return f"{t(found.meta.kind, lang)} · {format_day(found.meta.date, lang)}" if found else doc


def month_bounds(first: dt.date, last: dt.date) -> tuple[list[dt.date], list[dt.date]]:
    """The months from ``first`` to ``last``: the day each starts (``first`` itself for the
    first) and the day each ends (``last`` itself for the last), for a range picked by month."""
    starts, ends = [], []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        begin = dt.date(year, month, 1)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        end = dt.date(year, month, 1) - dt.timedelta(days=1)
        starts.append(max(begin, first))
        ends.append(min(end, last))
    return starts, ends


def ordered(events: Iterable[Event]) -> list[Event]:
    """Events in date order (first day, last day, id): the order of every export."""
    return sorted(events, key=lambda e: (e.start, e.end, e.id))
