"""Map page: the shown events' places on the map, the events beside it, a table below.

A place is chosen by clicking its marker or from the select box (keyboard-friendly); it is
kept in the URL (``?place=``) and narrows the list beside the map. The map, its markers and
popups are built in ``coalition_atlas.maps``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from coalition_atlas import maps
from coalition_atlas.filtering import events_at_place, filter_events
from coalition_atlas.i18n import category_label, format_partial_date, isolate, t
from coalition_atlas.load import country_name
from coalition_atlas.render import event_detail_html, md
from pages import _ui
from pages._text import aligned

LIST_MAX = 100  # expanders beside the map; the table below has every event

record = _ui.atlas()
state = _ui.view(record)  # st.session_state["view"] (set from the URL if this page runs first)
lang = state.lang
events = filter_events(record.events, state)
counts = maps.places_of(events, record)


def choose(pid: str | None) -> None:
    _ui.set_view(st.session_state["view"].with_(place=pid))


def on_map_click() -> None:
    pid = maps.place_for_click(st.session_state.get("map_click"), record)
    if pid:
        choose(pid)


def on_pick() -> None:
    choose(st.session_state["map_place_pick"])


def place_label(pid: str | None) -> str:
    if pid is None:
        return t("all_places", lang)
    return f"{isolate(record.places[pid].name(lang))} ({counts.get(pid, 0)})"


say = aligned(lang)
say.header(t("map", lang))
say.caption(t("map_hint", lang))


@st.fragment
def map_and_list() -> None:
    """The map and the list beside it: choosing a place reruns only this (st.fragment), not the
    sidebar nor the table below."""
    state = _ui.view(record)
    place = state.place if state.place in record.places else None
    options = [None, *counts] + ([place] if place and place not in counts else [])
    map_col, list_col = st.columns([3, 2], gap="medium")

    with map_col:
        _ui.frame_title(".st-key-ca_map_box iframe", t("map_frame_title", lang))  # st_folium's key is a hash
        online = st.checkbox(t("online_tiles", lang), key="map_online_tiles")
        # The choice is drawn as a separate layer: streamlit-folium swaps it without reloading the
        # map, so the popup of the marker just clicked stays open. The click count makes a second
        # click on the same marker (after "show all") count as a new choice.
        with st.container(key="ca_map_box"):
            st_folium(
                maps.event_map(record, events, lang, online_tiles=online), key="map_click", height=560, render=False,
                use_container_width=True, feature_group_to_add=maps.selection_layer(record, place, state.event),
                returned_objects=["last_object_clicked", "last_object_clicked_tooltip", "last_object_clicked_count"],
                on_change=on_map_click,
            )

    with list_col:
        if st.session_state.get("map_place_pick") != place:
            st.session_state["map_place_pick"] = place  # the URL or a map click chose it
        st.selectbox(t("select_place", lang), options, key="map_place_pick", format_func=place_label, on_change=on_pick)
        listed = events_at_place(events, place)
        if place:
            say.subheader(t("events_at", lang, place=md(record.places[place].name(lang))))
            st.button(t("clear_place", lang), on_click=choose, args=(None,), icon=":material/close:")
            with st.expander(t("place_reports", lang)):
                say.markdown(maps.place_html(record.places[place], record, [], lang, for_map=False), unsafe_allow_html=True)
            if not listed:
                st.info(t("no_events_at_place", lang))
        say.caption(t("events_shown", lang, n=len(listed), total=len(record.events)))
        if len(listed) > LIST_MAX:
            say.caption(t("more_listed", lang, shown=LIST_MAX, n=len(listed)))
        with st.container(height=420 if len(listed) > 4 else "content", border=False):
            for event in listed[:LIST_MAX]:
                label = f"{isolate(format_partial_date(event.date, lang))} · {event.title.get(lang)}"
                with st.expander(md(label), expanded=event.id == state.event):
                    say.markdown(event_detail_html(event, record, lang, level=4 if place else 3), unsafe_allow_html=True)


map_and_list()

say.subheader(t("event_table", lang))
sep = "، " if lang == "ar" else ", "
table = pd.DataFrame(
    [
        {
            t("date", lang): event.date,
            t("title", lang): event.title.get(lang),
            t("category", lang): category_label(event.category, lang),
            t("countries", lang): sep.join(country_name(c, lang) for c in event.countries),
            t("places", lang): sep.join(record.places[p].name(lang) for p in event.places if p in record.places),
        }
        for event in events
    ],
    columns=[t(k, lang) for k in ("date", "title", "category", "countries", "places")],
)
# the grid is drawn left to right: in Arabic, put the first column on the right
order = list(table.columns)[::-1] if lang == "ar" else None
align = "right" if lang == "ar" else "left"  # a canvas: no CSS reaches its cells
st.dataframe(table, hide_index=True, column_order=order, alt=t("event_table", lang),
             column_config={col: st.column_config.TextColumn(col, alignment=align) for col in table.columns})
