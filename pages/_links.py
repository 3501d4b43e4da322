"""The app's own links, followed within the session.

The HTML the app draws holds real links (an event's "Read in the source", a figure's passage,
"back to the timeline", a passage's citing events): they can be copied or opened in a new tab.
A plain click on one would load the whole app again, a new session. A small component of our
own (``st.components.v2``, the script in ``coalition_atlas/templates/internal_links.js``)
hands such a click to Python instead, and :func:`follow` moves to the page with
``st.switch_page``: the same session, the URL written, the filters kept.
"""

from __future__ import annotations

from importlib.resources import files
from urllib.parse import parse_qsl

import streamlit as st

from coalition_atlas.load import Atlas
from coalition_atlas.viewstate import follow_link, to_params

_JS = files("coalition_atlas").joinpath("templates/internal_links.js").read_text(encoding="utf-8")
_component = st.components.v2.component("coalition_atlas_internal_links", js=_JS)
KEY = "ca_links"


def mount(pages: list[str]) -> str | None:
    """Listen for clicks on links to ``pages`` (URL paths, "" for the default page); the link
    just clicked ("sources?doc=…"), or None. Call once per run, before anything else draws."""
    result = _component(key=KEY, data={"pages": pages}, on_go_change=lambda: None, height=0)
    go = getattr(result, "go", None)
    return go if isinstance(go, str) and len(go) <= 2000 else None


def follow(link: str, record: Atlas, pages: dict[str, st.Page | str]) -> None:
    """Move to the page ``link`` names, with the view it describes (see
    ``viewstate.follow_link``); a link to no known page is ignored. ``pages``: URL path to
    ``st.Page`` or file path (``st.switch_page`` takes either)."""
    path, _, query = link.partition("?")
    page = pages.get(path)
    if page is None:
        return
    current = st.session_state["view"]
    state = follow_link(current, dict(parse_qsl(query)), record)
    if state.lang != current.lang:
        st.session_state.pop("lang_choice", None)  # the sidebar's language control starts afresh
    st.session_state["view"] = state
    st.switch_page(page, query_params=to_params(state))
