"""The schema of events.yaml, as pydantic v2 models (and from them, its JSON Schema).

These models check the shape of each record on its own. Whatever needs other files (does the
quote stand in the cited paragraph, is the place in the gazetteer) is checked in ``load.py``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from fractions import Fraction
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from .vocabulary import CATEGORIES, DATINGS, QUALIFIERS, UNITS

Category = Literal[tuple(CATEGORIES)]  # type: ignore[valid-type]
Dating = Literal[tuple(DATINGS)]  # type: ignore[valid-type]
Unit = Literal[UNITS]  # type: ignore[valid-type]
Qualifier = Literal[QUALIFIERS]  # type: ignore[valid-type]

# ASCII digits only: \d would also take "٢٠١٧" and "２０１７" (and Python's int() reads them)
_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
#: the years a record, a URL or a document may name: the documents speak of 2012 to 2019;
#: outside these bounds a date is a typo (0000, 9999), and exports, Plotly and Streamlit's
#: widgets would fail on it (Streamlit's slider stops at 1684 and 2255)
YEAR_MIN, YEAR_MAX = 1900, 2100
#: the largest figure a document may state (the record's largest: two billion)
FIGURE_MAX = 1e15
KEBAB = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


NonEmpty = Annotated[str, Field(min_length=1)]


class Bilingual(_Strict):
    """A text in Arabic and its English translation (ours, faithful)."""

    ar: NonEmpty
    en: NonEmpty

    def get(self, lang: str) -> str:
        return self.ar if lang == "ar" else self.en


def _as_date_text(value: object) -> object:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return f"{value:04d}" if value >= 0 else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def check_partial_date(text: str) -> str:
    m = _DATE.match(text)
    if not m:
        raise ValueError("date must be YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in m.groups())
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValueError(f"the year {year:04d} is outside {YEAR_MIN}–{YEAR_MAX}")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"there is no month {month:02d}")
    if day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise ValueError(f"{year}-{month:02d} has {last} days, not {day}")
    return text


PartialDate = Annotated[
    str, BeforeValidator(_as_date_text), Field(pattern=r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"), AfterValidator(check_partial_date)
]


def _full_day(value: object) -> object:
    """A document's date: YYYY-MM-DD text (not a number of seconds, not another script's digits)."""
    if isinstance(value, dt.date):
        value = value.isoformat()
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("write the date as YYYY-MM-DD")
    check_partial_date(value)
    return dt.date.fromisoformat(value)


Day = Annotated[dt.date, BeforeValidator(_full_day)]


@functools.lru_cache(maxsize=8192)  # pure, and called for every event on every run (start, end)
def date_bounds(text: str) -> tuple[dt.date, dt.date]:
    """First and last day a partial date covers: "2018-02" -> 1 and 28 February 2018."""
    parts = [int(p) for p in text.split("-")]
    year = parts[0]
    if len(parts) == 1:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    month = parts[1]
    if len(parts) == 2:
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    day = dt.date(year, month, parts[2])
    return day, day


def _fraction(value: object) -> object:
    """A fraction is written as the text says it: "1/3", not 0.333."""
    if isinstance(value, str) and re.fullmatch(r"\s*[0-9]+\s*/\s*[0-9]+\s*", value):
        num, den = (int(p) for p in value.split("/"))
        if den == 0:
            raise ValueError('a fraction cannot have 0 below the line; write it as the text says it, e.g. "1/3"')
        return num / den
    return value


class Figure(_Strict):
    """A figure a text states: a value (a fraction as "1/3"), or, where the text gives only
    words («عشرات الآلاف»), those ``words`` with the qualifier ``order-of`` and no value."""

    # finite, in range, a number or a fraction's text (strict: no other text, no true/false)
    value: Annotated[
        Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0, le=FIGURE_MAX)] | None, BeforeValidator(_fraction)
    ] = None
    words: Bilingual | None = None
    unit: Unit
    qualifier: Qualifier = "exactly"
    of: Bilingual

    @model_validator(mode="after")
    def _value_or_words(self) -> "Figure":
        # "what; how to fix": load.py says them as the two halves of a problem
        if self.value is None and self.words is None:
            raise ValueError("the figure has no `value:` and no `words:`; write `value:` (a number), or `words:` with `qualifier: order-of` where the text gives only words")
        if self.value is not None and self.words is not None:
            raise ValueError("the figure has both `value:` and `words:`; keep `value:`, or `words:` with `qualifier: order-of` where the text gives no number")
        if (self.words is not None) != (self.qualifier == "order-of"):
            raise ValueError("`words:` goes with `qualifier: order-of`, and `order-of` with `words:`; use them together, or write `value:` with another qualifier")
        if self.unit == "fraction" and self.value is not None and self.fraction is None:
            raise ValueError(f'{self.value:g} is not a simple fraction; write it as the text says it, e.g. "1/3"')
        return self

    @property
    def fraction(self) -> tuple[int, int] | None:
        """(numerator, denominator) of a fraction figure, e.g. (1, 3); None otherwise."""
        if self.unit != "fraction" or self.value is None:
            return None
        f = Fraction(self.value).limit_denominator(100)
        return (f.numerator, f.denominator) if abs(float(f) - self.value) < 1e-12 else None


class SourceRef(_Strict):
    doc: NonEmpty
    paragraph: Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, int) and not isinstance(v, bool) else v)]
    quote: NonEmpty
    translation: NonEmpty
    # why the translation is not the passage's own English (sources/<doc>/translation.en.yaml)
    translation_note: NonEmpty | None = None


class Event(_Strict):
    id: Annotated[str, Field(pattern=KEBAB, max_length=80)]
    date: PartialDate
    dating: Dating
    title: Bilingual
    summary: Bilingual
    category: Category
    countries: list[Annotated[str, Field(pattern=r"^[A-Z]{3}$")]] = []
    places: list[str] = []
    people: list[Bilingual] = []
    figures: list[Figure] = []
    sources: Annotated[list[SourceRef], Field(min_length=1)]

    @property
    def start(self) -> dt.date:
        return date_bounds(self.date)[0]

    @property
    def end(self) -> dt.date:
        return date_bounds(self.date)[1]

    @property
    def precision(self) -> Literal["year", "month", "day"]:
        return ("year", "month", "day")[self.date.count("-")]


class Record(_Strict):
    events: Annotated[list[Event], Field(min_length=1)]


# Which model sits under which field: used to suggest the right name for a misspelt one.
NESTED: dict[type[BaseModel], dict[str, type[BaseModel]]] = {
    Record: {"events": Event},
    Event: {"title": Bilingual, "summary": Bilingual, "people": Bilingual, "figures": Figure, "sources": SourceRef},
    Figure: {"of": Bilingual, "words": Bilingual},
}


def model_at(loc: tuple) -> type[BaseModel] | None:
    """The model that holds the field at ``loc`` (list indices skipped)."""
    model: type[BaseModel] | None = Record
    for part in loc:
        if isinstance(part, int):
            continue
        model = NESTED.get(model, {}).get(part) if model else None
    return model


def allowed_values(literal: object) -> tuple[str, ...]:
    return tuple(get_args(literal))


def json_schema() -> dict:
    schema = Record.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Coalition Atlas events.yaml"
    return schema
