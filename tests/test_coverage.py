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


def test_every_word_of_every_passage_is_quoted_or_explained():
    """Issue 12: every statement is captured by an event or explained. Held word by word."""
    atlas = load_atlas()
    for row in coverage_rows(atlas):
        if row.reason:
            assert row.gaps, row  # the uncited passage's words are listed, with its reason
        else:
            assert row.quoted == row.words and not row.gaps, row
    text = coverage_markdown(atlas)
    assert "NOT EXPLAINED" not in text
    assert "| 3 | 174 of 174 |" in text  # Paris body 3: every word quoted
    assert "tens of thousands" in text and "nearly 20 billion dollars" in text  # its figures, said aloud (issue 14)


def _without(atlas, event_id):
    from dataclasses import replace

    events = tuple(e for e in atlas.events if e.id != event_id)
    return replace(atlas, events=events)


def test_words_no_event_quotes_are_shown_and_must_be_explained():
    from dataclasses import replace

    atlas = _without(load_atlas(), "primary-responsibility-and-good-governance")
    [row] = uncovered(atlas)
    assert (row.doc, row.passage) == ("washington-2017", "5")
    assert row.unexplained == (
        "وفي حين تقع المسؤولية الرئيسية على عاتق الحكومات الوطنية والمحلية",
        "وسينبع الاستقرار الناجح والتعافي طويل الامد من الحكم الرشيد وتوفير الخدمات والترتيبات الأمنية التي تعود بالفائدة على جميع المجتمعات المحلية",
    )
    assert "«وفي حين تقع المسؤولية الرئيسية على عاتق الحكومات الوطنية والمحلية» — NOT EXPLAINED" in coverage_markdown(atlas)
    # a stated reason in meta.yaml `unquoted` explains them
    doc = atlas.documents["washington-2017"]
    why = {"وفي حين تقع المسؤولية الرئيسية على عاتق الحكومات الوطنية والمحلية، يبقى": "a concession; the priority is quoted",
           "وسينبع الاستقرار الناجح والتعافي طويل الامد من الحكم الرشيد وتوفير الخدمات والترتيبات الأمنية التي تعود بالفائدة على جميع المجتمعات المحلية": "a general statement"}
    meta = doc.meta.model_copy(update={"unquoted": {"5": why}})
    atlas = replace(atlas, documents={**atlas.documents, doc.id: replace(doc, meta=meta)})
    assert uncovered(atlas) == []
    assert "— a concession; the priority is quoted" in coverage_markdown(atlas)


def test_the_cli_exits_1_on_unexplained_words(tmp_path, capsys):
    from coalition_atlas.cli import main

    assert main(["coverage"]) == 0
    text = open("events.yaml", encoding="utf-8").read()
    start = text.index("  - id: primary-responsibility-and-good-governance")
    end = text.index("  - id: partners-pledge-over-2-billion")
    path = tmp_path / "events.yaml"
    path.write_text(text[:start] + text[end:], "utf-8")
    assert main(["coverage", str(path)]) == 1
    assert "uncovered: washington-2017 paragraph 5" in capsys.readouterr().err
