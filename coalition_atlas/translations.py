"""Checks of our English translation of each document (``sources/<doc>/translation.en.yaml``).

The validator refuses a passage without its translation, a translation for a passage that
does not exist, and a translation that drops, changes or adds a number: every number written
in digits in the Arabic passage appears in the English, compared as values (Arabic-Indic
digits and separators mapped; «110 آلاف» is 110,000 and «7.7 مليون» is 7.7 million on both
sides), and the English writes no number in digits that the Arabic does not.
"""

from __future__ import annotations

import difflib
import os
import re
from collections import Counter
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from .problems import Problem
from .sources import TRANSLATION_FILE, Document, normalize_ws, read_translation_file, translation_file_name

# Arabic-Indic (U+0660…) and Eastern Arabic-Indic (U+06F0…) digits, the Arabic decimal and
# thousands separators, mapped to what the English writes.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")

_AR_SCALE = {"ألف": 3, "الف": 3, "آلاف": 3, "الاف": 3, "مليون": 6, "ملايين": 6, "مليار": 9, "مليارات": 9, "بليون": 9}
_EN_SCALE = {"thousand": 3, "million": 6, "billion": 9}
_AR_NUMBER = re.compile(r"(?<![\d.,])(\d+(?:[.,]\d+)*)(?:\s*(" + "|".join(_AR_SCALE) + r"))?")
_EN_NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s*(thousand|million|billion)\b)?")


def _value(digits: str, power: int) -> Decimal | None:
    try:
        return Decimal(digits) * (Decimal(10) ** power)
    except InvalidOperation:
        return None


