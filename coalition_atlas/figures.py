"""Figures a reader can say aloud: the number through Babel in each language, always with its
unit ("more than 4 years", "2 billion US dollars", «أكثر من 4 سنوات», «2 مليار دولار أمريكي»).

Numbers of a million and more are said in words (Babel's long compact form: "7.7 million");
below, grouped digits ("210,000"). Western digits in both languages, as the documents write
them (Babel's ``ar`` locale uses them). Units come from CLDR through Babel where CLDR has them
(years, square kilometres, US dollars); the atlas's own (people, fighters) take the Arabic
plural form Babel's plural rules give.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale
from babel.numbers import format_compact_decimal, format_decimal, format_percent, get_currency_name
from babel.units import format_unit

from .i18n import Lang
from .models import Figure

WORDS_FROM = 1_000_000  # from here on: "2 billion", not "2,000,000,000"
FRACTIONS = {(1, 2): ("النصف", "half"), (1, 3): ("الثلث", "a third"), (2, 3): ("الثلثان", "two thirds"),
             (1, 4): ("الربع", "a quarter"), (3, 4): ("ثلاثة أرباع", "three quarters")}
QUALIFIERS = {
    "more-than": ("أكثر من", "more than"),
    "at-least": ("ما لا يقل عن", "at least"),
    "about": ("حوالي", "about"),
    "nearly": ("ما يقرب من", "nearly"),
}
DOLLARS = ("دولار", "dollars")  # the text says dollars, not which: no "US"
# Arabic counted nouns by CLDR plural category (one, two, few: 3-10, many: 11-99, other: 100+)
NOUNS_AR = {
    "people": {"one": "شخص واحد", "two": "شخصان", "few": "أشخاص", "many": "شخصاً", "other": "شخص"},
    "fighters": {"one": "مقاتل واحد", "two": "مقاتلان", "few": "مقاتلين", "many": "مقاتلاً", "other": "مقاتل"},
}
OF_AR = {"people": "من الأشخاص", "fighters": "من المقاتلين"}
NOUNS_EN = {"people": ("person", "people"), "fighters": ("fighter", "fighters")}


def number(value: float, lang: Lang) -> str:
    """``value`` in ``lang``: words from a million ("2 billion", «2 مليار»), digits below."""
    if abs(value) >= WORDS_FROM:
        return format_compact_decimal(value, format_type="long", locale=lang, fraction_digits=1)
    return format_decimal(value, locale=lang, decimal_quantization=False)


@lru_cache(maxsize=None)
def _plural(lang: Lang):
    return Locale(lang).plural_form


def _counted(value: float, unit: str, lang: Lang) -> str:
    said = number(value, lang)
    if lang == "ar":
        # after "مليون"/"مليار"/"ألف" the noun is singular (a tamyiz), as for 100+
        form = "other" if abs(value) >= WORDS_FROM else _plural(lang)(value)
        noun = NOUNS_AR[unit][form]
        return noun if form in ("one", "two") else f"{said} {noun}"
    singular, plural = NOUNS_EN[unit]
    return f"{said} {singular if value == 1 else plural}"


def amount(figure: Figure, lang: Lang) -> str:
    """The figure's number and unit, without its qualifier: "4 years", "2 billion US dollars"."""
    value, unit = figure.value, figure.unit
    if figure.words is not None:  # the text gives words, not a number: «عشرات الآلاف» (people)
        said = figure.words.get(lang)
        if unit in NOUNS_AR:  # "tens of thousands of people", «عشرات الآلاف من الأشخاص»
            return f"{said} {OF_AR[unit] if lang == 'ar' else 'of ' + NOUNS_EN[unit][1]}"
        return said
    if unit == "percent":
        return format_percent(value / 100, locale=lang, decimal_quantization=False)
    if unit == "fraction":
        words = FRACTIONS.get(figure.fraction)
        return (words[0] if lang == "ar" else words[1]) if words else "/".join(map(str, figure.fraction or (value,)))
    if unit == "usd":
        return f"{number(value, lang)} {get_currency_name('USD', value if abs(value) < WORDS_FROM else 2, locale=lang)}"
    if unit == "dollars":
        return f"{number(value, lang)} {DOLLARS[0] if lang == 'ar' else DOLLARS[1]}"
    if unit == "km2":
        if abs(value) >= WORDS_FROM:
            return f"{number(value, lang)} {format_unit(2, 'area-square-kilometer', locale=lang, length='long').split(' ', 1)[1]}"
        return format_unit(value, "area-square-kilometer", locale=lang, length="long")
    if unit == "years":
        return format_unit(value, "duration-year", locale=lang, length="long")
    if unit in NOUNS_AR:
        return _counted(value, unit, lang)
    return number(value, lang)  # "count": the thing counted is said by ``of``


def figure_value(figure: Figure, lang: Lang) -> str:
    """Qualifier, number and unit: "more than 4 years", «أكثر من 4 سنوات»."""
    words = QUALIFIERS.get(figure.qualifier)
    said = amount(figure, lang)
    return f"{words[0] if lang == 'ar' else words[1]} {said}" if words else said
