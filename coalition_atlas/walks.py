"""Walks of your own: events a reader picks, in her order, with her notes, kept in the URL.

A walk is a title and steps (an event id and a note in either language). It lives in the view
state and so in the address (``?walk=…``): sharing the address shares the walk, and nothing is
stored on the server. The parameter is compact — the steps as JSON, deflated, in base64url
(``1.`` + the text, the 1 a format version): Arabic notes grow about six times when
percent-encoded, and nginx's request line is 8 KB. Caps keep it well inside: a note of at most
NOTE_MAX characters, a title of TITLE_MAX, at most STEPS_MAX steps, and the parameter at most
PARAM_MAX characters (an addition that would pass it is refused, and the page says so).

Reading a parameter is hostile-input reading: base64 and deflate errors, a deflate bomb (at
most INFLATE_MAX bytes are inflated), JSON of the wrong shape and over-long texts are refused
or cut, never an exception; an event the record does not hold is left out with a notice.

A walk becomes a tour (:func:`as_tour`, the presenter's ``tour=my-walk``), a ``tours.yaml``
entry that validates (:func:`tours_yaml_entry`) and a briefing pack (``briefing_html(…,
walk=…)``). This module never imports streamlit.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import re
import zlib
from dataclasses import dataclass, replace
from typing import Any

from .load import Atlas
from .models import KEBAB, Bilingual

WALK_TOUR = "my-walk"  # the presenter's tour id for the walk in the URL (reserved in tours.yaml)
VERSION = "1"
NOTE_MAX = 280
TITLE_MAX = 100
STEPS_MAX = 60
PARAM_MAX = 6000  # characters of ?walk=…: with the rest of the address, well inside nginx's 8 KB
INFLATE_MAX = 64_000
NOTICE = "walk=…"  # what a notice says of a walk it could not read whole (viewstate.ignored_names: "walk")
_ARABIC = re.compile(r"[\u0600-\u06ff]")


@dataclass(frozen=True)
class WalkStep:
    event: str
    note: str = ""


@dataclass(frozen=True)
class Walk:
    title: str = ""
    steps: tuple[WalkStep, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.steps)

    @property
    def event_ids(self) -> tuple[str, ...]:
        return tuple(s.event for s in self.steps)

    # --- changes (each returns a new walk) ---

    def add(self, event_id: str) -> Walk:
        if event_id in self.event_ids or len(self.steps) >= STEPS_MAX:
            return self
        return replace(self, steps=(*self.steps, WalkStep(event_id)))

    def drop(self, i: int) -> Walk:
        return replace(self, steps=tuple(s for j, s in enumerate(self.steps) if j != i))

    def move(self, i: int, by: int) -> Walk:
        j = i + by
        if not (0 <= i < len(self.steps) and 0 <= j < len(self.steps)):
            return self
        steps = list(self.steps)
        steps[i], steps[j] = steps[j], steps[i]
        return replace(self, steps=tuple(steps))

    def with_note(self, i: int, note: str) -> Walk:
        steps = list(self.steps)
        if 0 <= i < len(steps):
            steps[i] = replace(steps[i], note=clean(note, NOTE_MAX))
        return replace(self, steps=tuple(steps))

    def with_title(self, title: str) -> Walk:
        return replace(self, title=clean(title, TITLE_MAX))


def clean(text: object, cap: int) -> str:
    """Text for a note or a title: a string, control characters out, white space collapsed,
    at most ``cap`` characters."""
    if not isinstance(text, str):
        return ""
    text = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in text)
    return " ".join(text.split())[:cap].rstrip()


# --- the URL parameter ---------------------------------------------------------------------------

def encode(walk: Walk) -> str:
    """The walk as ``?walk=`` text ("" for an empty walk)."""
    if not walk:
        return ""
    payload: dict[str, Any] = {"s": [[s.event, s.note] if s.note else [s.event] for s in walk.steps]}
    if walk.title:
        payload["t"] = walk.title
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    packed = zlib.compress(raw, 9)[2:-4]  # raw deflate: no zlib header or checksum (6 bytes less)
    return VERSION + "." + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def fits(walk: Walk) -> bool:
    """Whether the walk's parameter stays within PARAM_MAX characters."""
    return len(encode(walk)) <= PARAM_MAX


