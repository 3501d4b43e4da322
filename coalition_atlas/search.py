"""Search the record as people type it: Arabic-aware matching, ranking, highlights, suggestions.

Matching treats as equal the hamza forms of alef (أ إ آ ٱ and ا), alef maqsura and ya (ى ي),
ta marbuta and ha (ة ه), words with and without diacritics and tatweel (ـ), Arabic-Indic and
Western digits (and the thousands separators of a number: «110,000» is «110000»). A word is
also known by its stem: Arabic without the definite article and the clitics before it
(ال، وال، بال، فال، كال، لل… and a single و ف ب ل when three letters or more remain), English
case-folded with a few suffixes stripped. A query word matches a word of the record that has
the same form (best), the same stem, or begins with it (as you type: «انترب» finds
«الإنتربول»). Every query word must match somewhere in an item (title, summary, quote…).

The index is built once per record (a module-level memo keyed by ``Atlas.token``, not only a
Streamlit cache: any client may clear those) over the events (titles, summaries, quotes and
their translations, people), the passages of the documents (Arabic, and the English
translation where the record has one), the places (names, what the documents say of them) and
the figures. Texts are interned: the benchmark's synthetic records repeat the real texts, so a
10,000-event record holds few distinct ones.

Highlights are offsets into the text as written (a token's span in the original string), so
the marks cover the words as the source writes them, diacritics, tatweel and prefixes
included. This module never imports streamlit.
"""

from __future__ import annotations

import bisect
import difflib
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from .load import Atlas

KINDS = ("events", "passages", "places", "figures")
MAX_QUERY = 200  # characters of a query that are read
MAX_TERMS = 8  # words of a query that are read
PREFIX_MAX = 400  # record words a query word may expand to (as-you-type prefixes)

# --- the normaliser --------------------------------------------------------------------------------

_DROP = [0x0640, *range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE)]
_FOLD = {ord(c): "ا" for c in "أإآٱ"} | {ord("ى"): "ي", ord("ة"): "ه"} | {c: None for c in _DROP}
_FOLD |= {0x0660 + i: str(i) for i in range(10)} | {0x06F0 + i: str(i) for i in range(10)}
_FOLD |= {ord("٫"): ".", ord("٬"): ","}
_TABLE = str.maketrans(_FOLD)

_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
# a word: letters and marks; a number: digits with their separators ("7.7", "110,000", "٢٠١٧"),
# apart from letters written against it («و110»)
_TOKEN = re.compile(rf"\d+(?:[.,٫٬]\d+)*|(?:[^\W\d_]|[{_MARKS}])+")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?:\D|$))")
_ARABIC = re.compile(r"[\u0600-\u06ff]")

AR_PREFIXES = ("وبال", "وكال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال")
AR_CLITICS = ("و", "ف", "ب", "ل")
_EN_SUFFIXES = (
    ("ational", "ate"), ("ations", "ate"), ("ation", "ate"), ("ments", ""), ("ment", ""), ("ings", ""), ("ing", ""),
    ("ies", "y"), ("ied", "y"), ("ed", ""), ("sses", "ss"), ("shes", "sh"), ("ches", "ch"), ("xes", "x"), ("ly", ""), ("s", ""),
)
STOPWORDS = frozenset(
    "a an and are as at be by for from in is it of on or s the to was with "
    "في من على الى عن ان او ما التي الذي الذين هذا هذه ذلك مع".split()
)


def fold(text: str) -> str:
    """The form a word is compared in: alef forms, ى, ة, digits folded; marks and tatweel gone;
    lower case; a number without its thousands separators."""
    out = text.translate(_TABLE).casefold()
    if out[:1].isdigit():
        out = _THOUSANDS.sub("", out)
    return out


def stem(word: str) -> str:
    """A folded word's stem: Arabic without its article and clitics, English without a suffix."""
    if not word or word[0].isdigit():
        return word
    if _ARABIC.match(word):
        for prefix in AR_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 2:
                return word[len(prefix):]
        if word[0] in AR_CLITICS and len(word) >= 4:
            return word[1:]
        return word
    if len(word) <= 3:
        return word
    for suffix, instead in _EN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                continue
            word = word[: -len(suffix)] + instead
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


@dataclass(frozen=True)
class Token:
    start: int  # offsets into the text as written
    end: int
    form: str  # folded
    stem: str


def tokens(text: str) -> list[Token]:
    out = []
    for m in _TOKEN.finditer(text):
        form = fold(m.group())
        if form:
            out.append(Token(m.start(), m.end(), form, stem(form)))
    return out


def normalise(text: str) -> str:
    """A text's words, folded, joined by single spaces (for tests and the pack's script)."""
    return " ".join(t.form for t in tokens(text))


