"""Our English translation of every passage: complete, nothing extra, every number kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coalition_atlas.load import validate
from coalition_atlas.problems import RecordError
from coalition_atlas.sources import (
    SOURCES_DIR,
    TRANSLATION_FILE,
    TRANSLATION_NOTICE,
    load_document,
    translation,
    translations,
)
from coalition_atlas.translations import arabic_numbers, english_numbers, number_mismatch, translation_problems

from conftest import position


def test_every_passage_of_both_documents_is_translated_and_nothing_else(documents):
    for doc in documents.values():
        assert translation_problems(doc) == []
        assert set(translations(doc.id)) == set(doc.passage_ids)
        assert set(doc.translations) == set(doc.passage_ids)
        for pid in doc.passage_ids:
            assert translation(doc.id, pid) == doc.translation(pid)
            assert len(translation(doc.id, pid)) > 20


def test_the_api_other_pages_use():
    assert translation("washington-2017", "title").startswith("Statement issued by the meeting")
    assert translation("washington-2017", 2).startswith("We welcome the decisive achievements")
    assert translation("paris-2019", "headline").startswith("The international Coalition adopts")
    assert translation("paris-2019", "99") is None
    assert translation("no-such-document", "1") is None
    assert "not the publisher's" in TRANSLATION_NOTICE["en"]


def test_the_files_say_they_are_our_own_translation():
    for doc in ("washington-2017", "paris-2019"):
        first = (SOURCES_DIR / doc / TRANSLATION_FILE).read_text("utf-8").splitlines()[0]
        assert first == (
            f"# Our own English translation of {doc}, passage by passage (not the publisher's). "
            "Slips of the original marked [sic]."
        )


def test_publisher_slips_are_marked_sic():
    # «الحل المتأصل» mistranslates Operation "Inherent Resolve": marked, not silently corrected
    assert "“Inherent Solution” [sic: Inherent Resolve]" in translation("paris-2019", "3")
    assert "Coalition [sic] partners" in translation("paris-2019", "4")  # «التتالف»
    assert "did not fail to [sic] point out" in translation("paris-2019", "4")  # «أ يشير»
    assert "United [sic] Nations" in translation("washington-2017", "4")  # «المتحددة»
    assert "carrying out [sic]" in translation("washington-2017", "11")  # «تنقيذ»


def test_numbers_are_compared_as_values():
    assert arabic_numbers("حوالي 110 آلاف كيلومتر و 7.7 مليون شخص و 20 مليار دولار") == english_numbers(
        "about 110,000 km, 7.7 million people and 20 billion dollars"
    )
    # Arabic-Indic digits and the Arabic decimal separator
    assert arabic_numbers("أكثر من ٧٫٧ مليون و ٤٦") == english_numbers("more than 7.7 million and 46")
    assert arabic_numbers("۲۰۱۷") == english_numbers("2017")
    assert number_mismatch("قراري 2178 و 2253", "resolutions 2178 and 2253") == ([], [])
    assert number_mismatch("أكثر من 40 ألف مقاتل", "more than 4,000 fighters") == (["40,000"], ["4000"])
    assert number_mismatch("في 23 آذار/مارس 2019", "in March 2019") == (["23"], [])


@pytest.fixture
def copy_of(tmp_path):
    """A copy of one document's folder, its translation text, and a loader of it."""

    def make(doc_id: str) -> tuple[Path, str]:
        folder = tmp_path / doc_id
        shutil.copytree(SOURCES_DIR / doc_id, folder)
        return folder, (folder / TRANSLATION_FILE).read_text("utf-8")

    return make


def _problems_after(folder: Path, text: str | None):
    path = folder / TRANSLATION_FILE
    if text is None:
        path.unlink()
    else:
        path.write_text(text, "utf-8")
    return translation_problems(load_document(folder))


def test_a_passage_without_translation_is_refused(copy_of):
    folder, text = copy_of("paris-2019")
    lines = [line for line in text.splitlines(keepends=True) if not line.startswith('  "8":')]
    text = "".join(lines)
    [p] = _problems_after(folder, text)
    assert (p.line, p.col) == position(text, "passages:")
    assert p.message == "passage '8' of paris-2019 has no translation"
    assert p.hint == 'add `"8": "…"` under `passages:`'


def test_a_translation_of_a_passage_that_does_not_exist_is_refused(copy_of):
    folder, text = copy_of("washington-2017")
    text = text.replace('  "14":', '  "1": "Paragraph one."\n  "14":')
    [p] = _problems_after(folder, text)
    assert (p.line, p.col) == position(text, '"1":')
    assert p.message == "washington-2017 has no passage '1'"
    assert p.hint.startswith("use one of: title, 2, 3")


def test_a_translation_that_changes_a_number_is_refused(copy_of):
    folder, text = copy_of("paris-2019")
    text = text.replace("more than 40,000 foreign", "more than 4,000 foreign")
    problems = _problems_after(folder, text)
    assert [p.message for p in problems] == [
        "the translation of passage '3' drops or changes the number(s) 40,000",
        "the translation of passage '3' has number(s) 4000 that the Arabic does not write",
    ]
    assert {(p.line, p.col) for p in problems} == {position(text, '"The statement noted')}


