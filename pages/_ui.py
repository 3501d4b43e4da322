"""Streamlit wiring shared by every page: the record, the view state, the sidebar, the style.

The view state lives in one place: ``st.session_state["view"]``, read from the URL when a
session starts, changed by the sidebar, and written back to ``st.query_params`` on every run
(Streamlit clears the parameters when the user moves to another page).
"""

from __future__ import annotations

import bisect
import datetime as dt
import inspect
from pathlib import Path

import streamlit as st

from pages import _cached, _links
from pages._text import aligned
from coalition_atlas.filtering import describe, filter_events, month_bounds
from coalition_atlas.i18n import LANGS, category_label, direction, format_day, format_partial_date, t
from coalition_atlas.load import EVENTS_PATH, Atlas, country_name, load_atlas
from coalition_atlas.memo import memo
from coalition_atlas.offline import STATIC_DIR
from coalition_atlas.style import LANG_SCRIPT, page_css
from coalition_atlas.templating import render
from coalition_atlas.problems import RecordError
from coalition_atlas.render import md
from coalition_atlas.viewstate import ViewState, for_page, ignored_names, parse_params, to_params
from coalition_atlas.vocabulary import CATEGORIES


@memo(max_entries=2)  # not st.cache_resource: a client's clear_cache would reload the record
def _load(path: str, mtime: float) -> Atlas | RecordError:
    try:
        return load_atlas(Path(path))
    except RecordError as err:
        return err


# The app's pages, written once: (file in pages/ = URL path = title key, default). dashboard.py's
# st.navigation, the sidebar's links and the in-page links all read this.
PAGES: tuple[tuple[str, bool], ...] = (
    ("overview", True), ("timeline", False), ("map", False), ("sources", False), ("presenter", False), ("walk", False),
)
TITLES = {"walk": "my_walk"}  # a page's title key in i18n, where it is not its name
IN_PAGE_LINKS = ("overview", "timeline", "map", "sources")  # the row of links some pages draw
PAGE_CONFIG = {"page_title": "Coalition Atlas · أطلس التحالف", "layout": "wide", "initial_sidebar_state": "auto"}


def navigation_pages(lang: str) -> list:
    """The pages for ``st.navigation``."""
    return [st.Page(f"pages/{name}.py", title=t(TITLES.get(name, name), lang), url_path=name, default=default)
            for name, default in PAGES]


def atlas() -> Atlas:
    """The one call at the top of every page: what makes a page whole on its own — the page's
    settings, the record, the view state (from the URL on a session's first run), the sidebar
    (filters and the links to the pages), the state written back to the URL, the style.
    Returns the record.

    Streamlit runs a page either through dashboard.py's ``st.navigation`` or, on a fresh server
    until some session has called it, straight from ``pages/`` (a deep link opened first): this
    call makes both the same. Through dashboard.py, :func:`navigation` has done all this before
    the page's own imports, and this call only returns the record.
    """
    if st.session_state.pop("_set_up", False):
        return st.session_state["_record"]
    caller = inspect.currentframe().f_back  # the page's script: its file name is its URL path
    return _set_up(entry=False, name=Path(caller.f_globals.get("__file__", "overview")).stem)[0]


def navigation():
    """dashboard.py: the setup of :func:`atlas`, and the navigation over :data:`PAGES` (hidden:
    the sidebar holds our links); returns the page to run."""
    _, page = _set_up(entry=True, name=None)
    st.session_state["_set_up"] = True  # the page's atlas() call has nothing left to do
    return page


# Until some run calls st.navigation, a fresh Streamlit process runs in its "pages/ folder" mode:
# each file of pages/ on its own (or dashboard.py as one of them), and widget ids include the
# file that drew them. The run that first calls st.navigation ends that mode for the process,
# so the next run drew the sidebar under another id and the first filter a viewer set after a
# restart was lost. The process's first run therefore calls st.navigation (public; it ends the
# mode) and starts again, before it draws or says anything.
_navigation_mode = False


def _enter_navigation_mode() -> None:
    global _navigation_mode
    if _navigation_mode:
        return
    _navigation_mode = True
    st.navigation(navigation_pages("ar"), position="hidden")
    st.rerun()


