"""The real record: true to the sources, complete, and every name findable."""

import re

import pytest

from coalition_atlas.load import load_atlas
from coalition_atlas.sources import find_quote


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def test_every_quote_stands_in_its_paragraph(atlas):
    checked = 0
    for event in atlas.events:
        assert event.sources, event.id
        for ref in event.sources:
            passage = atlas.documents[ref.doc].passage(ref.paragraph)
            assert passage is not None, (event.id, ref.paragraph)
            assert find_quote(passage, ref.quote), (event.id, ref.quote)
            assert len(ref.quote.split()) >= 4, f"{event.id}: quote at least a clause"
            checked += 1
    assert checked == atlas.quotes_verified >= len(atlas.events)


def test_size_and_ids(atlas):
    assert 40 <= len(atlas.events) <= 70
    ids = [e.id for e in atlas.events]
    assert len(ids) == len(set(ids))


def test_every_numbered_and_body_paragraph_is_covered(atlas):
    cited = {(ref.doc, ref.paragraph) for e in atlas.events for ref in e.sources}
    for n in range(2, 15):
        assert ("washington-2017", str(n)) in cited, n
    for n in range(1, 12):
        assert ("paris-2019", str(n)) in cited, n


def test_reported_states_sit_on_their_documents_date(atlas):
    doc_dates = {d.id: d.meta.date.isoformat() for d in atlas.documents.values()}
    for event in atlas.events:
        if event.dating == "reported":
            assert event.date in {doc_dates[s.doc] for s in event.sources}, event.id


def test_dates_named_in_the_documents(atlas):
    by_date = {}
    for event in atlas.events:
        by_date.setdefault(event.date, []).append(event)
    assert any("kuwait-city" in e.places for e in by_date["2018-02"])
    assert any(e.dating == "on" and e.category == "territory" for e in by_date["2019-03-23"])
    assert all(e.dating == "planned" for e in by_date["2017-04-05"] + by_date["2017-07"])
    assert "2012" in by_date  # the Geneva communiqué, before the timeline's main span


def _findable(atlas, text: str) -> bool:
    for e in atlas.events:
        blob = " ".join([e.title.ar, e.title.en, e.summary.ar, e.summary.en] + [p.ar + p.en for p in e.people])
        if text in blob:
            return True
    return False


@pytest.mark.parametrize("name", ["العبادي", "السراج", "دي مستورا", "لو دريان"])
def test_every_person_is_findable(atlas, name):
    assert _findable(atlas, name)


@pytest.mark.parametrize(
    "code", ["IRQ", "SYR", "LBY", "AFG", "TUR", "NGA", "ITA", "FRA", "KWT", "USA", "CHE", "KAZ", "BEL"]
)
def test_every_country_is_findable(atlas, code):
    assert any(code in e.countries for e in atlas.events)


def test_every_place_in_the_gazetteer_is_used(atlas):
    used = {p for e in atlas.events for p in e.places}
    assert used == set(atlas.places)


@pytest.mark.parametrize(
    "value", [60, 1 / 3, 0.5, 2_000_000_000, 110_000, 40_000, 7_700_000, 20_000_000_000, 210_000, 46]
)
def test_every_figure_is_recorded(atlas, value):  # a third is 1/3 (was 0.333; issue 12)
    assert any(f.value is not None and abs(f.value - value) < 1e-9 for e in atlas.events for f in e.figures)


def test_every_number_in_the_texts_is_in_some_event(atlas):
    """Each number the documents print stands in a quote of some event."""
    quotes = " ".join(ref.quote for e in atlas.events for ref in e.sources)
    for doc in atlas.documents.values():
        for passage in doc.passages:
            if passage.id in ("lead", "caption", "title"):
                continue
            for number in re.findall(r"\d+(?:[.,]\d+)?", passage.text):
                assert number in quotes, (doc.id, passage.id, number)


def test_no_url_anywhere_in_the_record(atlas):
    text = open("events.yaml", encoding="utf-8").read()
    assert "http" not in text and "www." not in text