def _show(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    whole, _, frac = text.partition(".")
    number = int(whole)
    return (f"{number:,}" if number >= 10_000 else str(number)) + (f".{frac}" if frac else "")  # 2017, 110,000


def arabic_numbers(text: str) -> Counter:
    """The numbers an Arabic text writes in digits, as values («7.7 مليون» -> 7700000)."""
    found: Counter = Counter()
    for m in _AR_NUMBER.finditer(text.translate(_DIGITS)):
        digits = m.group(1)
        # an Arabic thousands separator was mapped to ","; a lone "," between digits is a list
        if "," in digits and not re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", digits):
            parts = [p for p in digits.split(",") if p]
        else:
            parts = [digits.replace(",", "")]
        for i, part in enumerate(parts):
            power = _AR_SCALE.get(m.group(2) or "", 0) if i == len(parts) - 1 else 0
            value = _value(part, power)
            if value is not None:
                found[value.normalize()] += 1
    return found


def english_numbers(text: str) -> Counter:
    """The numbers an English text writes in digits, as values ("110,000", "7.7 million")."""
    found: Counter = Counter()
    for m in _EN_NUMBER.finditer(text):
        value = _value(m.group(1).replace(",", ""), _EN_SCALE.get(m.group(2) or "", 0))
        if value is not None:
            found[value.normalize()] += 1
    return found


def number_mismatch(arabic: str, english: str) -> tuple[list[str], list[str]]:
    """(numbers of the Arabic missing from the English, numbers of the English not in the
    Arabic), each shown as English writes it."""
    ar, en = arabic_numbers(arabic), english_numbers(english)
    return [_show(v) for v in sorted((ar - en).elements())], [_show(v) for v in sorted((en - ar).elements())]


def translation_problems(doc: Document) -> list[Problem]:
    """Every problem of ``doc``'s translation file, located (FILE:LINE:COL), with how to fix it."""
    path = doc.translation_path
    if path is None:
        return []
    _, src, read_problems = read_translation_file(path)
    return list(_problems(doc, src, read_problems))


def _problems(doc: Document, src, read_problems: tuple) -> tuple[Problem, ...]:
    name = translation_file_name(doc.translation_path)
    if read_problems:
        return read_problems
    if src is None:
        return (
            Problem(
                name, 1, 1, f"{doc.id} has no English translation",
                f"create {TRANSLATION_FILE} beside its text.txt with `passages:` and one entry per passage "
                f"({', '.join(doc.passage_ids)})",
            ),
        )
    problems: list[Problem] = []
    data = src.data
    if not isinstance(data, dict) or not isinstance(data.get("passages"), dict):
        return (src.problem((), "the file holds no `passages:` mapping", 'write `passages:` and then `"2": "…"` lines'),)
    for key in data:
        if key != "passages":
            problems.append(src.problem((key,), f"unknown top-level field '{key}'", "only `passages:` belongs here", key=True))
    passages = data["passages"]
    ids = set(doc.passage_ids)
    for key, value in passages.items():
        loc = ("passages", key)
        if key not in ids:
            problems.append(
                src.problem(loc, f"{doc.id} has no passage '{key}'", "use one of: " + ", ".join(doc.passage_ids), key=True)
            )
            continue
        if not isinstance(value, str) or not value.strip():
            problems.append(src.problem(loc, f"the translation of passage '{key}' is empty", "write it, in full"))
            continue
        missing, extra = number_mismatch(doc.passage(key).text, value)
        if missing:
            problems.append(
                src.problem(
                    loc, f"the translation of passage '{key}' drops or changes the number(s) {', '.join(missing)}",
                    "write every number the Arabic writes in digits, in digits, with the same value",
                )
            )
        if extra:
            problems.append(
                src.problem(
                    loc, f"the translation of passage '{key}' has number(s) {', '.join(extra)} that the Arabic does not write",
                    "translate the numbers of the passage, no others",
                )
            )
    for pid in doc.passage_ids:
        if pid not in passages:
            problems.append(
                src.problem(("passages",), f"passage '{pid}' of {doc.id} has no translation", f'add `"{pid}": "…"` under `passages:`', key=True)
            )
    return tuple(problems)


def all_translation_problems(documents: dict[str, Document]) -> list[Problem]:
    """The problems of every document's translation."""
    return [p for doc in documents.values() for p in translation_problems(doc)]


# --- quote translations in events.yaml ------------------------------------------------------------

def _same_start(text: str) -> str:
    return text[:1].lower() + text[1:]


def stands_in(translation: str, passage_translation: str) -> bool:
    """Whether a quote's translation stands in its passage's translation, white space aside
    (and the case of its first letter: a quote may start mid-sentence)."""
    needle = _same_start(normalize_ws(translation))
    hay, lowered = _hay(passage_translation)
    return bool(needle) and (needle in hay or needle in lowered)


@lru_cache(maxsize=256)  # a passage's translation, once for all the quotes citing it
def _hay(passage_translation: str) -> tuple[str, str]:
    hay = normalize_ws(passage_translation)
    return hay, _lower_starts(hay)


def _lower_starts(text: str) -> str:
    """``text`` with the first letter of every sentence lower-cased."""
    return re.sub(r"(^|[.:;!?]\s+)([A-Z])", lambda m: m.group(1) + m.group(2).lower(), text)


def closest_stretch(hay: str, needle: str) -> str:
    """The stretch of ``hay`` closest to ``needle`` (for a hint)."""
    match = difflib.SequenceMatcher(None, hay, needle, autojunk=False).find_longest_match(0, len(hay), 0, len(needle))
    start = max(0, match.a - match.b)
    return hay[start : start + len(needle)]


def check_quote_translation(doc: Document | None, paragraph: str, translation: str) -> tuple[str, str] | None:
    """None if a quote's translation agrees with its passage's translation; else (what, fix).
    Nothing is said when the passage or its translation is missing: other checks say that."""
    if doc is None:
        return None
    theirs = doc.translation(paragraph)
    if not theirs or stands_in(translation, theirs):
        return None
    hay, needle = normalize_ws(theirs), _same_start(normalize_ws(translation))
    near = closest_stretch(hay, needle)
    start = hay.find(near)
    same = len(os.path.commonprefix([_same_start(near), needle]))  # show where they part
    begin = max(start, start + same - 30)
    near = ("…" if begin > 0 else "") + hay[begin : begin + 70] + ("…" if begin + 70 < len(hay) else "")
    return (
        f"the translation differs from {doc.id} passage {paragraph}'s translation in {TRANSLATION_FILE}",
        f"closest there: “{near}” — use the same words, or say why in `translation_note:`",
    )
