"""The Sources page's HTML: passages verbatim, highlights exactly on the quoted words, backlinks
to every citing event, and nothing from the data reaching the page unescaped."""

from __future__ import annotations

import html
import re

import pytest
from ruamel.yaml import YAML

from coalition_atlas.i18n import format_day, t
from coalition_atlas.load import EVENTS_PATH, Atlas
from coalition_atlas.models import Event, Record
from coalition_atlas.passages import (
    anchor_id,
    citations,
    document_header_html,
    highlighted_html,
    merge_spans,
    passage_html,
)
from coalition_atlas.sources import Document, DocumentMeta, Passage, find_quote, normalize_ws

HOSTILE = ['<img src=x onerror=alert(1)>', '"><script>alert(1)</script>']
MARK = re.compile(r'<mark class="ca-hl">(.*?)</mark>', re.S)


def atlas_of(text: str, documents) -> Atlas:
    """A record's events as an Atlas (quotes checked here; the gazetteer is not needed)."""
    record = Record.model_validate(YAML(typ="safe", pure=True).load(text))
    for event in record.events:
        for ref in event.sources:
            assert find_quote(documents[ref.doc].passage(ref.paragraph), ref.quote), (event.id, ref.paragraph)
    return Atlas(tuple(record.events), {}, documents, 0)


@pytest.fixture(scope="module", params=["fixture", "events.yaml"])
def atlas(request, record_text, documents) -> Atlas:
    if request.param == "fixture":
        return atlas_of(record_text, documents)
    if not EVENTS_PATH.is_file():
        pytest.skip("events.yaml is not there yet")
    return atlas_of(EVENTS_PATH.read_text("utf-8"), documents)


def event(id_: str, doc: str, paragraph: str, quote: str, title: str = "Title") -> Event:
    return Event.model_validate(
        {
            "id": id_, "date": "2017-03-22", "dating": "on", "category": "diplomacy",
            "title": {"ar": title, "en": title}, "summary": {"ar": "ملخص", "en": "Summary"},
            "sources": [{"doc": doc, "paragraph": paragraph, "quote": quote, "translation": "tr"}],
        }
    )


def marks(out: str) -> list[str]:
    return [html.unescape(m.replace("<br>", "\n")) for m in MARK.findall(out)]


def test_every_passage_of_both_documents_renders(atlas, documents):
    assert set(documents) == {"washington-2017", "paris-2019"}
    for doc in documents.values():
        for lang in ("ar", "en"):
            for passage in doc.passages:
                out = passage_html(passage, atlas, lang)
                assert f'id="{anchor_id(doc.id, passage.id)}"' in out
                assert 'class="ca-passage"' in out and 'dir="rtl" lang="ar"' in out
                assert html.escape(passage.text).replace("\n", "<br>") in out  # verbatim, every character
                link = f"sources?doc={doc.id}&amp;p={passage.id}" + ("&amp;lang=en" if lang == "en" else "")
                assert f'href="{link}"' in out and "¶" in out
                assert "<mark" not in out  # nothing highlighted without an event


def test_highlight_wraps_exactly_each_quote_of_the_event(atlas):
    checked = 0
    for ev in atlas.events:
        for ref in ev.sources:
            passage = atlas.documents[ref.doc].passage(ref.paragraph)
            out = passage_html(passage, atlas, "ar", ev.id)
            spans = merge_spans([find_quote(passage, r.quote) for r in ev.sources if (r.doc, r.paragraph) == (ref.doc, ref.paragraph)])
            assert marks(out) == [passage.text[s:e] for s, e in spans]
            assert any(normalize_ws(m).find(normalize_ws(ref.quote)) >= 0 for m in marks(out))
            # the text around the marks is still the passage, unchanged
            body = re.search(r'<p class="ca-ptext" dir="rtl" lang="ar">(.*?)</p>', out, re.S).group(1)
            assert html.unescape(re.sub(r"</?mark[^>]*>", "", body).replace("<br>", "\n")) == passage.text
            checked += 1
    assert checked == sum(len(e.sources) for e in atlas.events)