def _set_up(*, entry: bool, name: str | None):
    st.set_page_config(**PAGE_CONFIG)
    _enter_navigation_mode()
    record = load_record()
    link = _links.mount(["", *(name for name, _ in PAGES)])  # the app's own links, in session
    nav = st.sidebar.container()  # first in the sidebar; filled once the language is known
    state = sidebar(record, view(record))
    set_view(state)
    style(state.lang)
    # st.page_link and st.switch_page need the pages registered: by st.navigation here, or by
    # Streamlit itself when it runs a file of pages/ on its own
    page = st.navigation(navigation_pages(state.lang), position="hidden") if entry else None
    if link:
        default = next(name for name, is_default in PAGES if is_default)
        _links.follow(link, record, {"": f"pages/{default}.py"} | {name: f"pages/{name}.py" for name, _ in PAGES})
    # tour, step, doc, p stay on their pages
    current = (page.url_path if page is not None else name) or "overview"
    state = for_page(st.session_state["view"], current)
    set_view(state)
    page_scripts()
    filters_banner(record, state)
    if current != "presenter":  # the projector's screen keeps to the step
        from pages import _search  # it imports this module

        _search.panel(record)
    with nav:
        sidebar_links(state)
    return record, page


def load_record() -> Atlas:
    """The record; if events.yaml is broken, the last good one and a banner (or a stop)."""
    try:
        mtime = EVENTS_PATH.stat().st_mtime
    except OSError:
        mtime = 0.0
    found = _load(str(EVENTS_PATH), mtime)
    if isinstance(found, Atlas):
        st.session_state["last_good_atlas"] = st.session_state["_record"] = found
        return found
    lang = st.session_state.get("view", ViewState()).lang
    st.error(problem_list(t("record_error", lang), found, lang))
    last = st.session_state.get("last_good_atlas")
    if last is None:
        st.stop()
    st.session_state["_record"] = last
    return last


def problem_list(head: str, err: RecordError, lang: str) -> str:
    """A banner's Markdown: the head, then each problem as literal text (md), and how many more."""
    lines = [f"- {md(p)}" for p in err.problems]
    if err.more:
        lines.append(f"- {md(t('more_problems', lang, n=err.more))}")
    return head + "\n\n" + "\n".join(lines)


def view(record: Atlas) -> ViewState:
    if "view" not in st.session_state:
        state = parse_params(st.query_params.to_dict(), record)
        st.session_state["view"] = state
        if state.notices:  # names of known parameters only: a toast is Markdown, a URL anyone's
            names, unknown = ignored_names(state.notices)
            what = [*names] + ([t("notice_unknown_params", state.lang, n=unknown)] if unknown else [])
            st.toast(t("notice_params", state.lang, what=", ".join(what)))
    return st.session_state["view"]


def set_view(state: ViewState) -> None:
    st.session_state["view"] = state
    st.query_params.from_dict(to_params(state))


FOCUS_CSS = STATIC_DIR / "css" / "focus.css"  # focus, hover and the current page, told apart
FRAME_TITLES_JS = "app/static/js/frame-titles.js"  # relative, as LANG_SCRIPT: right under a baseUrlPath too


def style(lang: str) -> None:
    """The stylesheet (style-only HTML goes to Streamlit's event container: it takes no room)
    and the marker + script that set ``<html lang dir>`` (static/js/lang.js)."""
    st.html(page_css(direction(lang)))
    code = "ar" if lang == "ar" else "en"
    st.html(
        f'<span class="ca-lang" data-lang="{code}" hidden></span><script src="{LANG_SCRIPT}"></script>',
        unsafe_allow_javascript=True,
    )
    st.html(FOCUS_CSS)  # a Path: Streamlit reads the file and puts it in a <style>


def frame_title(selector: str, title: str) -> None:
    """Give the frames ``selector`` finds (a map's: ``.st-key-<key> iframe``) a title a screen
    reader says; st_folium titles its frame after the component. A static script does it in
    the page (static/js/frame-titles.js), now and after every redraw."""
    st.html(render("frame_title.html", src=FRAME_TITLES_JS, selector=selector, title=title),
            unsafe_allow_javascript=True)


def sidebar(record: Atlas, state: ViewState) -> ViewState:
    """The shared filters; returns the new state (written back to the URL by the caller)."""
    lang = state.lang
    with st.sidebar:
        lang = st.segmented_control(
            t("language", lang), LANGS, default=state.lang, key="lang_choice",
            format_func=lambda code: "العربية" if code == "ar" else "English",
        ) or state.lang
        say = aligned(lang)
        say.subheader(t("filters", lang))
        (first, last), named = _cached.span_and_countries(record, record.token)
        countries = sorted(named, key=lambda c: country_name(c, lang))
        chosen = st.multiselect(
            t("countries", lang), countries, default=list(state.countries), format_func=lambda c: country_name(c, lang),
            placeholder=t("all_countries", lang), key=f"countries_{lang}",
        )
        categories = st.multiselect(
            t("categories", lang), list(CATEGORIES), default=list(state.categories),
            format_func=lambda c: category_label(c, lang), key=f"categories_{lang}", placeholder=t("all_categories", lang),
        )
        docs = st.multiselect(
            t("documents", lang), list(record.documents), default=list(state.docs),
            format_func=lambda d: record.documents[d].meta.title.get(lang)[:60], key=f"docs_{lang}", placeholder=t("all_documents", lang),
        )
        start, end = _date_range(first, last, state, lang)
        new = state.with_(
            lang=lang, countries=tuple(chosen), categories=tuple(categories), docs=tuple(docs),
            start=None if start == first else start, end=None if end == last else end,
        )
        if new.filtered and st.button(t("reset", lang), key="ca_reset_filters"):
            clear_filters()
            st.rerun()
        shown = len(filter_events(record.events, new))
        say.caption(t("events_shown", lang, n=shown, total=len(record.events)))
        say.caption(t("translation_note", lang))
    return new