def query_terms(query: str) -> list[Token]:
    """The words of a query that count: folded, stop words left out (unless that leaves none),
    repeated words once, at most MAX_TERMS."""
    found = tokens(query[:MAX_QUERY])
    kept = [t for t in found if t.form not in STOPWORDS] or found
    seen, out = set(), []
    for t in kept:
        if t.form not in seen:
            seen.add(t.form)
            out.append(t)
    return out[:MAX_TERMS]


# --- the index -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    name: str  # title, summary, quote, translation, people, name, status, text, figure
    lang: str  # ar | en
    text: int  # the interned text's id
    weight: float


@dataclass(frozen=True)
class Item:
    kind: str  # events | passages | places | figures
    ref: tuple  # (event id,) · (doc, passage id) · (place id,) · (event id, figure index)
    order: int  # the record's order, for ties
    fields: tuple[Field, ...]


@dataclass
class Index:
    texts: list[str] = field(default_factory=list)
    toks: list[list[Token]] = field(default_factory=list)
    postings: dict[str, set[int]] = field(default_factory=dict)  # form or stem -> text ids
    owners: list[list[tuple[int, float]]] = field(default_factory=list)  # text id -> (item, weight)
    items: list[Item] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # sorted, for prefixes
    surface: dict[str, str] = field(default_factory=dict)  # form -> a way the record writes it
    _ids: dict[str, int] = field(default_factory=dict)
    # the owners as arrays, sorted by item (built by ``freeze``): a query is a few numpy passes
    edge_text: np.ndarray | None = None
    edge_weight: np.ndarray | None = None
    item_starts: np.ndarray | None = None
    item_kind: np.ndarray | None = None
    arrays: dict[str, np.ndarray] = field(default_factory=dict)  # key -> text ids

    def freeze(self) -> None:
        edges = sorted((item, tid, w) for tid, owned in enumerate(self.owners) for item, w in owned)
        self.edge_text = np.fromiter((e[1] for e in edges), dtype=np.int64, count=len(edges))
        self.edge_weight = np.fromiter((e[2] for e in edges), dtype=np.float64, count=len(edges))
        items = np.fromiter((e[0] for e in edges), dtype=np.int64, count=len(edges))
        # every item owns at least one text (events have a title, places a name, passages a text)
        self.item_starts = np.searchsorted(items, np.arange(len(self.items)))
        self.item_kind = np.array([KINDS.index(i.kind) for i in self.items], dtype=np.int8)
        self.arrays = {k: np.fromiter(v, dtype=np.int64, count=len(v)) for k, v in self.postings.items()}
        self.keys = sorted(self.postings)
        self._ids.clear()

    def text_id(self, text: str) -> int:
        found = self._ids.get(text)
        if found is not None:
            return found
        tid = self._ids[text] = len(self.texts)
        self.texts.append(text)
        toks = tokens(text)
        self.toks.append(toks)
        self.owners.append([])
        for tok in toks:
            self.postings.setdefault(tok.form, set()).add(tid)
            self.postings.setdefault(tok.stem, set()).add(tid)
            self.surface.setdefault(tok.form, text[tok.start:tok.end])
        return tid

    def add(self, kind: str, ref: tuple, fields: Iterable[tuple[str, str, str, float]]) -> None:
        idx = len(self.items)
        made = []
        for name, lang, text, weight in fields:
            if not text:
                continue
            tid = self.text_id(text)
            self.owners[tid].append((idx, weight))
            made.append(Field(name, lang, tid, weight))
        self.items.append(Item(kind, ref, idx, tuple(made)))


def figure_words(figure, lang: str) -> str:
    """A figure as people say it: 7700000 -> "7.7 million 7,700,000" / "7.7 مليون 7,700,000"; words the text gives
    instead of a number («عشرات الآلاف», tens of thousands) as they are."""
    words = getattr(figure, "words", None)
    if words is not None:
        return words.get(lang)
    value = figure.value
    for size, en, ar in ((1e9, "billion", "مليار"), (1e6, "million", "مليون"), (1e3, "thousand", "ألف")):
        if value >= size:  # and the number in digits: «7,700,000» finds it too
            return f"{value / size:g} {en if lang == 'en' else ar} {value:,.0f}"
    return f"{value:g}"


def _translation(doc, passage: str) -> str | None:
    """Our English translation of a passage, where the record has one."""
    lookup = getattr(doc, "translation", None)
    try:
        return lookup(passage) if lookup is not None else None
    except (KeyError, LookupError, OSError, ValueError):
        return None


