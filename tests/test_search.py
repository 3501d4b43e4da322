"""search.py: the normaliser, the ranking, the highlights and the suggestions, with the real words
of the two documents and the ways people type them."""

from __future__ import annotations

import pytest

from coalition_atlas import search as S


@pytest.fixture(scope="module")
def atlas(real_atlas):
    return real_atlas


# --- the normaliser -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("الموصِل", "الموصل"),  # a kasra
        ("داعـش", "داعش"),  # tatweel
        ("٢٠١٧", "2017"),  # Arabic-Indic digits
        ("۲۰۱۷", "2017"),  # Eastern Arabic-Indic (Persian) digits
        ("الإنتربول", "الانتربول"),  # hamza under alef
        ("أكثر", "اكثر"),
        ("آذار", "اذار"),
        ("ٱلتحالف", "التحالف"),  # wasla
        ("مستشفى", "مستشفي"),  # alef maqsura / ya
        ("الدولة", "الدوله"),  # ta marbuta / ha
        ("مُحَمَّدٌ", "محمد"),  # full diacritics
        ("Interpol", "interpol"),
        ("110,000", "110000"),
        ("٧٫٧", "7.7"),  # the Arabic decimal separator
    ],
)
def test_fold_treats_the_variants_as_equal(typed, written):
    assert S.fold(typed) == S.fold(written)


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("الموصل", "موصل"), ("والموصل", "موصل"), ("بالموصل", "موصل"), ("للانتربول", "انتربول"),
        ("الانتربول", "انتربول"), ("وداعش", "داعش"), ("داعش", "داعش"),
        ("liberated", "liberat"), ("liberation", "liberat"), ("liberating", "liberat"), ("forces", "forc"),
        ("process", "process"), ("cities", "city"),
    ],
)
def test_stems(word, stem):
    assert S.stem(S.fold(word)) == stem


def test_short_words_keep_their_first_letter():
    """A single clitic comes off only when three letters or more remain: «بيان» stays whole."""
    assert S.stem("بيان") == "يان" and S.stem("ولد") == "ولد" and S.stem("ال") == "ال"


def test_tokens_keep_offsets_into_the_text_as_written():
    text = "تحرير الموصِل وداعـش في ٢٠١٧"
    toks = S.tokens(text)
    assert [text[t.start:t.end] for t in toks] == ["تحرير", "الموصِل", "وداعـش", "في", "٢٠١٧"]
    assert [t.form for t in toks] == ["تحرير", "الموصل", "وداعش", "في", "2017"]
    assert S.normalise("7.7 مليون، و110,000 كم²") == "7.7 مليون و 110000 كم²"


def test_query_terms_drop_stop_words_unless_nothing_else_is_left():
    assert [t.form for t in S.query_terms("the liberation of Mosul")] == ["liberation", "mosul"]
    assert [t.form for t in S.query_terms("of the")] == ["of", "the"]
    assert len(S.query_terms("a b c d e f g h i j k")) == S.MAX_TERMS


# --- matching the real record ----------------------------------------------------------------------

def _events(results):
    return [h.ref[0] for h in results.groups["events"]]


@pytest.mark.parametrize(("typed", "as_written"), [("الموصل", "الموصِل"), ("داعش", "داعـش"), ("2017", "٢٠١٧")])
def test_variants_find_the_same(atlas, typed, as_written):
    a, b = S.search(atlas, typed), S.search(atlas, as_written)
    assert a.totals == b.totals and a.total > 0
    assert _events(a) == _events(b)


@pytest.mark.parametrize("typed", ["انتربول", "الإنتربول", "الانتربول", "للإنتربول", "إنتربول"])
def test_interpol_however_typed(atlas, typed):
    """«الإنتربول» and «للإنتربول» in the texts, typed with or without hamza, article or prefix."""
    results = S.search(atlas, typed)
    assert set(_events(results)) == {
        "information-sharing-interpol-europol", "interpol-databases-and-i-24-7", "information-sharing-interpol-un-strategy",
    }
    assert {h.ref for h in results.groups["passages"]} == {("washington-2017", "11"), ("paris-2019", "7")}
    marked = {text for h in results.groups["events"] + results.groups["passages"] for s in h.snippets
              for text, on in s.pieces if on}
    assert marked == {"الإنتربول", "للإنتربول"}  # the words as the source writes them


