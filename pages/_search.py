"""The search box on every page (but the presenter's screen) and its results, in a fragment.

Typing reruns only the fragment (``live``: after a short pause, or on Enter); the query goes
into the view state and so into the URL (``q=``), written with the rest of the view by
``_ui.set_view`` (the box is not bound to the query parameters: the app rewrites them with
``from_dict``, which refuses bound keys). Results come from ``coalition_atlas.search`` grouped
as events, passages, places and figures, each with its context (escaped HTML from a template,
the matching words marked as written) and a button that opens it within the session: the
event on the timeline, the passage on the Sources page (scrolled to, the words marked), the
place on the map. An event can be added to the reader's own walk from here.
"""

from __future__ import annotations

import streamlit as st

from coalition_atlas import search
from coalition_atlas.i18n import category_label, format_partial_date, t
from coalition_atlas.render import md, passage_label
from coalition_atlas.templating import render
from coalition_atlas.viewstate import MAX_Q, to_params
from coalition_atlas.walks import fits
from pages import _ui

BOX = "ca_search_q"
FOLLOWED = "_ca_search_followed"  # a result was opened: its page shows, the results fold away
SHOWN = 8  # results of each kind on the page (the totals say how many more)
OPEN = {"events": "search_open_event", "figures": "search_open_event", "passages": "search_open_passage",
        "places": "search_open_place"}
PAGES = {"events": "pages/timeline.py", "figures": "pages/timeline.py", "passages": "pages/sources.py", "places": "pages/map.py"}
FIELDS = ("title", "summary", "quote", "translation", "people", "text", "name", "status", "figure", "figure_words")


def _typed() -> None:
    st.session_state.pop(FOLLOWED, None)
    q = " ".join((st.session_state.get(BOX) or "").split())[:MAX_Q]
    _ui.set_view(st.session_state["view"].with_(q=q))


def _suggested(word: str) -> None:
    st.session_state[BOX] = word
    _typed()


def _clear() -> None:
    st.session_state[BOX] = ""
    _typed()


def _open(kind: str, ref: tuple) -> None:
    """Go to what a result names, within the session (the view state first, then the page)."""
    st.session_state[FOLLOWED] = True
    view = st.session_state["view"]
    if kind in ("events", "figures"):
        view = view.with_(event=ref[0], place=None)
    elif kind == "passages":
        view = view.with_(doc=ref[0], passage=ref[1], event=None)
    else:
        view = view.with_(place=ref[0], event=None)
    _ui.set_view(view)
    st.switch_page(PAGES[kind], query_params=to_params(view))


def _label(record, kind: str, ref: tuple, lang: str) -> tuple[str, str]:
    """A result's title (for its button) and a line of facts under it."""
    if kind in ("events", "figures"):
        event = record.event(ref[0])
        meta = f"{format_partial_date(event.date, lang)} · {category_label(event.category, lang)}"
        return event.title.get(lang), meta
    if kind == "passages":
        doc = record.documents[ref[0]].meta
        return f"{doc.title.get(lang)[:70]} — {passage_label(ref[1], lang)}", ""
    place = record.places[ref[0]]
    return place.name(lang), ""


def _group(record, results: search.Results, kind: str, lang: str, walk) -> None:
    hits, total = results.groups.get(kind, ()), results.totals.get(kind, 0)
    if not total:
        return
    st.markdown(f"**{md(t('search_' + kind, lang))}** ({total})")
    labels = {f: t("field_" + f, lang) for f in FIELDS}
    for i, hit in enumerate(hits[:SHOWN]):
        title, meta = _label(record, kind, hit.ref, lang)
        with st.container(key=f"ca_hit_{kind}_{i}"):
            with st.container(horizontal=True, vertical_alignment="center", gap="small"):
                if st.button(md(title), key=f"ca_go_{kind}_{i}", type="tertiary", help=t(OPEN[kind], lang)):
                    _open(kind, hit.ref)
                if kind == "events":
                    inside = hit.ref[0] in walk.event_ids
                    if st.button(t("walk_added" if inside else "walk_add", lang), key=f"ca_add_{i}", icon=":material/playlist_add:",
                                 disabled=inside or not fits(walk.add(hit.ref[0]))):
                        _ui.set_view(st.session_state["view"].with_(walk=walk.add(hit.ref[0])))
                        st.rerun()  # the whole page: its links and the walk page carry the walk
            st.html(render("search_hit.html", hit=hit, labels=labels, lang=lang, meta=meta))
    if total > SHOWN:
        st.caption(t("search_more", lang, n=total - SHOWN))


def add_to_walk(event_ids: list[str], label: str, key: str, lang: str) -> None:
    """A button that adds events to the reader's walk (from the timeline or its table)."""
    walk = st.session_state["view"].walk
    new = walk
    for event_id in event_ids:
        new = new.add(event_id)
    if not fits(new):
        st.caption(t("walk_full", lang))
        return
    done = bool(event_ids) and all(e in walk.event_ids for e in event_ids)
    if st.button(t("walk_added" if done else label, lang), key=key, icon=":material/playlist_add:", disabled=done or new == walk):
        _ui.set_view(st.session_state["view"].with_(walk=new))
        st.rerun()


@st.fragment
def panel(record) -> None:
    """The box and, when it holds a query, the results (a fragment: typing reruns only this)."""
    view = st.session_state["view"]
    lang = view.lang
    search.warm(record)  # the index, built once per record, in the background
    if BOX not in st.session_state:
        st.session_state[BOX] = view.q  # from the URL
    st.text_input(
        t("search", lang), key=BOX, type="search", live=True, on_change=_typed,
        placeholder=t("search_placeholder", lang), help=t("search_hint", lang),
    )
    st.html(render("search_style.html"))
    if not view.q:
        return
    results = search.search(record, view.q, lang, limit=SHOWN)
    if st.session_state.get(FOLLOWED) and results.total:
        if st.button(t("search_show_again", lang, n=results.total), key="ca_search_again", icon=":material/expand_more:"):
            st.session_state.pop(FOLLOWED, None)
            st.rerun(scope="fragment")
        return
    with st.container(key="ca_search_results", border=True, height=420 if results.total > 3 else "content"):
        if not results.total:
            st.html(render("search_none.html", lang=lang, message=t("search_none", lang, q=view.q), suggestions=results.suggestions,
                           nearest=t("search_nearest", lang), no_nearest=t("search_no_nearest", lang)))
            if results.suggestions:
                with st.container(horizontal=True, gap="small"):
                    for i, word in enumerate(results.suggestions):
                        st.button(md(word), key=f"ca_suggest_{i}", on_click=_suggested, args=(word,))
        else:
            st.caption(t("search_results", lang, n=results.total, q=md(view.q)))
            for kind in search.KINDS:
                _group(record, results, kind, lang, view.walk)
        st.button(t("search_clear", lang), key="ca_search_clear", icon=":material/close:", on_click=_clear)