def _link_to(state: ViewState, names) -> None:
    """Links to pages ``names``, each carrying the view state (a page's own parameters stay
    home: ``for_page``)."""
    for name in names:
        st.page_link(f"pages/{name}.py", label=t(TITLES.get(name, name), state.lang), query_params=to_params(for_page(state, name)))


def sidebar_links(state: ViewState) -> None:
    """Every page, in the sidebar: our navigation (Streamlit's own is off, so that a fresh
    server never lists the files of ``pages/``), carrying the whole view state."""
    _link_to(state, [name for name, _ in PAGES])


def page_links(state: ViewState) -> None:
    """Links to the other pages that carry the view state (the presenter is reached from the
    sidebar)."""
    names = list(IN_PAGE_LINKS)
    for col, name in zip(st.columns(len(names)), names):
        with col:
            _link_to(state, [name])


def clear_filters() -> None:
    """Every filter off (the sidebar's widgets start afresh); the language, the chosen event
    and place, and the page's own parameters stay."""
    for key in list(st.session_state):
        if key.split("_")[0] in ("countries", "categories", "docs", "dates"):
            del st.session_state[key]
    view = st.session_state["view"]
    set_view(view.with_(countries=(), categories=(), docs=(), start=None, end=None))


def filters_banner(record: Atlas, state: ViewState) -> None:
    """In the main area of every page (dashboard.py calls it): which filters are on, how many
    events they show, and one button that clears them all. Nothing when no filter is on."""
    if not state.filtered:
        return
    lang = state.lang
    said = " · ".join(f"**{md(what)}:** {md(which)}" for what, which in describe(state, record))
    shown = t("events_shown", lang, n=len(filter_events(record.events, state)), total=len(record.events))
    with st.container(key="ca_filters", horizontal=True, vertical_alignment="center", gap="small"):
        st.markdown(f":material/filter_alt: **{md(t('filters_on', lang))}** — {said} — {md(shown)}", width="stretch")
        st.button(t("clear_filters", lang), on_click=clear_filters, icon=":material/filter_alt_off:", key="ca_clear_filters")


def page_scripts() -> None:
    """Scripts every page needs (in the sidebar: they run, and take no room in the main area)."""
    with st.sidebar:
        # a file, not inline: the deployment's CSP runs no inline script but Streamlit's own
        st.html('<script src="app/static/js/touch_taps.js"></script>', unsafe_allow_javascript=True)


def _date_range(first, last, state: ViewState, lang: str):
    """The date range. In English a slider; in Arabic two month selects, "from" above "to":
    Streamlit's slider runs left to right whatever the page's direction (it follows the
    browser's language), against the chart, which runs right to left in Arabic."""
    value = (state.start or first, state.end or last)
    if lang != "ar":
        return st.slider(
            t("date_range", lang), min_value=first, max_value=last, value=value, format="YYYY-MM", key=f"dates_{lang}",
        )
    starts, ends = month_bounds(first, last)
    for options, chosen in ((starts, value[0]), (ends, value[1])):
        if chosen not in options:  # a day from the URL: kept as it is
            bisect.insort(options, chosen)
    aligned(lang).markdown(f"**{md(t('date_range', lang))}**")
    start = st.selectbox(t("date_from", lang), starts, index=starts.index(value[0]), key=f"dates_from_{lang}",
                         format_func=lambda d: _month_label(d, first, last, lang))
    end = st.selectbox(t("date_to", lang), ends, index=ends.index(value[1]), key=f"dates_to_{lang}",
                       format_func=lambda d: _month_label(d, first, last, lang))
    return (start, end) if start <= end else (end, start)


def _month_label(day, first, last, lang: str) -> str:
    """A month ("آذار/مارس 2017"); a day when the range starts or ends inside a month."""
    if day in (first, last) or day.day == 1 or (day + dt.timedelta(days=1)).day == 1:
        return format_partial_date(f"{day.year}-{day.month:02d}", lang)
    return format_day(day, lang)


if __name__ == "__main__":  # a fresh server serves pages/_ui.py at /_ui too: not a page
    st.switch_page("pages/overview.py")