def decode(text: str, atlas: Atlas) -> tuple[Walk, tuple[str, ...]]:
    """The walk a ``?walk=`` parameter holds, and what was left out (for the usual notice):
    ``walk=…`` if the parameter cannot be read or names an event the record does not hold (that
    step is left out; the notice names no value from the URL)."""
    if not text:
        return Walk(), ()
    data = _inflate(text)
    if not isinstance(data, dict) or not isinstance(data.get("s"), list):
        return Walk(), (NOTICE,)
    bad: list[str] = []
    steps: list[WalkStep] = []
    for raw in data["s"][:STEPS_MAX]:
        if not isinstance(raw, list) or not raw or not isinstance(raw[0], str):
            bad.append(NOTICE)
            continue
        event_id = raw[0][:80]
        if atlas.event(event_id) is None:
            bad.append(NOTICE)
            continue
        if any(s.event == event_id for s in steps):
            continue
        steps.append(WalkStep(event_id, clean(raw[1], NOTE_MAX) if len(raw) > 1 else ""))
    if len(data["s"]) > STEPS_MAX:
        bad.append(NOTICE)
    return Walk(clean(data.get("t", ""), TITLE_MAX), tuple(steps)), tuple(dict.fromkeys(bad))


def _inflate(text: str) -> Any:
    version, _, body = text.partition(".")
    if version != VERSION or not body or len(text) > PARAM_MAX or not re.fullmatch(r"[A-Za-z0-9_-]+", body):
        return None
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        inflater = zlib.decompressobj(-15)
        raw = inflater.decompress(packed, INFLATE_MAX)
        if inflater.unconsumed_tail:  # more than INFLATE_MAX bytes: not ours
            return None
        return json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, zlib.error, UnicodeDecodeError, RecursionError):
        return None


# --- what a walk becomes --------------------------------------------------------------------------

def note_langs(note: str) -> Bilingual | None:
    """A note in either language as the tours' two-language note: the same words in both (the
    presenter shows it whatever the language; the tours.yaml export says which was written)."""
    return Bilingual.model_construct(ar=note, en=note) if note else None


def as_tour(walk: Walk, lang: str = "ar"):
    """The walk as a tour the presenter shows (id WALK_TOUR)."""
    from .i18n import t
    from .tours import Step, Tour

    title = walk.title or t("my_walk", lang)
    return Tour.model_construct(
        id=WALK_TOUR, title=Bilingual.model_construct(ar=title, en=title),
        steps=[Step.model_construct(event=s.event, note=note_langs(s.note)) for s in walk.steps],
    )


def tour_id(title: str) -> str:
    """A kebab-case id from a title (Latin letters and digits; else "my-walk-1")."""
    words = re.findall(r"[a-z0-9]+", title.lower())
    slug = "-".join(words)[:60].strip("-")
    return slug if slug and re.fullmatch(KEBAB, slug) and slug != WALK_TOUR else "my-walk-1"


def tours_yaml_entry(walk: Walk, lang: str = "ar") -> str:
    """The walk as an entry of tours.yaml (a document of its own that validates): title and
    notes in both languages — the words as written in both, and a comment saying which language
    they were written in, to translate before the entry is added to the file."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from .i18n import t

    title = walk.title or t("my_walk", lang)
    tour = CommentedMap()
    tour["id"] = tour_id(title if not _ARABIC.search(title) else "")
    tour["title"] = _pair(title)
    steps = CommentedSeq()
    for s in walk.steps:
        step = CommentedMap()
        step["event"] = s.event
        if s.note:
            step["note"] = _pair(s.note)
            written = "Arabic" if _ARABIC.search(s.note) else "English"
            step.yaml_add_eol_comment(f"note written in {written}: translate the other language", "note")
        steps.append(step)
    tour["steps"] = steps
    doc = CommentedMap()
    doc["tours"] = CommentedSeq([tour])
    yaml = YAML()
    yaml.allow_unicode = True
    yaml.width = 4096
    out = io.StringIO()
    yaml.dump(doc, out)
    return "# A walk exported from Coalition Atlas: add the item under `tours:` to tours.yaml.\n" + out.getvalue()


def _pair(text: str):
    from ruamel.yaml.comments import CommentedMap

    pair = CommentedMap(ar=text, en=text)
    pair.fa.set_flow_style()
    return pair
