"""The view state: everything that decides what a page shows, kept in the URL.

One frozen value, read from the query parameters (strings) and written back to them on every
page, so that copying the address reproduces the view. Anything unknown or malformed falls
back to the default and is named in a notice, never an exception.

Parameters: lang=ar|en · country=IRQ,SYR · category=territory,… · source=washington-2017,… ·
from=YYYY-MM-DD · to=YYYY-MM-DD · event=<id> · place=<id> · doc=<id> · p=<passage id> ·
tour=<id> · step=<n> · q=<search> · walk=<a walk of your own, see walks.py>

The language, the filters, the chosen event and place, the search (``q``) and the reader's own
walk (``walk``) are global: every page keeps them. ``doc`` and ``p`` belong to the Sources page, ``tour`` and ``step`` to the presenter
(:data:`PAGE_PARAMS`): :func:`for_page` drops them on any other page, so that they do not leak
into its address (nor come back when the person returns: a new visit starts afresh).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from .i18n import LANGS, Lang
from .load import Atlas
from .models import YEAR_MAX, YEAR_MIN
from .vocabulary import CATEGORIES
from .walks import PARAM_MAX as WALK_MAX
from .walks import Walk, decode, encode

KNOWN = ("lang", "country", "category", "source", "from", "to", "event", "place", "doc", "p", "tour", "step", "q", "walk")
MAX_PARAM = 400  # characters: longer values are not ours (but a walk's, up to WALK_MAX)
MAX_Q = 200  # characters of a search kept
# the fields that belong to one page (by its URL path), with their URL parameters
PAGE_PARAMS: dict[str, dict[str, str]] = {
    "sources": {"doc": "doc", "passage": "p"},
    "presenter": {"tour": "tour", "step": "step"},
}


# Dates a URL may ask for: the record's years (models.YEAR_MIN…YEAR_MAX). Outside them, a date
# means nothing here, and widgets cannot draw it (Streamlit's slider stops at 1684 and 2255).
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only ("٢٠١٧" is not a date here)
_STEP = re.compile(r"[0-9]{1,5}")  # ASCII: str.isdigit() also says yes to "²" and "٣"


@dataclass(frozen=True)
class ViewState:
    lang: Lang = "ar"
    countries: tuple[str, ...] = ()  # empty: all
    categories: tuple[str, ...] = ()  # empty: all
    docs: tuple[str, ...] = ()  # empty: all
    start: dt.date | None = None  # None: from the first event
    end: dt.date | None = None  # None: to the last event
    event: str | None = None  # the selected event
    place: str | None = None  # the selected place
    doc: str | None = None  # Sources page: the document shown
    passage: str | None = None  # Sources page: the passage scrolled to
    tour: str | None = None
    step: int | None = None
    q: str = ""  # the search box
    walk: Walk = Walk()  # the reader's own walk (walks.py)
    notices: tuple[str, ...] = field(default=(), compare=False)

    @property
    def filtered(self) -> bool:
        return bool(self.countries or self.categories or self.docs or self.start or self.end)

    def with_(self, **changes) -> ViewState:
        return replace(self, **changes)


def _one(value: str | list[str] | None) -> str:
    if isinstance(value, list):
        value = value[-1] if value else ""
    return (value or "").strip()


def _codes(raw: str, allowed: Iterable[str], name: str, bad: list[str]) -> tuple[str, ...]:
    allowed = tuple(allowed)
    out = []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        if part in allowed:
            if part not in out:
                out.append(part)
        else:
            bad.append(f"{name}={part[:40]}")
    return tuple(out)


def _date(raw: str, name: str, bad: list[str]) -> dt.date | None:
    if not raw:
        return None
    try:
        if not _ISO_DAY.fullmatch(raw):
            raise ValueError(raw)
        day = dt.date.fromisoformat(raw)
        if not YEAR_MIN <= day.year <= YEAR_MAX:
            raise ValueError(raw)
        return day
    except ValueError:
        bad.append(f"{name}={raw[:40]}")
        return None


def parse_params(params: Mapping[str, str | list[str]], atlas: Atlas) -> ViewState:
    """The view state a URL's query parameters describe, with a notice for what was ignored."""
    bad: list[str] = []
    raw = {}
    for key, value in params.items():
        text = _one(value)
        if key not in KNOWN:
            bad.append(str(key)[:40])
        elif len(text) > (WALK_MAX if key == "walk" else MAX_PARAM):
            bad.append(f"{key}=…")
        else:
            raw[key] = text
    lang = raw.get("lang", "ar")
    if lang not in LANGS:
        bad.append(f"lang={lang[:40]}")
        lang = "ar"
    countries_known = sorted({c for e in atlas.events for c in e.countries})
    state = ViewState(
        lang=lang,  # type: ignore[arg-type]
        countries=_codes(raw.get("country", ""), countries_known, "country", bad),
        categories=_codes(raw.get("category", ""), CATEGORIES, "category", bad),
        docs=_codes(raw.get("source", ""), atlas.documents, "source", bad),
        start=_date(raw.get("from", ""), "from", bad),
        end=_date(raw.get("to", ""), "to", bad),
    )
    if state.start and state.end and state.start > state.end:
        bad.append("from>to")
        state = state.with_(start=None, end=None)
    event = raw.get("event") or None
    if event and atlas.event(event) is None:
        bad.append(f"event={event[:40]}")
        event = None
    place = raw.get("place") or None
    if place and place not in atlas.places:
        bad.append(f"place={place[:40]}")
        place = None
    doc = raw.get("doc") or None
    passage = raw.get("p") or None
    if doc and doc not in atlas.documents:
        bad.append(f"doc={doc[:40]}")
        doc = passage = None
    if passage and (doc is None or atlas.documents[doc].passage(passage) is None):
        bad.append(f"p={passage[:40]}")
        passage = None
    step = None
    if raw.get("step"):
        if _STEP.fullmatch(raw["step"]):
            step = int(raw["step"])
        else:
            bad.append(f"step={raw['step'][:40]}")
    walk, left_out = decode(raw.get("walk", ""), atlas)
    bad += left_out
    q = " ".join(raw.get("q", "").split())[:MAX_Q]
    return state.with_(
        event=event, place=place, doc=doc, passage=passage, tour=raw.get("tour") or None, step=step, q=q, walk=walk,
        notices=tuple(bad),
    )


