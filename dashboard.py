"""Coalition Atlas — entry point: `streamlit run dashboard.py`.

Loads the record, reads the view state (URL first, then the sidebar), writes it back to the
URL, and runs the chosen page. Every page reads `st.session_state["view"]`.
"""

import streamlit as st

from coalition_atlas.i18n import t
from coalition_atlas.viewstate import for_page
from pages import _links, _search, _ui

st.set_page_config(page_title="Coalition Atlas · أطلس التحالف", layout="wide", initial_sidebar_state="auto")

record = _ui.load_record()
link = _links.mount(["", "overview", "timeline", "map", "sources", "presenter", "walk"])  # the app's own links, in session
state = _ui.sidebar(record, _ui.view(record))
_ui.set_view(state)
_ui.style(state.lang)

pages = [
    st.Page("pages/overview.py", title=t("overview", state.lang), url_path="overview", default=True),
    st.Page("pages/timeline.py", title=t("timeline", state.lang), url_path="timeline"),
    st.Page("pages/map.py", title=t("map", state.lang), url_path="map"),
    st.Page("pages/sources.py", title=t("sources", state.lang), url_path="sources"),
    st.Page("pages/presenter.py", title=t("presenter", state.lang), url_path="presenter"),
    st.Page("pages/walk.py", title=t("my_walk", state.lang), url_path="walk"),
]
navigation = st.navigation(pages)
if link:
    _links.follow(link, record, {"": pages[0]} | {p.url_path: p for p in pages})
state = for_page(st.session_state["view"], navigation.url_path or "overview")  # tour, step, doc, p stay on their pages
_ui.set_view(state)
_ui.page_scripts()
_ui.filters_banner(record, state)
_ui.entered()
if navigation.url_path != "presenter":  # the projector's screen keeps to the step
    _search.panel(record)
navigation.run()