def build_index(atlas: Atlas) -> Index:
    from .render import figure_text

    index = Index()
    for event in atlas.events:
        fields = [("title", "ar", event.title.ar, 3.0), ("title", "en", event.title.en, 3.0),
                  ("summary", "ar", event.summary.ar, 1.5), ("summary", "en", event.summary.en, 1.5)]
        for ref in event.sources:
            fields += [("quote", "ar", ref.quote, 2.0), ("translation", "en", ref.translation, 2.0)]
        for person in event.people:
            fields += [("people", "ar", person.ar, 2.0), ("people", "en", person.en, 2.0)]
        index.add("events", (event.id,), fields)
        for i, fig in enumerate(event.figures):
            index.add("figures", (event.id, i), [
                ("figure", "ar", figure_text(fig, "ar"), 2.0), ("figure", "en", figure_text(fig, "en"), 2.0),
                ("figure_words", "ar", figure_words(fig, "ar"), 2.0),
                ("figure_words", "en", figure_words(fig, "en"), 2.0),
            ])
    for doc in atlas.documents.values():
        for passage in doc.passages:
            index.add("passages", (doc.id, passage.id), [
                ("text", "ar", passage.text, 1.0), ("translation", "en", _translation(doc, passage.id) or "", 1.0),
            ])
    for place in atlas.places.values():
        fields = [("name", "ar", place.name_ar, 3.0), ("name", "en", place.name_en, 3.0)]
        for status in place.status:
            fields += [("status", "ar", status.quote, 1.0), ("status", "en", status.en, 1.0)]
        index.add("places", (place.id,), fields)
    index.freeze()
    return index


_MEMO: dict[int, Index] = {}
_LOCK = threading.Lock()


def index_for(atlas: Atlas) -> Index:
    """The record's index, built once per record (by its token) and shared by every session."""
    found = _MEMO.get(atlas.token)
    if found is not None:
        return found
    with _LOCK:
        found = _MEMO.get(atlas.token)
        if found is None:
            found = build_index(atlas)
            if len(_MEMO) >= 4:
                _MEMO.pop(next(iter(_MEMO)))
            _MEMO[atlas.token] = found
    return found


def warm(atlas: Atlas) -> None:
    """Build the record's index in the background (once per record): the first query of a
    10,000-event record then waits for what is left of the build, not all of it (index_for's
    lock makes a query that comes in the meantime wait for the one build)."""
    if atlas.token in _MEMO or atlas.token in _WARMING:
        return
    _WARMING.add(atlas.token)
    threading.Thread(target=index_for, args=(atlas,), name="search-index", daemon=True).start()


_WARMING: set[int] = set()


# --- a query ---------------------------------------------------------------------------------------

EXACT, STEM, PREFIX = 1.0, 0.85, 0.6


def _expansions(index: Index, term: Token) -> dict[str, float]:
    """The record's keys a query word matches, with how well."""
    keys = {term.form: EXACT}
    keys.setdefault(term.stem, STEM)
    for start in dict.fromkeys((term.form, term.stem)):
        if len(start) < 2:
            continue
        at = bisect.bisect_left(index.keys, start)
        for key in index.keys[at: at + PREFIX_MAX]:
            if not key.startswith(start):
                break
            keys.setdefault(key, PREFIX)
    return {k: w for k, w in keys.items() if k in index.postings}


@dataclass(frozen=True)
class Snippet:
    """A stretch of one text: pieces (text as written, marked?) and where it comes from."""

    field: str
    lang: str
    pieces: tuple[tuple[str, bool], ...]


@dataclass(frozen=True)
class Hit:
    kind: str
    ref: tuple
    score: float
    snippets: tuple[Snippet, ...] = ()


@dataclass(frozen=True)
class Results:
    query: str
    terms: tuple[str, ...]
    groups: dict[str, tuple[Hit, ...]]  # the first ``limit`` of each kind
    totals: dict[str, int]
    suggestions: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return sum(self.totals.values())


def _spans(toks: list[Token], keys: set[str]) -> list[tuple[int, int]]:
    return [(t.start, t.end) for t in toks if t.form in keys or t.stem in keys]


def snippet_pieces(text: str, spans: list[tuple[int, int]], width: int = 90) -> tuple[tuple[str, bool], ...]:
    """``text`` cut into (piece, marked) around ``spans``; a long text is shortened to about
    ``width`` characters on either side of the first mark, at word boundaries, with "…"."""
    spans = sorted(spans)
    lo, hi = 0, len(text)
    if spans and len(text) > 2 * width + 40:
        lo = max(0, spans[0][0] - width)
        hi = min(len(text), spans[0][1] + width)
        if lo > 0:
            space = text.find(" ", lo)
            lo = space + 1 if 0 <= space < spans[0][0] else lo
        if hi < len(text):
            space = text.rfind(" ", spans[0][1], hi)
            hi = space if space > 0 else hi
    elif not spans and len(text) > 2 * width:
        hi = text.rfind(" ", 0, 2 * width) if " " in text[: 2 * width] else 2 * width
    pieces: list[tuple[str, bool]] = [("…", False)] if lo > 0 else []
    at = lo
    for start, end in spans:
        if start < at or end > hi:
            continue
        if start > at:
            pieces.append((text[at:start], False))
        pieces.append((text[start:end], True))
        at = end
    if hi > at:
        pieces.append((text[at:hi], False))
    if hi < len(text):
        pieces.append(("…", False))
    return tuple(pieces)


