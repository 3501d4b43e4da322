"""Presenter: a guided walk through the events, one step a screen, for a room and a projector.

The tour and the step (from 1) live in the URL, ``?tour=<id>&step=<n>`` with the language and
the filters, so a reload or a shared link lands on the same step; an unknown tour or a step out
of range falls back with a notice (``coalition_atlas.tours.position``). Keys are Streamlit's
button shortcuts, bound on the page (not inside the map's frame, nor while a text field has
the focus): → and PageDown (what presentation clickers send) next, ← and PageUp previous, Home
first, End last. In Arabic too: → is "next" as in slide software, and the bar of buttons keeps
that left-to-right order (previous on the left, next on the right) in both languages. The
sidebar is hidden here (CSS, tours.PRESENTER_CSS); the language and the way out are in the bar.
"""

import copy

import streamlit as st
from streamlit_folium import st_folium

from coalition_atlas import maps, tours, walks as own
from coalition_atlas.i18n import t
from coalition_atlas.problems import RecordError
from pages import _cached, _ui

PICK = "presenter_tour"
PLOT_CONFIG = {"displaylogo": False, "displayModeBar": False, "scrollZoom": False}

record = _ui.atlas()
try:
    mtime = tours.TOURS_PATH.stat().st_mtime
except OSError:
    mtime = 0.0
walks = _cached.walks(mtime, tuple(e.id for e in record.events))
if isinstance(walks, RecordError):
    st.error(_ui.problem_list(t("tours_error", _ui.view(record).lang), walks, _ui.view(record).lang))
    st.stop()
st.markdown(f"<style>{tours.PRESENTER_CSS}</style>", unsafe_allow_html=True)


def switch_language() -> None:
    st.session_state.pop("lang_choice", None)  # the sidebar's language control starts afresh
    view = st.session_state["view"]
    _ui.set_view(view.with_(lang="en" if view.lang == "ar" else "ar"))


@st.fragment
def presenter() -> None:
    """The bar, the step's text, the strip: a key press reruns only this (st.fragment), not the
    sidebar, the record's checks or the page's style."""
    state = _ui.view(record)
    lang = state.lang
    shown = (own.as_tour(state.walk, lang), *walks) if state.walk else walks  # the reader's own: tour=my-walk
    pos = tours.position(shown, record, state)
    for notice in tours.notices(pos, lang):
        st.toast(notice)
    if (state.tour, state.step) != (pos.tour.id, pos.step or None):  # the URL names what is shown
        _ui.set_view(state.with_(tour=pos.tour.id, step=pos.step or None))

    def go(where: tours.Move) -> None:
        view = st.session_state["view"]
        _ui.set_view(view.with_(step=tours.move(view.step or 1, pos.total, where)))

    def pick() -> None:
        _ui.set_view(st.session_state["view"].with_(tour=st.session_state[PICK], step=1))

    titles = {w.id: w.title.get(lang) for w in shown} | {tours.CURRENT: t("tour_current", lang)}
    if st.session_state.get(PICK) != pos.tour.id:
        st.session_state[PICK] = pos.tour.id
    at_start, at_end = pos.step <= 1, pos.step >= pos.total
    with st.container(horizontal=True, key="ca_bar", vertical_alignment="center", gap="small"):
        st.selectbox(t("tour", lang), list(titles), key=PICK, format_func=titles.get, on_change=pick,
                     label_visibility="collapsed", width=320)
        with st.container(horizontal=True, key="ca_nav", vertical_alignment="center", gap="small", width="content"):
            st.button(t("first_step", lang), icon=":material/first_page:", shortcut="Home", on_click=go, args=("first",),
                      disabled=at_start, key="ca_first")
            st.button(t("previous_step", lang), icon=":material/arrow_back:", shortcut="Left", on_click=go,
                      args=("previous",), disabled=at_start, key="ca_prev")
            st.markdown(f'<p class="ca-p-counter" role="status" aria-label="{t("step_of", lang, n=pos.step, total=pos.total)}">'
                        f"{pos.step} / {pos.total}</p>", unsafe_allow_html=True, width="content")
            st.button(t("next_step", lang), icon=":material/arrow_forward:", icon_position="right", shortcut="Right",
                      on_click=go, args=("next",), disabled=at_end, key="ca_next", help=t("presenter_keys", lang))
            st.button(t("last_step", lang), icon=":material/last_page:", icon_position="right", shortcut="End",
                      on_click=go, args=("last",), disabled=at_end, key="ca_last")
        st.space("stretch")
        if st.button("English" if lang == "ar" else "العربية", icon=":material/translate:", on_click=switch_language,
                     key="ca_lang"):
            st.rerun()  # the whole page: the sidebar and the page's direction follow the language
        st.page_link("pages/overview.py", label=t("overview", lang), icon=":material/close:")
    with st.container(key="ca_keys"):  # what clickers send; hidden, the bar above shows the same moves
        st.button(t("next_step", lang), shortcut="PageDown", on_click=go, args=("next",), disabled=at_end, key="ca_pgdn")
        st.button(t("previous_step", lang), shortcut="PageUp", on_click=go, args=("previous",), disabled=at_start,
                  key="ca_pgup")

    stop = pos.stop
    if stop is None:
        st.info(t("no_events", lang))
        return
    ids = tuple(s.event.id for s in pos.stops)
    height = tours.strip_height(stop, lang)
    st.markdown(tours.step_html(stop, record, lang), unsafe_allow_html=True)
    timeline_col, map_col = st.container(key="ca_strip").columns([3, 2], gap="medium")
    with timeline_col:
        st.plotly_chart(_cached.presenter_timeline(record, record.token, lang, ids, stop.event.id, height),
                        key=f"presenter_timeline_{lang}", theme=None, height="stretch", config=PLOT_CONFIG,
                        alt=t("timeline_alt_presenter", lang, n=pos.total, title=stop.event.title.get(lang)))
    with map_col:
        _ui.frame_title(".st-key-ca_strip iframe", t("map_frame_title", lang))
        st.markdown(tours.places_line(stop, record, lang), unsafe_allow_html=True)
        centre, zoom = tours.map_view(record, pos.stops, stop, height=height - 34)  # a line names the places
        # The tour's map is the same at every step (so streamlit-folium keeps it, and only swaps
        # the rings layer and moves the view); it adds the rings to the map it is given: a copy.
        st_folium(
            copy.deepcopy(_cached.tour_map(record, record.token, lang, ids)), key="presenter_map",
            height=height - 34, use_container_width=True, returned_objects=[], render=False, zoom=zoom, center=centre,
            feature_group_to_add=maps.selection_layer(  # a step without a place: its countries outlined
                record, selected_event=stop.event.id,
                countries=() if any(p in record.places for p in stop.event.places) else stop.event.countries),
        )


presenter()
