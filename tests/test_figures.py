"""Figures and citations a reader can say aloud (issue 14): Babel numbers with their units,
documents and paragraphs in words, never an id."""

import re

import pytest

from coalition_atlas.figures import figure_value
from coalition_atlas.filtering import month_bounds
from coalition_atlas.load import load_atlas
from coalition_atlas.models import Figure
from coalition_atlas.render import cite_words, figures_html


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def fig(**kw):
    return Figure.model_validate({"of": {"ar": "ا", "en": "a"}, **kw})


@pytest.mark.parametrize(
    ("figure", "en", "ar"),
    [
        ({"value": 4, "unit": "years", "qualifier": "more-than"}, "more than 4 years", "أكثر من 4 سنوات"),
        ({"value": 2_000_000_000, "unit": "usd", "qualifier": "more-than"}, "more than 2 billion US dollars", "أكثر من 2 مليار دولار أمريكي"),
        ({"value": 7_700_000, "unit": "people", "qualifier": "more-than"}, "more than 7.7 million people", "أكثر من 7.7 مليون شخص"),
        ({"value": 46, "unit": "people", "qualifier": "at-least"}, "at least 46 people", "ما لا يقل عن 46 شخصاً"),
        ({"value": 40_000, "unit": "fighters", "qualifier": "more-than"}, "more than 40,000 fighters", "أكثر من 40,000 مقاتل"),
        ({"value": 110_000, "unit": "km2", "qualifier": "about"}, "about 110,000 square kilometers", "حوالي 110,000 كيلومتر مربع"),
        ({"value": 60, "unit": "percent", "qualifier": "more-than"}, "more than 60%", "أكثر من 60%"),
        ({"value": "1/3", "unit": "fraction", "qualifier": "more-than"}, "more than a third", "أكثر من الثلث"),
        ({"value": 20_000_000_000, "unit": "dollars", "qualifier": "nearly"}, "nearly 20 billion dollars", "ما يقرب من 20 مليار دولار"),
        ({"words": {"ar": "عشرات الآلاف", "en": "tens of thousands"}, "unit": "people", "qualifier": "order-of"},
         "tens of thousands of people", "عشرات الآلاف من الأشخاص"),
    ],
)
def test_figures_are_said_aloud_with_their_unit(figure, en, ar):
    f = fig(**figure)
    assert figure_value(f, "en") == en
    assert figure_value(f, "ar") == ar


def test_no_figure_of_the_record_is_a_long_row_of_digits(atlas):
    for event in atlas.events:
        for f in event.figures:
            for lang in ("ar", "en"):
                said = figure_value(f, lang)
                assert not re.search(r"\d{1,3}(,\d{3}){2,}", said), said  # never "2,000,000,000"
                assert "USD" not in said


def test_citations_name_document_and_paragraph_in_words(atlas):
    assert cite_words(atlas, "washington-2017", "2", "ar") == "بيان واشنطن، الفقرة 2"
    assert cite_words(atlas, "washington-2017", "2", "en") == "Washington statement, ¶ 2"
    assert cite_words(atlas, "paris-2019", "headline", "en") == "Paris news report, Headline"
    for lang in ("ar", "en"):
        shown = re.sub(r'href="[^"]*"', "", figures_html(atlas, lang))
        assert "washington-2017" not in shown and "paris-2019" not in shown
        assert shown.count('class="ca-nowrap"') >= 10  # a citation is never broken across lines


def test_month_bounds_cover_the_span_by_month():
    import datetime as dt

    starts, ends = month_bounds(dt.date(2012, 6, 30), dt.date(2013, 2, 10))
    assert starts[0] == dt.date(2012, 6, 30) and ends[0] == dt.date(2012, 6, 30)
    assert starts[1] == dt.date(2012, 7, 1) and ends[1] == dt.date(2012, 7, 31)
    assert ends[-1] == dt.date(2013, 2, 10) and len(starts) == len(ends) == 9