def test_exact_form_ranks_above_a_stem_or_prefix(atlas):
    index = S.index_for(atlas)
    keys = S._expansions(index, S.query_terms("الموصل")[0])
    assert keys["الموصل"] == S.EXACT and keys["موصل"] == S.STEM


def test_mosul_in_both_languages_and_the_place_first(atlas):
    for q in ("الموصل", "Mosul", "mosul"):
        results = S.search(atlas, q, "en")
        assert results.groups["places"][0].ref == ("mosul",)
        assert "commitment-to-deny-safe-haven" in _events(results)
    assert S.search(atlas, "الموصل").totals["passages"] >= 2


def test_figures_by_number_and_words(atlas):
    for q in ("7.7 million", "7.7 مليون", "7,700,000", "٧٫٧ مليون"):
        results = S.search(atlas, q, "en")
        assert [h.ref for h in results.groups["figures"]] == [("daesh-holds-no-land-7-7-million-freed", 0)], q
    assert S.search(atlas, "110,000").groups["figures"][0].ref[0] == "daesh-once-held-110000-km2"
    assert S.search(atlas, "110000").totals == S.search(atlas, "110,000").totals


def test_english_stemming_and_every_word_must_match(atlas):
    liberated = S.search(atlas, "liberated", "en")
    assert liberated.totals["events"] == S.search(atlas, "liberation", "en").totals["events"] > 0
    both = S.search(atlas, "Interpol Europol", "en")
    assert _events(both) == ["information-sharing-interpol-europol"]


def test_words_side_by_side_rank_first(atlas):
    results = S.search(atlas, "final liberation", "en")
    assert _events(results)[0] == "final-liberation-declared"


def test_as_you_type_prefixes(atlas):
    assert "information-sharing-interpol-europol" in _events(S.search(atlas, "انترب"))
    assert "information-sharing-interpol-europol" in _events(S.search(atlas, "interp", "en"))


def test_snippets_prefer_the_readers_language(atlas):
    hit = S.search(atlas, "Interpol", "en").groups["events"][0]
    assert hit.snippets[0].lang == "en"
    hit = S.search(atlas, "الإنتربول", "ar").groups["events"][0]
    assert hit.snippets[0].lang == "ar"


def test_no_match_says_so_and_suggests_the_nearest_words(atlas):
    results = S.search(atlas, "الموصلل")
    assert results.total == 0 and "الموصل" in results.suggestions
    assert "Interpol" in S.search(atlas, "intrepol", "en").suggestions
    assert S.search(atlas, "zzzzqqq").suggestions == ()


def test_hostile_queries_are_words_or_nothing(atlas):
    for q in ("<script>alert(1)</script>", "**bold** [x](http://e.com)", "", "   ", "!!!", "ـــ", "\u200f\u202e", "a" * 10_000):
        results = S.search(atlas, q)
        assert isinstance(results.total, int)


def test_snippet_pieces_cut_long_texts_at_word_boundaries():
    text = ("كلمة " * 60) + "الموصل" + (" كلمة" * 60)
    start = text.index("الموصل")
    pieces = S.snippet_pieces(text, [(start, start + 6)])
    assert pieces[0] == ("…", False) and pieces[-1] == ("…", False)
    assert ("الموصل", True) in pieces
    inner = "".join(p for p, _ in pieces[1:-1])
    assert inner.startswith("كلمة") and inner.endswith("كلمة") and len(inner) < 220


def test_highlight_spans_for_a_passage(atlas):
    passage = atlas.documents["washington-2017"].passage("11")
    spans = S.highlight_spans(passage.text, "انتربول")
    assert {passage.text[a:b] for a, b in spans} == {"الإنتربول", "للإنتربول"}


def test_index_is_built_once_per_record(atlas):
    assert S.index_for(atlas) is S.index_for(atlas)


def test_synthetic_record_answers(tmp_path_factory):
    """A record of 300 synthetic events: the same words match (bench measures 10,000)."""
    from bench.synth import write_synth
    from coalition_atlas.load import load_atlas

    written = write_synth(300, tmp_path_factory.mktemp("synth-search"))
    big = load_atlas(written.events, written.places)
    results = S.search(big, "انتربول")
    assert results.totals["events"] == sum(
        1 for e in big.events if any("نتربول" in r.quote for r in e.sources) or "نتربول" in e.title.ar + e.summary.ar
    )
