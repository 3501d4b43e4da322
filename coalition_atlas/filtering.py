"""Which events a view shows: the sidebar filters applied to the record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .models import Event
from .viewstate import ViewState


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
