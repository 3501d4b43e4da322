"""One test per kind of error: each asserts the exact line and column, and the fix offered."""

import time

import pytest

from coalition_atlas.load import alpha2, check_quote, country_name, validate
from conftest import position


def only(problems):
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def test_the_fixture_record_loads(record_text, documents, places):
    atlas = validate(record_text, "events.yaml", documents, places)
    assert [e.id for e in atlas.events] == ["iraq-60-percent-retaken", "brussels-conference-announced", "paris-meeting"]
    assert atlas.quotes_verified == 3
    assert atlas.events[0].sources[0].paragraph == "2"  # an int in YAML, a passage id here


def test_yaml_syntax_error(record_text, problems_of):
    text = record_text.replace("    dating: planned\n", "    dating: planned\n  oops\n", 1)
    p = only(problems_of(text))
    assert "YAML syntax error" in p.message
    assert (p.line, p.col) == position(text, "oops")  # where the stray text begins
    assert p.hint


def test_tab_indentation(record_text, problems_of):
    text = record_text.replace("    dating: planned", "\tdating: planned", 1)
    p = only(problems_of(text))
    assert (p.line, p.col) == position(text, "\tdating")
    assert "tab" in p.hint


@pytest.mark.parametrize("text", ["", "\n\n", "# nothing but a comment\n", "\ufeff"])
def test_empty_file(text, problems_of):
    p = only(problems_of(text))
    assert (p.line, p.col, p.message) == (1, 1, "the file is empty")
    assert "events:" in p.hint


def test_not_a_record(problems_of):
    p = only(problems_of("- just\n- a list\n"))
    assert (p.line, p.col) == (1, 1) and "list" in p.message


def test_misspelt_field_suggests_the_right_one(record_text, problems_of):
    text = record_text.replace("    summary: {ar: \"رحب", "    sumary: {ar: \"رحب", 1)
    p = only(problems_of(text))
    assert (p.line, p.col) == position(text, "sumary")
    assert p.message == "unknown field 'sumary'" and p.hint == "did you mean 'summary'?"


def test_misspelt_nested_field(record_text, problems_of):
    text = record_text.replace("translation: \"to be held", "translaton: \"to be held", 1)
    p = only(problems_of(text))
    assert (p.line, p.col) == position(text, "translaton")
    assert p.hint == "did you mean 'translation'?"


def test_duplicate_key(record_text, problems_of):
    text = record_text.replace("    dating: planned\n", "    dating: planned\n    dating: on\n", 1)
    p = only(problems_of(text))
    assert (p.line, p.col) == position(text, "dating: on")
    assert "duplicate key 'dating'" in p.message and f"line {p.line - 1}" in p.message


def test_duplicate_id(record_text, problems_of):
    text = record_text.replace("id: paris-meeting", "id: iraq-60-percent-retaken", 1)
    p = only(problems_of(text))
    assert (p.line, p.col) == position(text, "iraq-60-percent-retaken", nth=1)
    assert p.message.startswith("duplicate id 'iraq-60-percent-retaken' (first at line 4)")


@pytest.mark.parametrize("bad", ["2017-02-29", "2019-13", "2019-06-31", "2019-00"])
def test_impossible_date(bad, record_text, problems_of):
    text = record_text.replace("date: 2019-06-25", f"date: {bad}", 1)
    p = only(problems_of(text))
    assert (p.line, p.col) == position(text, bad)
    assert p.message.startswith(f"impossible date '{bad}'")


def test_malformed_date(record_text, problems_of):
    text = record_text.replace("date: 2019-06-25", "date: 25/06/2019", 1)
    p = only(problems_of(text))
    assert (p.line, p.col) == position(text, "25/06/2019")
    assert "YYYY-MM-DD" in p.hint


def test_unknown_document(record_text, problems_of):
    text = record_text.replace("doc: paris-2019", "doc: paris-2091", 1)
    p = only(problems_of(text))
    assert (p.line, p.col) == position(text, "paris-2091")
    assert p.hint == "did you mean 'paris-2019'?"


def test_unknown_paragraph(record_text, problems_of):
    text = record_text.replace("paragraph: 7", "paragraph: 1", 1)
    p = only(problems_of(text))
    line, col = position(text, "paragraph: 1")
    assert (p.line, p.col) == (line, col + len("paragraph: "))
    assert p.message == "washington-2017 has no paragraph '1'"
    assert p.hint.startswith("use one of: title, 2, 3")


