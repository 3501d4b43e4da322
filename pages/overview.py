"""Overview: what the atlas is, the two documents, the figures they state, and the timeline
and the map in step (an event chosen on one marks its places on the other, and back)."""

from functools import partial

import streamlit as st
from streamlit_folium import st_folium

from coalition_atlas.export import MIME, export_bytes, file_name
from coalition_atlas.filtering import filter_events
from coalition_atlas.i18n import format_partial_date, t
from coalition_atlas.maps import event_map, place_for_click
from coalition_atlas.render import document_card_html, event_detail_html, figures_html, md
from coalition_atlas.timeline import selected_event_id
from pages import _cached, _ui
from pages._text import aligned


def downloads(record, state) -> None:
    """The current view (filters, language) as files: the briefing pack, the handout, CSV, GeoJSON. Each is
    made when its button is clicked (a callable), and a click does not rerun the page."""
    say = aligned(state.lang)
    say.header(t("downloads", state.lang))  # h2 under the page's h1 (heading-order)
    say.caption(t("downloads_hint", state.lang))
    formats = (("html", "download_briefing"), ("handout", "download_handout"), ("csv", "download_csv"),
               ("geojson", "download_geojson"))
    for col, (fmt, label) in zip(st.columns(len(formats)), formats):
        with col:
            st.download_button(
                t(label, state.lang), data=partial(export_bytes, record, state, fmt), file_name=file_name(fmt, state),
                mime=MIME[fmt], on_click="ignore", icon=":material/download:", key=f"download_{fmt}",
            )


record = _ui.atlas()
state = st.session_state["view"]
lang = state.lang

say = aligned(lang)
say.title(t("app_title", lang))
say.markdown(md(t("tagline", lang)))
_ui.page_links(state)

cols = st.columns(len(record.documents))
for col, doc in zip(cols, record.documents.values()):
    with col:
        st.html(document_card_html(doc, record, lang))

events = filter_events(record.events, state)
if not events:
    st.info(t("no_events", lang))
    st.stop()

say.header(t("timeline_and_map", lang))  # h2 under the page's h1 (heading-order)
say.caption(t("timeline_hint", lang))  # the same legend as the Timeline page's, for the same chart
PICK = f"overview_pick_{lang}"


def picked_from_list() -> None:
    _ui.set_view(st.session_state["view"].with_(event=st.session_state[PICK], place=None))


@st.fragment
def timeline_and_map() -> None:
    """The chart, the map and the chosen event or place: a choice reruns only this (st.fragment),
    not the sidebar, the documents, the figures nor the downloads."""
    state = _ui.view(record)
    chart = st.plotly_chart(
        _cached.timeline(record, events, state), theme=None,  # Streamlit's theme greyed the lanes' names to 3.7:1
        on_select="rerun", selection_mode="points", key=f"overview_chart_{lang}", config={"displaylogo": False},
        alt=t("timeline_alt_overview", lang, n=len(events)),
    )
    picked = selected_event_id(chart)
    if picked and picked != state.event:
        _ui.set_view(state.with_(event=picked, place=None))
        st.rerun(scope="fragment")

    map_col, detail_col = st.columns([3, 2])
    with map_col, st.container(key="ca_overview_map"):  # st_folium's own key is a hash: the box names it
        _ui.frame_title(".st-key-ca_overview_map iframe", t("map_frame_title", lang))
        clicked = st_folium(
            event_map(record, events, lang, selected_place=state.place, selected_event=state.event),
            key=f"overview_map_{lang}", height=440, use_container_width=True, render=False,
            returned_objects=["last_object_clicked", "last_object_clicked_tooltip"],
        )
        place = place_for_click(clicked or {}, record)
        if place and place != state.place:
            _ui.set_view(state.with_(place=place, event=None))
            st.rerun(scope="fragment")
    with detail_col:
        # the keyboard's way to every event of the chart (and what a screen reader lists)
        ids = [e.id for e in sorted(events, key=lambda e: (e.start, e.id))]
        if st.session_state.get(PICK) != state.event:
            st.session_state[PICK] = state.event if state.event in ids else None
        st.selectbox(t("select_event", lang), ids, index=None, key=PICK, on_change=picked_from_list,
                     placeholder=t("select_event", lang),
                     format_func=lambda i: f"{format_partial_date(record.event(i).date, lang)} — {record.event(i).title.get(lang)}")
        chosen = record.event(state.event) if state.event else None
        if chosen:
            st.html(event_detail_html(chosen, record, lang, level=3))
        elif state.place:
            at = record.places[state.place]
            say.markdown(f"**{md(at.name(lang))}**")
            for event in (e for e in events if state.place in e.places):
                say.markdown(f"- {md(event.title.get(lang))}")
        else:
            say.caption(t("overview_hint", lang))
        if state.event or state.place:
            if st.button(t("clear_selection", lang)):
                _ui.set_view(state.with_(event=None, place=None))
                st.rerun(scope="fragment")


timeline_and_map()

say.header(t("headline_figures", lang))
st.html(figures_html(record, lang))

downloads(record, state)