def test_highlight_across_the_no_break_space_of_washington_paragraph_5(documents):
    p5 = documents["washington-2017"].passage("5")
    ev = event("across-nbsp", "washington-2017", "5", "ومازالوا يقدمون دعماً هاماً")  # a plain space in the quote
    out = passage_html(p5, Atlas((ev,), {}, documents, 0), "ar", "across-nbsp")
    assert marks(out) == ["ومازالوا يقدمون \u00a0دعماً هاماً"]
    assert '<mark class="ca-hl">ومازالوا يقدمون \u00a0دعماً هاماً</mark>' in out


def test_overlapping_quotes_are_merged_and_other_events_are_not_marked(documents):
    p5 = documents["washington-2017"].passage("5")
    first = event("first", "washington-2017", "5", "ومازالوا يقدمون دعماً هاماً")
    both = Event.model_validate(
        {**first.model_dump(), "id": "both", "sources": [
            {"doc": "washington-2017", "paragraph": "5", "quote": "يقدمون دعماً هاماً آخر", "translation": "a"},
            {"doc": "washington-2017", "paragraph": "5", "quote": "دعماً هاماً آخر، لا سيما", "translation": "b"},
        ]}
    )
    atlas = Atlas((first, both), {}, documents, 0)
    assert marks(passage_html(p5, atlas, "ar", "both")) == ["يقدمون \u00a0دعماً هاماً آخر، لا سيما"]
    assert marks(passage_html(p5, atlas, "ar", "first")) == ["ومازالوا يقدمون \u00a0دعماً هاماً"]
    assert marks(passage_html(p5, atlas, "ar", "not-an-event")) == []
    assert merge_spans([(5, 9), (0, 3), (3, 4), (8, 12)]) == [(0, 4), (5, 12)]


def test_new_lines_become_line_breaks_and_pieces_are_escaped_separately():
    text = "a < b\nc & d"
    assert highlighted_html(text, []) == "a &lt; b<br>c &amp; d"
    start = text.index("<")
    assert highlighted_html(text, [(start, start + 5)]) == 'a <mark class="ca-hl">&lt; b<br>c</mark> &amp; d'


def test_backlinks_list_every_citing_event(atlas, documents):
    expected: dict[tuple[str, str], set[str]] = {}
    for ev in atlas.events:
        for ref in ev.sources:
            expected.setdefault((ref.doc, ref.paragraph), set()).add(ev.id)
    assert {k: {e for e, _ in v} for k, v in citations(atlas).items()} == expected
    for doc in documents.values():
        for passage in doc.passages:
            for lang in ("ar", "en"):
                out = passage_html(passage, atlas, lang)
                suffix = "&amp;lang=en" if lang == "en" else ""
                linked = set(re.findall(rf'href="sources\?doc={doc.id}&amp;p={passage.id}&amp;event=([a-z0-9-]+){suffix}"', out))
                on_timeline = set(re.findall(rf'href="timeline\?event=([a-z0-9-]+){suffix}"', out))
                want = expected.get((doc.id, passage.id), set())
                assert linked == want and on_timeline == want, (doc.id, passage.id)
                for ev_id in want:
                    assert html.escape(atlas.event(ev_id).title.get(lang)) in out
                if not want:
                    assert t("no_citations", lang) in out


def test_a_passage_cited_by_many_events_lists_backlinks_max_and_the_chosen_one(atlas, documents):
    import dataclasses

    from coalition_atlas.passages import BACKLINKS_MAX

    ref = atlas.events[0].sources[0]
    many = [atlas.events[0].model_copy(update={"id": f"copy-{i}"}) for i in range(BACKLINKS_MAX + 15)]
    crowded = dataclasses.replace(atlas, events=tuple(many))
    passage = documents[ref.doc].passage(ref.paragraph)
    out = passage_html(passage, crowded, "en", highlight_event=f"copy-{BACKLINKS_MAX + 10}")
    items = re.findall(r"<li[ >]", out)
    assert len(items) == BACKLINKS_MAX + 1  # the links and one "and N more"
    assert f"event=copy-{BACKLINKS_MAX + 10}" in out and 'aria-current="true"' in out
    assert t("more_citing", "en", n=15) in out and f"({BACKLINKS_MAX + 15})" in out