def test_a_translation_that_drops_a_number_is_refused(copy_of):
    folder, text = copy_of("washington-2017")
    text = text.replace("resolutions 2178 and 2253", "resolutions 2178 and another")
    [p] = _problems_after(folder, text)
    assert p.message == "the translation of passage '11' drops or changes the number(s) 2253"
    assert p.hint == "write every number the Arabic writes in digits, in digits, with the same value"


def test_a_number_written_in_words_is_a_dropped_number(copy_of):
    folder, text = copy_of("paris-2019")
    text = text.replace("no fewer than 46 Coalition", "no fewer than forty-six Coalition")
    [p] = _problems_after(folder, text)
    assert p.message == "the translation of passage '3' drops or changes the number(s) 46"


def test_an_empty_translation_and_an_unknown_field_are_refused(copy_of):
    folder, text = copy_of("paris-2019")
    text = text.replace('  headline: "The international Coalition adopts a new road map to fight what remains of Daesh in Syria"', '  headline: ""')
    text = "note: hello\n" + text
    messages = [p.message for p in _problems_after(folder, text)]
    assert messages == ["unknown top-level field 'note'", "the translation of passage 'headline' is empty"]


def test_a_document_without_a_translation_file_is_refused(copy_of):
    folder, _ = copy_of("paris-2019")
    [p] = _problems_after(folder, None)
    assert (p.line, p.col) == (1, 1)
    assert p.message == "paris-2019 has no English translation"
    assert "create translation.en.yaml beside its text.txt" in p.hint


def test_a_broken_translation_file_is_reported_not_raised(copy_of):
    folder, text = copy_of("paris-2019")
    text = text.replace('  "1": "The political', '  "1": "The political\n "broken', 1)
    problems = _problems_after(folder, text)
    assert problems and all(p.file.endswith(TRANSLATION_FILE) for p in problems)


def test_the_record_validator_refuses_a_bad_translation(tmp_path, record_text, places):
    root = tmp_path / "sources"
    shutil.copytree(SOURCES_DIR, root)
    path = root / "paris-2019" / TRANSLATION_FILE
    text = path.read_text("utf-8").replace("on 23 March 2019", "on 22 March 2019")
    path.write_text(text, "utf-8")
    documents = {d: load_document(root / d) for d in ("washington-2017", "paris-2019")}
    with pytest.raises(RecordError) as err:
        validate(record_text, "events.yaml", documents, places)
    line, col = position(text, '"The statement noted')
    assert [str(p) for p in err.value.problems] == [
        f"{path}:{line}:{col}: the translation of passage '3' drops or changes the number(s) 23 — "
        "write every number the Arabic writes in digits, in digits, with the same value",
        f"{path}:{line}:{col}: the translation of passage '3' has number(s) 22 that the Arabic does not write — "
        "translate the numbers of the passage, no others",
    ]


def test_the_real_files_are_named_relative_to_the_project(documents):
    from coalition_atlas.sources import translation_file_name

    assert translation_file_name(documents["paris-2019"].translation_path) == "sources/paris-2019/translation.en.yaml"


# --- the quote translations in events.yaml agree with the passage translations --------------------

def test_every_quote_translation_stands_in_its_passage_translation(real_atlas):
    from coalition_atlas.translations import stands_in

    checked = 0
    for event in real_atlas.events:
        for ref in event.sources:
            passage_en = real_atlas.documents[ref.doc].translation(ref.paragraph)
            assert ref.translation_note is not None or stands_in(ref.translation, passage_en), (event.id, ref.translation)
            checked += 1
    assert checked == real_atlas.quotes_verified


def test_a_quote_translation_that_differs_is_refused(record_text, problems_of):
    text = record_text.replace("who have liberated more than 60 percent", "who have freed more than 60 percent", 1)
    [p] = problems_of(text)
    assert (p.line, p.col) == position(text, '"our Iraqi partners, who have freed')
    assert p.message == "the translation differs from washington-2017 passage 2's translation in translation.en.yaml"
    assert p.hint.startswith("closest there: “") and "Iraqi partners, who have liberated more than 60 percent" in p.hint
    assert p.hint.endswith("— use the same words, or say why in `translation_note:`")


def test_a_stated_note_lets_a_different_translation_stand(record_text, problems_of):
    text = record_text.replace(
        'translation: "our Iraqi partners, who have liberated more than 60 percent of their territory"',
        'translation: "our Iraqi partners, who have freed more than 60 percent of their land"\n'
        '        translation_note: "plainer words for a school audience"',
        1,
    )
    assert problems_of(text) == []


def test_white_space_and_a_mid_sentence_start_are_not_differences(record_text, problems_of):
    text = record_text.replace(
        'translation: "at a meeting that brought them together yesterday, Tuesday, in the French capital, Paris"',
        'translation: "At a meeting  that brought them together\\nyesterday, Tuesday, in the French capital, Paris"',
        1,
    )
    assert problems_of(text) == []