def for_page(state: ViewState, page: str) -> ViewState:
    """``state`` as the page at URL path ``page`` keeps it: the fields that belong to another
    page (:data:`PAGE_PARAMS`) cleared."""
    drop = {name: None for owner, fields in PAGE_PARAMS.items() if owner != page for name in fields}
    if all(getattr(state, name) is None for name in drop):
        return state
    return state.with_(**drop)


def ignored_names(notices: Iterable[str]) -> tuple[tuple[str, ...], int]:
    """What a notice may say of the ignored parameters: the names of known ones (never a value,
    never a key the URL made up: a toast is Markdown, and a link's text is anyone's), and how
    many unknown keys there were."""
    names: list[str] = []
    unknown = 0
    for notice in notices:
        if notice == "from>to":
            found = ["from", "to"]
        else:
            key, sep, _ = notice.partition("=")
            found = [key] if sep and key in KNOWN else []
            unknown += not found
        names += [n for n in found if n not in names]
    return tuple(names), unknown


def to_params(state: ViewState) -> dict[str, str]:
    """The query parameters for ``state``: only what differs from the default view."""
    out: dict[str, str] = {}
    if state.lang != "ar":
        out["lang"] = state.lang
    if state.countries:
        out["country"] = ",".join(state.countries)
    if state.categories:
        out["category"] = ",".join(state.categories)
    if state.docs:
        out["source"] = ",".join(state.docs)
    if state.start:
        out["from"] = state.start.isoformat()
    if state.end:
        out["to"] = state.end.isoformat()
    for key, value in (("event", state.event), ("place", state.place), ("doc", state.doc), ("p", state.passage), ("tour", state.tour)):
        if value:
            out[key] = value
    if state.step is not None:
        out["step"] = str(state.step)
    if state.q:
        out["q"] = state.q
    if state.walk:
        out["walk"] = encode(state.walk)
    return out


GLOBAL = ("lang", "country", "category", "source", "from", "to")  # kept from page to page
PAGE_KEYS = ("event", "place", "doc", "p", "tour", "step")  # what one page shows


def follow_link(current: ViewState, params: Mapping[str, str], atlas: Atlas) -> ViewState:
    """The view a link of the app leads to from ``current``: what the page shows (event, place,
    document and passage, tour and step) from the link; the language and the filters from the
    link where it names them, otherwise kept (a link drawn on a filtered page carries no
    filters; a new page load would have lost them)."""
    linked = parse_params(params, atlas)
    keep = {
        "lang": current.lang, "country": current.countries, "category": current.categories,
        "source": current.docs, "from": current.start, "to": current.end,
    }
    fields = {"lang": "lang", "country": "countries", "category": "categories", "source": "docs", "from": "start", "to": "end"}
    changes = {fields[k]: keep[k] for k in GLOBAL if k not in params}
    return linked.with_(**changes)
