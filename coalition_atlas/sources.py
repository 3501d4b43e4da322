"""The source documents: their metadata and their passages, kept verbatim.

Each document lives in ``sources/<id>/`` as ``text.txt`` (byte for byte as received) and
``meta.yaml`` (titles, date, kind, origin, layout, web-page chrome).  A third document is
added by adding a folder; no code changes.  Layouts:

- ``numbered``: a title line, then paragraphs that start ``N.``; passage ids ``title``, ``2``…
- ``article``: headline, lead, photo caption, then body paragraphs; passage ids
  ``headline``, ``lead``, ``caption``, ``1``, ``2``…

The first line that starts with one of the ``chrome`` strings begins the web-page furniture
(cookie notice, section links): it and everything after it belong to no passage.

Beside them, ``translation.en.yaml`` holds our own English translation of every passage
(``passages: {<passage id>: "..."}``); :func:`translation` reads it, and
``coalition_atlas.translations`` checks it (every passage, no other, every number).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from . import paths
from .models import Bilingual, Day
from .problems import Problem, RecordError
from .yamlpos import Located, read_located

SOURCES_DIR = paths.ROOT / "sources"
TRANSLATION_FILE = "translation.en.yaml"
#: what to say wherever a passage's translation is shown: it is ours, not the publisher's
TRANSLATION_NOTICE = {
    "en": "Our own English translation, not the publisher's; slips of the original are marked [sic].",
    "ar": "ترجمة إنجليزية من إعدادنا، وليست ترجمة الناشر؛ وأخطاء الأصل معلَّمة بـ[sic].",
}

_NUMBERED = re.compile(r"^(\d+)\.\s*(.*)$", re.S)
_WS = re.compile(r"\s+")


def normalize_ws(text: str) -> str:
    """Collapse every run of white space (NBSP and new lines too) to one space."""
    return _WS.sub(" ", text).strip()


class DocumentMeta(BaseModel):
    """What ``meta.yaml`` holds. There is deliberately no URL: none is known."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    kind: Literal["statement", "news-report"]
    date: Day
    place: str
    title: Bilingual
    origin: Bilingual
    layout: Literal["numbered", "article"]
    chrome: tuple[str, ...] = ()
    uncited: dict[str, str] = {}  # passage id -> why no event cites it
    # passage id -> {verbatim words no event quotes: why} (docs/coverage.md shows them)
    unquoted: dict[str, dict[str, str]] = {}


@dataclass(frozen=True)
class Passage:
    doc: str
    id: str
    text: str  # verbatim, label ("2. ") left out, surrounding white space stripped
    order: int

    @cached_property
    def normalized(self) -> str:  # computed once: every quote check reads it
        return normalize_ws(self.text)


@dataclass(frozen=True)
class Document:
    meta: DocumentMeta
    passages: tuple[Passage, ...]
    folder: Path | None = None  # where meta.yaml, text.txt and the translation live

    @property
    def translation_path(self) -> Path | None:
        return self.folder / TRANSLATION_FILE if self.folder is not None else None

    @property
    def translations(self) -> dict[str, str]:
        """Our English translation of each passage, by passage id ({} without the file)."""
        path = self.translation_path
        return read_translation_file(path)[0] if path is not None else {}

    def translation(self, passage_id: str) -> str | None:
        """Our English translation of one passage, or None."""
        return self.translations.get(str(passage_id))

    @property
    def id(self) -> str:
        return self.meta.id

    def passage(self, passage_id: str) -> Passage | None:
        return next((p for p in self.passages if p.id == passage_id), None)

    @property
    def passage_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.passages)


def _content_lines(text: str, chrome: tuple[str, ...]) -> list[str]:
    """Non-blank lines, stopping at the first line of web-page chrome."""
    lines = []
    for line in text.splitlines():
        stripped = line.strip()  # str.strip() also removes NBSP
        if any(stripped.startswith(c) for c in chrome):
            break
        if stripped:
            lines.append(stripped)
    return lines


