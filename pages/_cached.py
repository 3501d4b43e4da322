"""What every session may share: built once per record, view and language, in module-level
memos (``coalition_atlas.memo``: a client's ``clear_cache`` cannot empty them).

The overview runs twice on a first load (the map reports back once drawn), and a room of
viewers often looks at the same view: the timeline's figure (0.05 s for the real record,
0.5 s at 10,000 events) is built once. The figure is only read afterwards (st.plotly_chart
serialises it), so one object can serve every session.
"""

from __future__ import annotations

from coalition_atlas.filtering import date_span
from coalition_atlas.load import Atlas
from coalition_atlas.memo import memo
from coalition_atlas.timeline import timeline_figure
from coalition_atlas.viewstate import ViewState


def _filters(state: ViewState) -> tuple:
    return (state.countries, state.categories, state.docs, state.start, state.end)


@memo(max_entries=128, ignore=(0,))
def _timeline(_events, token: int, filters: tuple, lang: str, selected: str | None, place: str | None):
    return timeline_figure(_events, lang, selected=selected, highlight_place=place)


def timeline(record: Atlas, events, state: ViewState):
    """``timeline_figure(events, …)`` for ``state`` (``events``: the record filtered by it)."""
    return _timeline(events, record.token, _filters(state), state.lang, state.event, state.place)


@memo(max_entries=4, ignore=(0,))
def span_and_countries(_record: Atlas, token: int) -> tuple[tuple, tuple[str, ...]]:
    """The record's date span and the countries its events name (for the sidebar; call with
    ``record.token``)."""
    return date_span(_record.events), tuple(sorted({c for e in _record.events for c in e.countries}))


# --- the presenter ---------------------------------------------------------------------------------
# (here, not in pages/presenter.py: a page's script runs afresh on every run, so a memo defined
# there would be a new, empty one each time)

@memo(max_entries=4)
def walks(mtime: float, event_ids: tuple[str, ...]):
    """tours.yaml's tours (or its RecordError), once per file version and record."""
    from coalition_atlas import tours
    from coalition_atlas.problems import RecordError

    try:
        return tours.load_tours(set(event_ids))
    except RecordError as err:
        return err


@memo(max_entries=256, ignore=(0,))
def presenter_timeline(_record: Atlas, token: int, lang: str, event_ids: tuple[str, ...], selected: str, height: int):
    """The strip's timeline, built once per step and shared (75 ms of Plotly per key press)."""
    from coalition_atlas import tours

    return tours.presenter_timeline([tours.Stop(_record.event(i)) for i in event_ids], lang, selected, height)


@memo(max_entries=8, ignore=(0,))
def tour_map(_record: Atlas, token: int, lang: str, event_ids: tuple[str, ...]):
    """The tour's map, built once per tour and language. streamlit-folium adds the step's rings
    to the map it is given: give it a copy (``copy.deepcopy``, ~1 ms), never this one."""
    from coalition_atlas import tours

    return tours.tour_map(_record, [tours.Stop(_record.event(i)) for i in event_ids], lang)


if __name__ == "__main__":  # a fresh server serves pages/_cached.py at /_cached too: not a page
    st.switch_page("pages/overview.py")
