"""Sources: each document verbatim, passage by passage, with the events that cite each passage.

URL: ?doc=…&p=… opens a document and scrolls to a passage; &event=… highlights the words that
event quotes and shows the event on top. The HTML comes from coalition_atlas.passages.
"""

from __future__ import annotations

import json

import streamlit as st

from coalition_atlas.i18n import format_day, t
from coalition_atlas.passages import anchor_id, citations, document_header_html, passage_html, timeline_href
from coalition_atlas.render import esc, event_detail_html, md
from pages import _ui

record = _ui.atlas()
state = _ui.view(record)  # st.session_state["view"] (set from the URL by dashboard.py)
lang = state.lang
event = record.event(state.event) if state.event else None

st.html(
    """<style>
[data-testid="stMain"] [data-testid="stElementContainer"] { text-align: start; }  /* not "left" in Arabic */
.ca-doc-header[dir="rtl"] > * { text-align: right; }
.ca-doc-header[dir="ltr"] > * { text-align: left; }
.ca-doc-header .ca-doc-title { font-size: 1.6rem; font-weight: 700; line-height: 1.5; margin-bottom: .2rem; }
.ca-doc-header .ca-no-url { color: #555; font-style: italic; }
.ca-passage { border-block-start: 1px solid #ddd; padding-block: .5rem; }
.ca-passage.ca-target { border-inline-start: 4px solid #E69F00; padding-inline-start: .7rem; }
.ca-passage .ca-pid { margin: 0; font-size: .85rem; }
.ca-passage .ca-pid a { color: #555; text-decoration: none; }
.ca-passage .ca-ptext { font-size: 1.15rem; line-height: 2; text-align: justify; margin-block: .2rem .4rem; }
.ca-backlinks { font-size: .9rem; color: #333; }
.ca-backlinks p { margin: 0; }
.ca-backlinks ul { margin-block: .1rem 0; }
.ca-backlinks li.ca-current { font-weight: 700; }
.ca-backlinks a.ca-tl { color: #555; }
</style>"""
)

st.title(t("sources", lang))
_ui.page_links(state)

docs = list(record.documents)
doc_id, passage_id = state.doc, state.passage
if doc_id is None and event is not None:  # only an event: open the passage it quotes first
    doc_id, passage_id = event.sources[0].doc, event.sources[0].paragraph
if doc_id not in record.documents:
    doc_id, passage_id = docs[0], None


def _doc_label(doc: str) -> str:
    meta = record.documents[doc].meta
    place = record.places.get(meta.place)
    return md(f"{t(meta.kind, lang)} · {place.name(lang) if place else meta.place} · {format_day(meta.date, lang)}")


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
    st.markdown(event_detail_html(event, record, lang), unsafe_allow_html=True)
    st.markdown(
        f'<p class="ca-back"><a href="{esc(timeline_href(event.id, lang))}" target="_self">'
        f"{back} {esc(t('back_to_timeline', lang))}</a></p>",
        unsafe_allow_html=True,
    )

doc = record.documents[doc_id]
st.markdown(document_header_html(doc, lang, record.places), unsafe_allow_html=True)
cites = citations(record)
for passage in doc.passages:
    html = passage_html(passage, record, lang, state.event, cites=cites, target=passage.id == passage_id)
    st.markdown(html, unsafe_allow_html=True)

if passage_id:
    # Scroll the chosen passage into view once it is on the page. The id comes from the
    # validated state; json.dumps quotes it and "</" is escaped so it cannot end the script.
    target = json.dumps(anchor_id(doc_id, passage_id)).replace("</", "<\\/")
    st.html(
        f"""<script>
(function () {{
  var id = {target}, tries = 0, settled = 0;
  function go() {{
    var el = document.getElementById(id);
    if (!el) {{ if (++tries < 100) setTimeout(go, 100); return; }}
    el.scrollIntoView({{block: "center"}});
    if (++settled < 4) setTimeout(go, 300);  // again while fonts and elements above settle
  }}
  go();
}})();
</script>""",
        unsafe_allow_javascript=True,
    )