def parse_numbered(text: str, chrome: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    lines = _content_lines(text, chrome)
    if not lines:
        return []
    passages: list[list[str]] = [["title", lines[0]]]
    for line in lines[1:]:
        m = _NUMBERED.match(line)
        if m:
            passages.append([m.group(1), m.group(2).strip()])
        else:  # a line without a number continues the paragraph before it
            passages[-1][1] += "\n" + line
    return [(pid, body) for pid, body in passages]


def parse_article(text: str, chrome: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    lines = _content_lines(text, chrome)
    heads = ["headline", "lead", "caption"]
    out = list(zip(heads, lines[:3]))
    out += [(str(i), line) for i, line in enumerate(lines[3:], start=1)]
    return out


_LAYOUTS = {"numbered": parse_numbered, "article": parse_article}


def _meta_owner(loc: tuple) -> type[BaseModel] | None:
    """The model of meta.yaml holding the field at ``loc`` (for suggestions)."""
    return DocumentMeta if len(loc) <= 1 else Bilingual if loc[0] in ("title", "origin") else None


def read_meta(raw: bytes | str, name: str) -> DocumentMeta:
    """A document's meta.yaml through the one safe reader (yamlpos), its shape checked: the
    metadata, or RecordError with every problem located."""
    from .wording import validation_problems as _errors

    src = read_located(raw, name)
    if not isinstance(src.data, dict):
        raise RecordError([src.problem((), "meta.yaml holds no mapping", "start it with `id:`, `kind:`, `date:` (see sources/*/meta.yaml)")])
    try:
        return DocumentMeta.model_validate(src.data)
    except ValidationError as exc:
        raise RecordError(_errors(exc, (), src, _meta_owner, "sources/washington-2017/meta.yaml")) from None


def _read_text(path: Path, name: str) -> str:
    """A document's text.txt: UTF-8, within the reader's size limit."""
    from .yamlpos import MAX_BYTES

    try:
        raw = path.read_bytes()
    except OSError as err:
        raise RecordError([Problem(name, 1, 1, f"cannot read the file ({err.strerror})", f"check that {path} exists")]) from None
    if len(raw) > MAX_BYTES:
        raise RecordError([Problem(name, 1, 1, f"the file is {len(raw) / 1e6:.1f} MB", "check that this is the document")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise RecordError([Problem(name, line, 1, "the text is not UTF-8", "save it as UTF-8")]) from None


def load_document(folder: Path) -> Document:
    meta_path = folder / "meta.yaml"
    name = f"sources/{folder.name}/meta.yaml"
    try:
        raw = meta_path.read_bytes()
    except OSError as err:
        raise RecordError([Problem(name, 1, 1, f"cannot read the file ({err.strerror})", f"check that {meta_path} exists")]) from None
    meta = read_meta(raw, name)
    text = _read_text(folder / "text.txt", f"sources/{folder.name}/text.txt")
    parts = _LAYOUTS[meta.layout](text, meta.chrome)
    passages = tuple(Passage(meta.id, pid, body, i) for i, (pid, body) in enumerate(parts))
    return Document(meta, passages, folder)


@lru_cache(maxsize=4)
def load_documents(root: Path = SOURCES_DIR) -> dict[str, Document]:
    """All documents under ``root``, by id, oldest first."""
    docs = [load_document(p) for p in root.iterdir() if (p / "meta.yaml").is_file()]
    return {doc.id: doc for doc in sorted(docs, key=lambda d: (d.meta.date, d.id))}


def quote_stands(passage: Passage, quote: str) -> bool:
    """Whether ``quote`` stands in the passage, white space aside: exactly when
    :func:`find_quote` finds it, without building a pattern (the validator's question)."""
    needle = normalize_ws(quote)
    return bool(needle) and needle in passage.normalized


def find_quote(passage: Passage, quote: str) -> tuple[int, int] | None:
    """Where ``quote`` stands in the passage, as offsets into ``passage.text``.

    Matching ignores differences in white space (runs of spaces, NBSP, new lines).
    """
    if not quote_stands(passage, quote):
        return None
    words = normalize_ws(quote).split(" ")
    if not words or words == [""]:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    m = re.search(pattern, passage.text)
    return (m.start(), m.end()) if m else None


# --- our English translation ------------------------------------------------------------------

def translation_file_name(path: Path) -> str:
    """How problems name a translation file: relative to the project (``sources/<doc>/…``)."""
    try:
        return path.resolve().relative_to(SOURCES_DIR.parent).as_posix()
    except ValueError:
        return str(path)


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def read_translation_file(path: Path) -> tuple[dict[str, str], Located | None, tuple[Problem, ...]]:
    """The passages of a translation file (id -> English), the located file (None when it
    cannot be read) and the problems of reading it. Cached per file (and its modification
    time): every page reads it."""
    return _read_translation_file(path.resolve(), _stamp(path))


@lru_cache(maxsize=32)
def _read_translation_file(
    path: Path, stamp: tuple[int, int] | None
) -> tuple[dict[str, str], Located | None, tuple[Problem, ...]]:
    name = translation_file_name(path)
    if stamp is None:
        return {}, None, ()
    try:
        src = read_located(path.read_bytes(), name)
    except RecordError as err:
        return {}, None, tuple(err.problems)
    except OSError as err:
        return {}, None, (Problem(name, 1, 1, f"cannot read the file ({err.strerror})", "check its permissions"),)
    data = src.data
    passages = data.get("passages") if isinstance(data, dict) else None
    found = {
        str(k): normalize_ws(v) for k, v in (passages.items() if isinstance(passages, dict) else ()) if isinstance(v, str) and v.strip()
    }
    return found, src, ()


def translations(doc_id: str, root: Path = SOURCES_DIR) -> dict[str, str]:
    """Our English translation of every passage of ``doc_id`` (passage id -> text); {} when the
    document has no translation file."""
    return read_translation_file(root / doc_id / TRANSLATION_FILE)[0]


def translation(doc_id: str, passage_id: str, root: Path = SOURCES_DIR) -> str | None:
    """Our English translation of one passage (white space collapsed), or None when there is
    none. ``passage_id`` as in :class:`Passage` ("title", "2", "headline", "1", …)."""
    return translations(doc_id, root).get(str(passage_id))
