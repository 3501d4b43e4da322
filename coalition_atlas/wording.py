"""Pydantic's validation errors said for people: one located problem per mistake, with how to
fix it (events.yaml, tours.yaml and the documents' meta.yaml all go through here).

This module never imports streamlit.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable

from pydantic import BaseModel, ValidationError

from .models import allowed_values, model_at
from .problems import Problem
from .yamlpos import Located

_LANG_NAMES = {"ar": "Arabic", "en": "English"}


def short(text: str, n: int = 60) -> str:
    """``text`` cut to ``n`` characters (an ellipsis says so): never more than a line of it."""
    return text if len(text) <= n else text[: n - 1] + "…"


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "use one of: " + ", ".join(str(c) for c in choices)


def _field_name(loc: tuple) -> str:
    names = [p for p in loc if isinstance(p, str)]
    return names[-1] if names else "value"


def _explain(
    err: dict, prefix: tuple, src: Located, owner: Callable[[tuple], type[BaseModel] | None] = model_at,
    example: str = "events.yaml's first event",
) -> Problem:
    """One pydantic error, said for people. ``owner(loc)``: the model holding the field at
    ``loc`` (for suggestions; events.yaml's models by default); ``example``: where to look."""
    loc = prefix + tuple(err["loc"])
    kind, field = err["type"], _field_name(loc)
    given = err.get("input")
    shown = short(str(given), 60)  # what was written, never more than a line of it
    if kind == "extra_forbidden":
        model = owner(loc[:-1])
        fields = list(model.model_fields) if model else []
        return src.problem(loc, f"unknown field '{loc[-1]}'", suggest(loc[-1], fields), key=True)
    if kind == "missing":
        if field in _LANG_NAMES:
            parent = _field_name(loc[:-1])
            return src.problem(loc[:-1], f"'{parent}' has no {_LANG_NAMES[field]} text", f"add `{field}: \"…\"`")
        return src.problem(loc[:-1], f"missing field '{field}'", f"add `{field}:` (see {example})")
    if kind == "literal_error":
        model = owner(loc[:-1])
        choices = allowed_values(model.model_fields[field].annotation) if model and field in model.model_fields else ()
        return src.problem(loc, f"unknown {field} '{shown}'", suggest(given, choices) if choices else err["msg"])
    if kind == "string_too_short" or (kind == "too_short" and field == "sources"):
        if field in _LANG_NAMES:
            return src.problem(loc, f"the {_LANG_NAMES[field]} text of '{_field_name(loc[:-1])}' is empty", "write it")
        if field == "sources":
            return src.problem(loc, "the event cites no source", "add a `sources:` item with doc, paragraph, quote")
        return src.problem(loc, f"'{field}' is empty", "write a value")
    if kind == "too_short" and field == "events":
        return src.problem(loc, "there are no events", "add at least one event under `events:`")
    if kind == "string_pattern_mismatch":
        if field == "id":
            return src.problem(loc, f"id '{shown}' is not kebab-case", "use lower-case letters, digits and hyphens")
        if field == "date":
            return src.problem(loc, f"'{shown}' is not a date", "write YYYY, YYYY-MM or YYYY-MM-DD")
        if "countries" in loc:
            return src.problem(loc, f"'{shown}' is not an ISO 3166-1 alpha-3 code", "write three capitals, e.g. IRQ")
    if kind == "value_error" and field == "date":
        return src.problem(loc, f"impossible date '{shown}': {err['ctx']['error']}", "write a date that exists")
    if kind == "finite_number":
        return src.problem(loc, f"'{field}' is not a finite number", "write a number (not NaN, Infinity or 1e400)")
    if kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
        return src.problem(loc, f"'{field}' {shown} is out of range: {err['msg'].lower()}", "write a value in range")
    if kind == "string_too_long":
        return src.problem(loc, f"'{field}' is too long ({len(str(given)):,} characters)", err["msg"].lower())
    if kind == "value_error" and "; " in str(err.get("ctx", {}).get("error", "")):  # our own "what; how to fix"
        what, _, fix = str(err["ctx"]["error"]).partition("; ")
        return src.problem(loc, what, fix)
    expected = {
        "dict_type": "a mapping (`key: value` lines or `{…}`)",
        "list_type": "a list (`[…]` or `- ` items)",
        "string_type": "text",
        "float_parsing": "a number",
        "float_type": "a number",
        "model_type": "a mapping (`key: value` lines or `{…}`)",
    }.get(kind)
    if expected:
        return src.problem(loc, f"'{field}' should be {expected}, not {type(given).__name__}", f"write {expected}")
    return src.problem(loc, f"'{field}': {err['msg']}", "see `python -m coalition_atlas schema`")


def validation_problems(
    exc: ValidationError, prefix: tuple, src: Located, owner: Callable[[tuple], type[BaseModel] | None] = model_at,
    example: str = "events.yaml's first event",
) -> list[Problem]:
    errors = exc.errors(include_url=False)
    # a misspelt field shows up twice: unknown 'sumary' and missing 'summary'; say it once
    misspelt = set()
    for e in errors:
        if e["type"] == "extra_forbidden":
            model = owner(prefix + tuple(e["loc"][:-1]))
            close = difflib.get_close_matches(str(e["loc"][-1]), list(model.model_fields) if model else [], n=1, cutoff=0.6)
            misspelt.update((tuple(e["loc"][:-1]), c) for c in close)
    return [
        _explain(e, prefix, src, owner, example)
        for e in errors
        if not (e["type"] == "missing" and (tuple(e["loc"][:-1]), e["loc"][-1]) in misspelt)
    ]
