"""Timeline page: the filtered events on a date axis, one lane per category.

An event is chosen by clicking its mark, by the list below the chart (the keyboard's way), or
by ?event=<id> in the URL; its whole text and quotes are shown, and the choice goes back into
the view state (and so the URL). The table lists what the chart shows.
"""

import streamlit as st

from coalition_atlas.filtering import filter_events
from coalition_atlas.i18n import format_partial_date, isolate, t
from coalition_atlas.render import event_detail_html
from coalition_atlas.timeline import event_table, selected_event_id, table_labels
from pages import _cached, _search, _ui
from pages._text import aligned

CHART, PICK, LAST_CLICK = "timeline_chart", "timeline_pick", "timeline_last_click"
WIDTHS = {"date": 95, "date_label": 135, "title": "large", "category": 140, "dating": 150,
          "countries": 160, "places": 130, "event": "medium"}

record = _ui.atlas()
state = _ui.view(record)
lang = state.lang
if state.event and record.event(state.event) is None:  # stale or mistyped id: no event chosen
    state = state.with_(event=None)
    _ui.set_view(state)


def _picked() -> None:
    _ui.set_view(st.session_state["view"].with_(event=st.session_state[PICK]))


say = aligned(lang)
say.title(t("timeline", lang), anchor=False)
events = filter_events(record.events, state)


@st.fragment
def chooser() -> None:
    """The chart, the list and the chosen event's detail: choosing an event reruns only this
    (st.fragment), not the sidebar nor the table."""
    state = _ui.view(record)
    clicked = selected_event_id(st.session_state.get(CHART))  # Streamlit keeps the selection between runs
    if clicked != st.session_state.get(LAST_CLICK):
        st.session_state[LAST_CLICK] = clicked
        if clicked and record.event(clicked) is not None:
            state = state.with_(event=clicked)
            _ui.set_view(state)
    chosen = record.event(state.event) if state.event else None
    # the chosen event beside the chart, where the eye is (on a narrow screen the columns
    # stack and it follows the list)
    chart_col, detail_col = st.columns([3, 2], gap="medium") if chosen is not None else (st.container(), None)
    with chart_col:
        if not events:
            st.info(t("no_events", lang))
        else:
            say.caption(t("timeline_hint", lang))
            st.plotly_chart(
                _cached.timeline(record, events, state), on_select="rerun", selection_mode="points", key=CHART, theme=None,
                config={"displaylogo": False, "displayModeBar": False, "scrollZoom": False},
                alt=t("timeline_alt", lang, n=len(events)),
            )
            by_id = {e.id: e for e in events}
            options = [e.id for e in sorted(events, key=lambda e: (e.start, e.id))]
            if state.event and state.event not in by_id:  # chosen, though the filters hide it
                options.insert(0, state.event)
            if st.session_state.get(PICK) != state.event:
                st.session_state[PICK] = state.event
            st.selectbox(
                t("select_event", lang), options, index=None, key=PICK, on_change=_picked, placeholder=t("select_event", lang),
                format_func=lambda i: f"{isolate(format_partial_date(record.event(i).date, lang))} — {record.event(i).title.get(lang)}",
            )
    if chosen is not None:
        with detail_col, st.container(height=620, border=False, key="timeline_detail"):
            _search.add_to_walk([chosen.id], "walk_add", "ca_walk_add_chosen", lang)
            say.markdown(event_detail_html(chosen, record, lang, level=2), unsafe_allow_html=True)


chooser()

if events:
    say.header(t("event_table", lang), anchor=False)  # h2 under the page's h1: no level skipped
    labels = table_labels(lang)
    align = "right" if lang == "ar" else "left"  # the grid is a canvas: no CSS reaches its cells
    table = event_table(events, lang, record.places)
    picked = st.dataframe(
        table, hide_index=True, key="timeline_table", on_select="rerun", selection_mode="multi-row",
        column_order=list(labels)[::-1] if lang == "ar" else None,  # the first column on the right
        column_config={col: st.column_config.TextColumn(label, width=WIDTHS[col], alignment=align) for col, label in labels.items()},
    )
    rows = [table["event"].iloc[i] for i in picked.selection.rows if i < len(table)]
    _search.add_to_walk(rows, "walk_add_selected", "ca_walk_add_rows", lang)