def _phrase_bonus(index: Index, item: Item, forms: list[set[str]]) -> float:
    """Query words side by side, in order, in one of the item's texts."""
    if len(forms) < 2:
        return 0.0
    best = 0.0
    for f in item.fields:
        toks = index.toks[f.text]
        for i in range(len(toks) - len(forms) + 1):
            if all(toks[i + j].form in forms[j] or toks[i + j].stem in forms[j] for j in range(len(forms))):
                best = max(best, f.weight)
                break
    return best


def suggest(index: Index, query: str, n: int = 5) -> tuple[str, ...]:
    """The record's words nearest to the query's words (as the record writes them)."""
    out: list[str] = []
    for term in query_terms(query):
        if _expansions(index, term):
            continue
        near = [k for k in index.surface if abs(len(k) - len(term.form)) <= 2 and k[:1].isdigit() == term.form[:1].isdigit()]
        for key in difflib.get_close_matches(term.form, near, n=3, cutoff=0.72):
            word = index.surface[key]
            if len(key) < 3 or key in STOPWORDS:
                continue
            if word not in out:
                out.append(word)
    return tuple(out[:n])


def search(atlas: Atlas, query: str, lang: str = "ar", limit: int = 10, kinds: Iterable[str] = KINDS) -> Results:
    """The items every query word matches, best first, grouped by kind; the first ``limit`` of
    each kind with snippets (the matching words marked as written); totals for all."""
    index = index_for(atlas)
    terms = query_terms(query)
    kinds = tuple(kinds)
    if not terms:
        return Results(query, (), {k: () for k in kinds}, {k: 0 for k in kinds})
    n = len(terms)
    matched: list[dict[str, float]] = [_expansions(index, t) for t in terms]
    total = np.zeros(len(index.items))
    every = np.ones(len(index.items), dtype=bool)
    for keys in matched:
        text_w = np.zeros(len(index.texts))
        for weight in sorted(set(keys.values())):  # the best way each text matches this word
            ids = [index.arrays[k] for k, w in keys.items() if w == weight]
            text_w[np.concatenate(ids)] = weight
        edge = text_w[index.edge_text] * index.edge_weight
        best = np.maximum.reduceat(edge, index.item_starts) if len(edge) else np.zeros(len(index.items))
        every &= best > 0
        total += best
    items = index.items
    forms = [set(keys) for keys in matched]
    allkeys = set().union(*forms)
    groups, totals = {}, {}
    for kind in kinds:
        hits = np.flatnonzero(every & (index.item_kind == KINDS.index(kind)))
        order = np.lexsort((hits, -total[hits]))[: limit * 3]  # best first, then the record's order
        top = [(float(total[hits[i]]), int(hits[i])) for i in order]
        if n > 1:  # the query's words side by side rank higher
            top = sorted(((s + _phrase_bonus(index, items[i], forms), i) for s, i in top), key=lambda r: (-r[0], r[1]))
        groups[kind] = tuple(_hit(index, items[i], s, allkeys, lang) for s, i in top[:limit])
        totals[kind] = len(hits)
    suggestions = suggest(index, query) if not any(totals.values()) else ()
    return Results(query, tuple(t.form for t in terms), groups, totals, suggestions)


def _hit(index: Index, item: Item, score: float, keys: set[str], lang: str) -> Hit:
    """A hit with the snippets of its fields that match, the reader's language first."""
    found = []
    for f in item.fields:
        spans = _spans(index.toks[f.text], keys)
        if spans:
            found.append((f.lang != lang, -f.weight, f, spans))
    found.sort(key=lambda r: (r[0], r[1]))
    snippets = tuple(Snippet(f.name, f.lang, snippet_pieces(index.texts[f.text], spans)) for _, _, f, spans in found[:2])
    return Hit(item.kind, item.ref, round(score, 3), snippets)


def highlight_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Offsets into ``text`` (as written) of the words the query matches: for marking a passage
    the reader came to from a search."""
    terms = query_terms(query)
    if not terms:
        return []
    toks = tokens(text)
    keys: set[str] = set()
    for term in terms:
        keys |= {term.form, term.stem}
    spans = []
    for tok in toks:
        if tok.form in keys or tok.stem in keys or any(
            len(term.form) >= 2 and (tok.form.startswith(term.form) or tok.stem.startswith(term.stem)) for term in terms
        ):
            spans.append((tok.start, tok.end))
    return spans
