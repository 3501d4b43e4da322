"""What every session may share: built once per record, view and language (st.cache_resource).

The overview runs twice on a first load (the map reports back once drawn), and a room of
viewers often looks at the same view: the timeline's figure (0.05 s for the real record,
0.5 s at 10,000 events) is built once. The figure is only read afterwards (st.plotly_chart
serialises it), so one object can serve every session.
"""

from __future__ import annotations

import streamlit as st

from coalition_atlas.filtering import date_span
from coalition_atlas.load import Atlas
from coalition_atlas.timeline import timeline_figure
from coalition_atlas.viewstate import ViewState


def _filters(state: ViewState) -> tuple:
    return (state.countries, state.categories, state.docs, state.start, state.end)


@st.cache_resource(show_spinner=False, max_entries=128)
def _timeline(_events, token: int, filters: tuple, lang: str, selected: str | None, place: str | None):
    return timeline_figure(_events, lang, selected=selected, highlight_place=place)


def timeline(record: Atlas, events, state: ViewState):
    """``timeline_figure(events, …)`` for ``state`` (``events``: the record filtered by it)."""
    return _timeline(events, record.token, _filters(state), state.lang, state.event, state.place)


@st.cache_resource(show_spinner=False, max_entries=4)
def span_and_countries(_record: Atlas, token: int) -> tuple[tuple, tuple[str, ...]]:
    """The record's date span and the countries its events name (for the sidebar; call with
    ``record.token``)."""
    return date_span(_record.events), tuple(sorted({c for e in _record.events for c in e.countries}))


if __name__ == "__main__":  # a fresh server serves pages/_cached.py at /_cached too: not a page
    st.switch_page("pages/overview.py")
