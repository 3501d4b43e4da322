from coalition_atlas.coverage import COVERAGE_PATH, coverage_markdown, coverage_rows, uncovered
from coalition_atlas.load import load_atlas


def test_the_coverage_table_is_current():
    atlas = load_atlas()
    assert COVERAGE_PATH.read_text(encoding="utf-8") == coverage_markdown(atlas), (
        "docs/coverage.md is stale: run `python -m coalition_atlas coverage --write`"
    )


def test_every_passage_is_cited_or_has_a_reason():
    atlas = load_atlas()
    assert uncovered(atlas) == []
    rows = coverage_rows(atlas)
    assert len(rows) == sum(len(d.passages) for d in atlas.documents.values())
    lead = next(r for r in rows if (r.doc, r.passage) == ("paris-2019", "lead"))
    assert not lead.events and "repeats" in lead.reason
