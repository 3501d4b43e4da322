from pathlib import Path

from coalition_atlas.sources import SOURCES_DIR, find_quote, load_document, normalize_ws, parse_article, parse_numbered


def test_documents_and_passage_ids(documents):
    assert list(documents) == ["washington-2017", "paris-2019"]
    assert documents["washington-2017"].passage_ids == ("title",) + tuple(str(n) for n in range(2, 15))
    assert documents["paris-2019"].passage_ids == ("headline", "lead", "caption") + tuple(str(n) for n in range(1, 12))


def test_chrome_is_left_out(documents):
    every = " ".join(p.text for d in documents.values() for p in d.passages)
    assert "ملفات تعريف الارتباط" not in every  # cookie notice
    assert "أقسام" not in every and "أخبار متعلقة" not in every
    assert documents["paris-2019"].passage("11").text.endswith("السياسي والمصالحة.")


def test_passages_are_verbatim_slices_of_the_received_bytes(documents):
    for doc in documents.values():
        raw = (SOURCES_DIR / doc.id / "text.txt").read_text("utf-8")
        for passage in doc.passages:
            assert passage.text in raw, (doc.id, passage.id)


def test_sources_are_the_received_files_byte_for_byte():
    seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if not seeds.is_dir():
        return  # the project never reads shared/; this only checks the copy where it can
    assert (SOURCES_DIR / "washington-2017" / "text.txt").read_bytes() == (seeds / "001_a32a37469dd05841.txt").read_bytes()
    assert (SOURCES_DIR / "paris-2019" / "text.txt").read_bytes() == (seeds / "000_6d08743864bcd230.txt").read_bytes()


def test_metadata_has_no_url(documents):
    for doc in documents.values():
        dumped = doc.meta.model_dump_json()
        assert "http" not in dumped and "www." not in dumped
    assert documents["washington-2017"].meta.kind == "statement"
    assert documents["paris-2019"].meta.kind == "news-report"


def test_numbered_layout_keeps_the_documents_own_numbers():
    parts = parse_numbered("Title\n\n2. first\ncontinued\n\n3. second\nCOOKIE notice\n4. gone", ("COOKIE",))
    assert parts == [("title", "Title"), ("2", "first\ncontinued"), ("3", "second")]


def test_article_layout():
    parts = parse_article("H\n\nL...\nC - date\n\nB1\n\nB2\nSECTIONS\nmore", ("SECTIONS",))
    assert parts == [("headline", "H"), ("lead", "L..."), ("caption", "C - date"), ("1", "B1"), ("2", "B2")]


def test_a_third_document_needs_no_code(tmp_path):
    folder = tmp_path / "third"
    folder.mkdir()
    (folder / "text.txt").write_text("عنوان\n\n1. فقرة أولى\n", "utf-8")
    (folder / "meta.yaml").write_text(
        "id: third\nkind: statement\ndate: 2018-02-13\nplace: kuwait-city\n"
        "title: {ar: عنوان, en: Title}\norigin: {ar: أصل, en: Origin}\nlayout: numbered\n",
        "utf-8",
    )
    doc = load_document(folder)
    assert doc.passage("1").text == "فقرة أولى"


def test_find_quote_ignores_white_space_but_not_words(documents):
    p5 = documents["washington-2017"].passage("5")
    # the source has a space and a no-break space in «ومازالوا يقدمون  دعماً»
    assert "يقدمون \u00a0دعماً" in p5.text
    start, end = find_quote(p5, "ومازالوا يقدمون دعماً هاماً")
    assert p5.text[start:end] == "ومازالوا يقدمون \u00a0دعماً هاماً"
    assert find_quote(p5, "ومازالوا يقدمون دعما هاماً") is None  # one letter differs
    assert normalize_ws(" a\u00a0 b\n c ") == "a b c"
