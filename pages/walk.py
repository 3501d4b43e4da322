"""My walk: the events a reader picked (from search results, the timeline or its table), in her
order, with her notes; presented in the presenter, shared as an address, exported as a briefing
pack or a tours.yaml entry. The walk lives in the view state, so in the URL (walks.py): the
address shown here rebuilds it exactly in any browser, and nothing is stored on the server.
"""

from __future__ import annotations

from functools import partial
from urllib.parse import urlencode

import streamlit as st

from coalition_atlas.briefing import briefing_html
from coalition_atlas.i18n import format_partial_date, t
from coalition_atlas.render import md
from coalition_atlas.templating import render
from coalition_atlas.viewstate import to_params
from coalition_atlas.walks import NOTE_MAX, TITLE_MAX, WALK_TOUR, fits, tours_yaml_entry
from pages import _ui

PAGE_PATHS = ("overview", "timeline", "map", "sources", "presenter", "walk")

record = _ui.atlas()
state = _ui.view(record)
lang = state.lang
walk = state.walk


def change(new) -> None:
    if fits(new):
        _ui.set_view(st.session_state["view"].with_(walk=new))
    else:  # the address would grow past its cap: keep the walk as it was, and say so
        st.session_state["ca_walk_refused"] = True


def on_title() -> None:
    change(st.session_state["view"].walk.with_title(st.session_state["ca_walk_title"]))


def on_note(i: int, key: str) -> None:
    change(st.session_state["view"].walk.with_note(i, st.session_state[key]))


def on_pick() -> None:
    picked = st.session_state.get("ca_walk_pick")
    if picked:
        change(st.session_state["view"].walk.add(picked))
    st.session_state["ca_walk_pick"] = None


def address(page: str, **changes) -> str:
    """The absolute address of ``page`` for this view (what a person copies and shares)."""
    here = (st.context.url or "").rstrip("/")
    base = here.rsplit("/", 1)[0] if here.rsplit("/", 1)[-1] in PAGE_PATHS else here
    params = {k: v for k, v in to_params(state.with_(**changes)).items() if k in ("lang", "walk", "tour", "step")}
    return f"{base}/{page}?{urlencode(params)}"


st.title(t("my_walk", lang), anchor=False)
st.html(render("walk_style.html"))
st.session_state["ca_walk_title"] = walk.title
st.text_input(t("walk_title", lang), key="ca_walk_title", max_chars=TITLE_MAX, on_change=on_title,
              placeholder=t("my_walk", lang))

if st.session_state.pop("ca_walk_refused", False):
    st.warning(t("walk_full", lang))
if not walk:
    st.info(t("walk_empty", lang))
st.caption(t("walk_steps", lang, n=len(walk.steps)))
last = len(walk.steps) - 1
for i, step in enumerate(walk.steps):
    event = record.event(step.event)
    with st.container(border=True, key=f"ca_walk_step_{i}"):
        st.markdown(f"**{i + 1}.** {md(event.title.get(lang))} · {md(format_partial_date(event.date, lang))}")
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            st.button(t("walk_up", lang), key=f"ca_walk_up_{i}", icon=":material/arrow_upward:", disabled=i == 0,
                      on_click=lambda i=i: change(st.session_state["view"].walk.move(i, -1)))
            st.button(t("walk_down", lang), key=f"ca_walk_down_{i}", icon=":material/arrow_downward:", disabled=i == last,
                      on_click=lambda i=i: change(st.session_state["view"].walk.move(i, 1)))
            st.button(t("walk_drop", lang), key=f"ca_walk_drop_{i}", icon=":material/delete:",
                      on_click=lambda i=i: change(st.session_state["view"].walk.drop(i)))
        key = f"ca_walk_note_{step.event}"
        st.session_state[key] = step.note
        st.text_input(t("walk_note", lang, n=NOTE_MAX), key=key, max_chars=NOTE_MAX, on_change=on_note, args=(i, key))

left = [e.id for e in sorted(record.events, key=lambda e: (e.start, e.id)) if e.id not in walk.event_ids]
if left and fits(walk.add(left[0])):
    st.selectbox(t("walk_pick", lang), left, index=None, key="ca_walk_pick", on_change=on_pick, placeholder=t("walk_pick", lang),
                 format_func=lambda i: f"{format_partial_date(record.event(i).date, lang)} — {record.event(i).title.get(lang)}")
elif left:
    st.warning(t("walk_full", lang))

if walk:
    if st.button(t("walk_present", lang), icon=":material/slideshow:", type="primary", key="ca_walk_present"):
        view = st.session_state["view"].with_(tour=WALK_TOUR, step=1)
        _ui.set_view(view)
        st.switch_page("pages/presenter.py", query_params=to_params(view))
    st.caption(t("walk_share", lang))
    st.code(address("walk"), language=None, wrap_lines=True)
    cols = st.columns(2)
    with cols[0]:
        st.download_button(
            t("walk_download_pack", lang), data=partial(lambda: briefing_html(record, state, walk=walk).encode("utf-8")),
            file_name=f"coalition-atlas-walk-{lang}.html", mime="text/html", on_click="ignore", icon=":material/download:",
            key="ca_walk_pack",
        )
    with cols[1]:
        st.download_button(
            t("walk_download_tour", lang), data=tours_yaml_entry(walk, lang).encode("utf-8"), file_name="tour-my-walk.yaml",
            mime="application/yaml", on_click="ignore", icon=":material/download:", key="ca_walk_tour",
        )
