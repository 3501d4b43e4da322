"""Sources: each document verbatim, passage by passage, with the events that cite each passage.

URL: ?doc=…&p=… opens a document and scrolls to a passage; &event=… highlights the words that
event quotes and shows the event on top. The HTML comes from coalition_atlas.passages.
"""

from __future__ import annotations


import streamlit as st

from coalition_atlas.filtering import filter_events
from coalition_atlas.i18n import format_day, isolate, t
from coalition_atlas.passages import anchor_id, citations, document_header_html, passage_html, timeline_href
from coalition_atlas.render import doc_name, esc, event_detail_html, md
from coalition_atlas.search import highlight_spans
from pages import _ui
from pages._text import aligned

record = _ui.atlas()
state = _ui.view(record)  # st.session_state["view"] (set from the URL by dashboard.py)
lang = state.lang
event = record.event(state.event) if state.event else None

say = aligned(lang)  # the page's style is static/css/atlas.css

say.title(t("sources", lang))
_ui.page_links(state)

docs = list(record.documents)
doc_id, passage_id = state.doc, state.passage
if doc_id is None and event is not None:  # only an event: open the passage it quotes first
    doc_id, passage_id = event.sources[0].doc, event.sources[0].paragraph
if doc_id not in record.documents:
    doc_id, passage_id = docs[0], None


def _doc_label(doc: str) -> str:
    meta = record.documents[doc].meta  # options are Markdown: md() takes the words literally
    return md(f"{doc_name(record, doc, lang)} · {isolate(format_day(meta.date, lang))}")


chosen = st.radio(
    t("document", lang), docs, index=docs.index(doc_id), format_func=_doc_label, horizontal=True, key="sources_doc"
)
if chosen != doc_id:
    doc_id, passage_id = chosen, None
if (doc_id, passage_id) != (state.doc, state.passage):
    state = state.with_(doc=doc_id, passage=passage_id)
    _ui.set_view(state)

if event is not None:
    back = "→" if lang == "ar" else "←"
    say.markdown(event_detail_html(event, record, lang, level=2), unsafe_allow_html=True)
    say.markdown(
        f'<p class="ca-back"><a href="{esc(timeline_href(event.id, lang))}" target="_self">'
        f"{back} {esc(t('back_to_timeline', lang))}</a></p>",
        unsafe_allow_html=True,
    )

doc = record.documents[doc_id]
say.markdown(document_header_html(doc, lang, record.places), unsafe_allow_html=True)
cites = citations(record)
shown = {e.id for e in filter_events(record.events, state)} if state.filtered else None
if shown is not None:  # under a filter: its events' passages marked, the others' events counted
    marked = sum(any(e in shown for e, _ in cites.get((d, p.id), [])) for d, d_ in record.documents.items() for p in d_.passages)
    say.caption(t("sources_marked", lang, n=len(shown), total=len(record.events), passages=marked,
                 hidden=len(record.events) - len(shown)))
for passage in doc.passages:
    target = passage.id == passage_id
    marks = highlight_spans(passage.text, state.q) if target and state.q else []  # came from a search: its words
    html = passage_html(passage, record, lang, state.event, cites=cites, target=target, shown=shown, marks=marks)
    say.markdown(html, unsafe_allow_html=True)

if passage_id:
    # Scroll the chosen passage into view once it is on the page (static/js/scroll_to.js: a
    # file, as the deployment's CSP runs no inline script). The id is escaped for the attribute.
    st.html(
        f'<span class="ca-scroll-to" data-target="{esc(anchor_id(doc_id, passage_id))}" hidden></span>'
        '<script src="app/static/js/scroll_to.js"></script>',
        unsafe_allow_javascript=True,
    )