def test_unknown_place(record_text, problems_of):
    text = record_text.replace("places: [mosul]", "places: [mosel]", 1)
    p = only(problems_of(text))
    assert (p.line, p.col) == position(text, "mosel")
    assert p.hint.startswith("did you mean 'mosul'?")


def test_unknown_country(record_text, problems_of):
    text = record_text.replace("countries: [BEL, SYR]", "countries: [BEL, SYX]", 1)
    p = only(problems_of(text))
    assert (p.line, p.col) == position(text, "SYX")
    assert "alpha-3" in p.hint


def test_country_code_not_alpha3(record_text, problems_of):
    text = record_text.replace("countries: [FRA]", "countries: [FR]", 1)
    p = only(problems_of(text))
    assert (p.line, p.col) == position(text, "FR]")


def test_unknown_category(record_text, problems_of):
    text = record_text.replace("category: territory", "category: teritory", 1)
    p = only(problems_of(text))
    assert (p.line, p.col) == position(text, "teritory")
    assert p.hint == "did you mean 'territory'?"


def test_quote_not_verbatim_points_at_the_closest_match(record_text, problems_of):
    text = record_text.replace("الذين حرروا أكثر من 60", "الذين حرروا اكثر من 60", 1)
    p = only(problems_of(text))
    assert (p.line, p.col) == position(text, '"شركائنا')
    assert p.message == "the quote is not verbatim in washington-2017 paragraph 2"
    assert p.hint.startswith("closest match is in paragraph 2: «شركائنا العراقيين الذين حرروا أكثر")


def test_quote_in_another_paragraph_says_which(record_text, problems_of):
    text = record_text.replace("paragraph: 7", "paragraph: 8", 1)
    p = only(problems_of(text))
    assert p.hint == "it stands in paragraph 7: write `paragraph: 7`"


def test_quote_ignores_white_space(record_text, problems_of):
    assert problems_of(record_text.replace("أكثر من 60", "أكثر   من\u00a060", 1)) == []


def test_missing_translation(record_text, problems_of):
    text = record_text.replace(', en: "The Paris meeting"}', "}", 1)
    p = only(problems_of(text))
    assert (p.line, p.col) == position(text, '{ar: "اجتماع باريس"}')
    assert p.message == "'title' has no English text"


def test_empty_translation(record_text, problems_of):
    text = record_text.replace('en: "The Paris meeting"', 'en: ""', 1)
    p = only(problems_of(text))
    assert (p.line, p.col) == position(text, '""')
    assert p.message == "the English text of 'title' is empty"


def test_missing_quote_translation(record_text, problems_of):
    text = record_text.replace('        translation: "to be held in Brussels on 5 April 2017"\n', "", 1)
    p = only(problems_of(text))
    assert p.message == "missing field 'translation'"
    assert (p.line, p.col) == position(text, "doc: washington-2017", nth=1)


def test_every_problem_is_reported(record_text, problems_of):
    text = (
        record_text.replace("category: territory", "category: teritory", 1)
        .replace("places: [mosul]", "places: [mosel]", 1)
        .replace("doc: paris-2019", "doc: paris-2091", 1)
    )
    problems = problems_of(text)
    assert [p.line for p in problems] == sorted(p.line for p in problems)
    assert len(problems) == 3


def test_alias_bomb_is_refused_quickly(problems_of):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        bomb += f"{cur}: &{cur} [" + ", ".join(f"*{prev}" for _ in range(9)) + "]\n"
    bomb += "events: *j\n"
    started = time.perf_counter()
    problems = problems_of(bomb)
    assert time.perf_counter() - started < 2
    assert problems and all("aliases" in p.message for p in problems)


def test_huge_file_is_refused_before_parsing(problems_of):
    started = time.perf_counter()
    p = only(problems_of(b"events:\n" + b"  - id: x\n" * 5_500_000))
    assert time.perf_counter() - started < 2
    assert (p.line, p.col) == (1, 1) and "MB" in p.message


def test_deep_nesting(problems_of):
    p = only(problems_of("events: " + "[" * 5000 + "]" * 5000 + "\n"))
    assert "nest" in p.message


def test_not_utf8(record_text, problems_of):
    raw = record_text.encode("utf-8").replace("اجتماع باريس".encode(), b"\xff\xfe", 1)
    p = only(problems_of(raw))
    assert "not UTF-8" in p.message
    assert p.line == position(record_text, "اجتماع باريس")[0]