@pytest.mark.parametrize("bad", HOSTILE)
def test_hostile_titles_and_quotes_are_escaped(documents, bad):
    p2 = documents["washington-2017"].passage("2")
    cites = event("hostile", "washington-2017", "2", bad, title=bad)  # a quote that is not in the text
    out = passage_html(p2, Atlas((cites,), {}, documents, 0), "en", "hostile")
    assert html.escape(bad) in out
    assert "<img" not in out and "<script" not in out
    assert "<mark" not in out  # the quote does not stand in the passage: nothing is marked
    # a passage whose own words are hostile, quoted: marked, and still escaped
    passage = Passage("washington-2017", "2", f"قبل {bad} بعد", 1)
    ev = event("hostile", "washington-2017", "2", bad, title=bad)
    out = passage_html(passage, Atlas((ev,), {}, documents, 0), "ar", "hostile")
    assert marks(out) == [bad]
    assert "<img" not in out and "<script" not in out


@pytest.mark.parametrize("bad", HOSTILE)
def test_hostile_document_metadata_is_escaped(bad):
    meta = DocumentMeta(
        id="third", kind="statement", date="2018-02-13", place=bad, layout="numbered",
        title={"ar": bad, "en": bad}, origin={"ar": bad, "en": bad},
    )
    for lang in ("ar", "en"):
        out = document_header_html(Document(meta, ()), lang)
        assert "<img" not in out and "<script" not in out
        assert out.count(html.escape(bad)) == 4  # Arabic title, English title, place, origin


def test_document_headers_invent_no_web_address(documents):
    for doc in documents.values():
        for lang in ("ar", "en"):
            out = document_header_html(doc, lang)
            assert "http" not in out and "www." not in out and "href" not in out
            assert t("no_web_address", lang) in out
            assert html.escape(doc.meta.title.ar) in out and html.escape(doc.meta.title.en) in out
            assert t(doc.meta.kind, lang) in out
            assert format_day(doc.meta.date, lang) in out
            assert html.escape(doc.meta.origin.get(lang)) in out
            assert "ملفات تعريف الارتباط" not in out  # no web-page chrome


def test_header_names_the_place_from_the_gazetteer(documents):
    class Place:
        def name(self, lang):
            return "واشنطن" if lang == "ar" else "Washington"

    doc = documents["washington-2017"]
    assert "Washington" in document_header_html(doc, "en", {"washington": Place()})
    assert "واشنطن" in document_header_html(doc, "ar", {"washington": Place()})


def test_the_target_passage_is_marked_as_such(documents, record_text):
    atlas = atlas_of(record_text, documents)
    p = documents["paris-2019"].passage("1")
    assert "ca-target" in passage_html(p, atlas, "ar", target=True)
    assert "ca-target" not in passage_html(p, atlas, "ar")


def test_under_a_filter_the_passages_its_events_cite_are_marked_and_the_rest_counted(atlas, documents):
    cites = citations(atlas)
    some = {atlas.events[0].id}  # "the filter shows" one event
    marked = 0
    for doc in documents.values():
        for passage in doc.passages:
            citing = list(dict.fromkeys(e for e, _ in cites.get((doc.id, passage.id), [])))
            out = passage_html(passage, atlas, "en", cites=cites, shown=some)
            in_view = bool(set(citing) & some)
            marked += in_view
            assert ("ca-in-view" in out) is in_view and (t("cited_in_view", "en") in out) is in_view
            linked = set(re.findall(r'href="timeline\?event=([a-z0-9-]+)', out))
            assert linked == set(citing) & some, (doc.id, passage.id)
            hidden = len(set(citing) - some)
            assert (t("hidden_citing", "en", n=hidden) in out) is bool(hidden)
            unfiltered = passage_html(passage, atlas, "en", cites=cites)
            assert "ca-in-view" not in unfiltered and "ca-hidden" not in unfiltered
    assert marked == len({(r.doc, r.paragraph) for r in atlas.events[0].sources})
