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

import folium
import streamlit as st
import streamlit_folium as sf  # its component, fed from a cache (see _map_args)

from coalition_atlas import maps, tours
from coalition_atlas.i18n import t
from coalition_atlas.problems import RecordError
from pages import _ui

PICK = "presenter_tour"

record = _ui.atlas()
state = _ui.view(record)
lang = state.lang


@st.cache_resource(show_spinner=False)
def _walks(mtime: float, event_ids: tuple[str, ...]) -> tuple[tours.Tour, ...] | RecordError:
    try:
        return tours.load_tours(set(event_ids))
    except RecordError as err:
        return err


try:
    mtime = tours.TOURS_PATH.stat().st_mtime
except OSError:
    mtime = 0.0
walks = _walks(mtime, tuple(e.id for e in record.events))
if isinstance(walks, RecordError):
    st.error(t("tours_error", lang) + "\n\n" + "\n".join(f"- `{p}`" for p in walks.problems))
    st.stop()

pos = tours.position(walks, record, state)
for notice in tours.notices(pos, lang):
    st.toast(notice)
if (state.tour, state.step) != (pos.tour.id, pos.step or None):  # the URL names what is shown
    state = state.with_(tour=pos.tour.id, step=pos.step or None)
    _ui.set_view(state)
st.markdown(f"<style>{tours.PRESENTER_CSS}</style>", unsafe_allow_html=True)


def go(where: tours.Move) -> None:
    view = st.session_state["view"]
    _ui.set_view(view.with_(step=tours.move(view.step or 1, pos.total, where)))


def pick() -> None:
    _ui.set_view(st.session_state["view"].with_(tour=st.session_state[PICK], step=1))


def switch_language() -> None:
    st.session_state.pop("lang_choice", None)  # the sidebar's language control starts afresh
    _ui.set_view(st.session_state["view"].with_(lang="en" if lang == "ar" else "ar"))


titles = {w.id: w.title.get(lang) for w in walks} | {tours.CURRENT: t("tour_current", lang)}
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
    st.button("English" if lang == "ar" else "العربية", on_click=switch_language, key="ca_lang")
    st.page_link("pages/overview.py", label=t("overview", lang), icon=":material/close:")
with st.container(key="ca_keys"):  # what clickers send; hidden, the bar above shows the same moves
    st.button(t("next_step", lang), shortcut="PageDown", on_click=go, args=("next",), disabled=at_end, key="ca_pgdn")
    st.button(t("previous_step", lang), shortcut="PageUp", on_click=go, args=("previous",), disabled=at_start,
              key="ca_pgup")

stop = pos.stop
if stop is None:
    st.info(t("no_events", lang))
    st.stop()


@st.cache_resource(show_spinner=False, max_entries=8)
def _map_args(token: int, lang: str, event_ids: tuple[str, ...]) -> dict:
    """The tour's map as st_folium would send it, drawn once per tour and language: each step
    then only swaps the rings layer and moves the view (streamlit-folium's dynamic updates), so
    a key press neither redraws 0.7 MB of map on the server nor reloads it in the browser
    (about 5 s a step before). st_folium renders its map at every call, hence these helpers
    of streamlit-folium 0.27.4 (pinned in requirements.txt) called directly."""
    m = tours.tour_map(record, [tours.Stop(record.event(i)) for i in event_ids], lang)
    m.get_root().render()
    m.render()
    script, parts = sf._get_map_string(m), [m, *_descendants(m)]
    assets = [e for e in parts if isinstance(e, folium.elements.JSCSSMixin)]
    return dict(
        script=script, html=sf._get_html(m), header=sf._get_header(m), id=sf.get_full_id(m),
        key=sf.generate_js_hash(script, "presenter_map", False),
        css_links=list(dict.fromkeys(href for e in assets for _, href in e.default_css)),
        js_links=list(dict.fromkeys(src for e in assets for _, src in e.default_js)),
    )


def _descendants(element):
    for child in getattr(element, "_children", {}).values():
        yield from (child, *_descendants(child))


@st.cache_resource(show_spinner=False, max_entries=256)
def _timeline(token: int, lang: str, event_ids: tuple[str, ...], selected: str, height: int):
    """The strip's timeline, built once per step and shared (75 ms of Plotly per key press)."""
    return tours.presenter_timeline([tours.Stop(record.event(i)) for i in event_ids], lang, selected, height)


height = tours.strip_height(stop, lang)
st.markdown(tours.step_html(stop, record, lang), unsafe_allow_html=True)
timeline_col, map_col = st.container(key="ca_strip").columns([3, 2], gap="medium")
with timeline_col:
    st.plotly_chart(
        _timeline(record.token, lang, tuple(s.event.id for s in pos.stops), stop.event.id, height), key=f"presenter_timeline_{lang}",
        theme=None, height="stretch", config={"displaylogo": False, "displayModeBar": False, "scrollZoom": False},
        alt=t("timeline_alt_presenter", lang, n=pos.total, title=stop.event.title.get(lang)),
    )
with map_col:
    _ui.frame_title(".st-key-ca_strip iframe", t("map_frame_title", lang))
    st.markdown(tours.places_line(stop, record, lang), unsafe_allow_html=True)
    named_places = [p for p in stop.event.places if p in record.places]  # none: outline its countries
    rings = maps.selection_layer(record, selected_event=stop.event.id, countries=() if named_places else stop.event.countries)
    centre, zoom = tours.map_view(record, pos.stops, stop, height=height - 34)  # a line names the places
    sf._component_func(
        **_map_args(record.token, lang, tuple(s.event.id for s in pos.stops)), height=height - 34, width=None,
        returned_objects=[], default={}, zoom=zoom, center=centre, return_on_hover=False, layer_control=None,
        feature_group=sf._get_feature_group_string(rings, folium.Map(tiles=None)) if rings else None,
        pixelated=False, on_change=None, wrap_longitude=False,
    )