def test_binary_file(problems_of):
    p = only(problems_of(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
    assert "binary" in p.message or "not UTF-8" in p.message


def test_bom_and_crlf_are_fine(record_text, problems_of):
    assert problems_of(b"\xef\xbb\xbf" + record_text.replace("\n", "\r\n").encode("utf-8")) == []


def test_check_quote_unknown_doc(documents):
    message, hint = check_quote(documents, "nowhere", "2", "x")
    assert message == "unknown document 'nowhere'"


def test_country_names_come_from_babel():
    assert alpha2("IRQ") == "IQ" and alpha2("XYZ") is None
    assert country_name("SYR", "ar") == "سوريا"
    assert country_name("LBY", "en") == "Libya"


# --- the gazetteer's path: COALITION_ATLAS_PLACES -------------------------------------------------

def _gazetteer_renaming(tmp_path, old: str, new: str):
    """A copy of the real gazetteer with the place ``old`` renamed ``new``."""
    import json

    from coalition_atlas.gazetteer import PLACES_PATH

    data = json.loads(PLACES_PATH.read_text("utf-8"))
    for feature in data["features"]:
        if feature["properties"]["id"] == old:
            feature["id"] = feature["properties"]["id"] = new
    path = tmp_path / "places-other.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


def test_places_env_points_the_loader_at_another_gazetteer(record_text, tmp_path, monkeypatch):
    from coalition_atlas.load import load_atlas, places_path
    from coalition_atlas.problems import RecordError

    gazetteer = _gazetteer_renaming(tmp_path, "mosul", "mosul-other")
    record = tmp_path / "events.yaml"
    record.write_text(record_text.replace("places: [mosul]", "places: [mosul-other]"), "utf-8")
    monkeypatch.delenv("COALITION_ATLAS_PLACES", raising=False)
    with pytest.raises(RecordError) as err:  # the real gazetteer has no 'mosul-other'
        load_atlas(record)
    assert "unknown place 'mosul-other'" in str(err.value) and "geodata/places.geojson" in str(err.value)
    monkeypatch.setenv("COALITION_ATLAS_PLACES", str(gazetteer))  # read when a record is loaded
    assert places_path() == gazetteer
    atlas = load_atlas(record)
    assert "mosul-other" in atlas.places and "mosul" not in atlas.places
    assert atlas.events[0].places == ["mosul-other"]


def test_places_argument_and_unknown_place_hint(record_text, tmp_path, monkeypatch):
    from coalition_atlas.load import load_atlas
    from coalition_atlas.problems import RecordError

    gazetteer = _gazetteer_renaming(tmp_path, "paris", "paris-other")
    monkeypatch.setenv("COALITION_ATLAS_PLACES", str(tmp_path / "nowhere.geojson"))  # the argument wins
    record = tmp_path / "events.yaml"
    record.write_text(record_text, "utf-8")  # names 'paris', which this gazetteer calls 'paris-other'
    with pytest.raises(RecordError) as err:
        load_atlas(record, gazetteer)
    p = only(err.value.problems)
    assert p.message == "unknown place 'paris'"
    assert p.hint == f"did you mean 'paris-other'? (places are the ids in {gazetteer})"


def test_places_env_naming_a_missing_file(record_text, tmp_path, monkeypatch):
    from coalition_atlas.load import load_atlas
    from coalition_atlas.problems import RecordError

    record = tmp_path / "events.yaml"
    record.write_text(record_text, "utf-8")
    monkeypatch.setenv("COALITION_ATLAS_PLACES", str(tmp_path / "nowhere.geojson"))
    with pytest.raises(RecordError) as err:
        load_atlas(record)
    p = only(err.value.problems)
    assert (p.file, p.line) == ("nowhere.geojson", 1)
    assert "cannot read the gazetteer" in p.message and "COALITION_ATLAS_PLACES" in p.hint


def test_validate_cli_reads_places_env(record_text, tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    gazetteer = _gazetteer_renaming(tmp_path, "brussels", "brussels-other")
    record = tmp_path / "events.yaml"
    record.write_text(record_text.replace("places: [brussels]", "places: [brussels-other]"), "utf-8")
    env = {**os.environ, "COALITION_ATLAS_PLACES": str(gazetteer)}
    done = subprocess.run([sys.executable, "-m", "coalition_atlas", "validate", str(record)], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 events, 18 places" in done.stdout
