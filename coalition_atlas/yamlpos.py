"""The one safe reader of every YAML and JSON file the app reads, keeping the line and column
of every value (events.yaml, tours.yaml, sources/*/meta.yaml, geodata/places.geojson).

ruamel.yaml's parser (libyaml's, through ruamel.yaml.clib) turns the text into a stream of
events; we build plain Python values from it ourselves, one event at a time, with no recursion
(ruamel's composer recursed: 30,000 nested ``[`` killed the process on signal 11), and refuse
what the record never needs and what could hurt: duplicate keys, anchors and aliases (alias
bombs), custom tags, deep nesting, huge files, lists and texts, control and invisible
characters in any text (NUL, ESC, bidi overrides, zero-width spaces). Every limit gives a
located problem; problems are capped (problems.MAX_PROBLEMS listed, the rest counted).
Timestamps stay strings: ``2017-02-30`` is reported by the schema, not by a crash here.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    DocumentEndEvent, DocumentStartEvent, MappingEndEvent, ScalarEvent, SequenceEndEvent, StreamEndEvent, StreamStartEvent,
)

from .problems import MAX_PROBLEMS, Problem, RecordError

# Limits of every file read (each with its reason): a file past one is refused with a located
# problem, read in well under 5 s and 500 MB whatever it holds.
MAX_BYTES = 20 * 1024 * 1024  # the 10,000-event benchmark record is about 17 MB
MAX_DEPTH = 32  # events.yaml needs 6; checked as the parser's events arrive, never by recursion
MAX_ITEMS = 50_000  # items of one list or fields of one mapping (the benchmark: 10,000 events)
MAX_NODES = 750_000  # values in one file (the 10,000-event record has about 460,000)
MAX_TEXT = 10_000  # characters of one text (the longest in the record: about 400)
MAX_KEY = 200  # characters of one key
MAX_NUMBER_TEXT = 40  # signs of one number (more is kept as text, and refused by the schema)
Path_ = tuple  # a location: ("events", 3, "sources", 0, "quote")

_STD = "tag:yaml.org,2002:"
# what YAML 1.2 allows in a stream (its "printable" set)
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass
class Located:
    """The values of a file and where each of them (and each mapping key) stands."""

    name: str
    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, loc: Path_, key: bool = False) -> tuple[int, int]:
        """Line and column of ``loc``, or of its nearest ancestor that exists."""
        loc = tuple(loc)
        if key and loc in self.keys:
            return self.keys[loc]
        while loc:
            if loc in self.values:
                return self.values[loc]
            loc = loc[:-1]
        return self.values.get((), (1, 1))

    def problem(self, loc: Path_, message: str, hint: str, key: bool = False) -> Problem:
        line, col = self.where(loc, key)
        return Problem(self.name, line, col, message, hint)


_PLAIN = (  # YAML 1.2 core schema, for plain (unquoted) scalars: we resolve them ourselves
    ("null", re.compile(r"^(?:~|null|Null|NULL|)$")),
    ("bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")),
    ("int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")),
    ("float", re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")),
)


_NOT_STR_START = frozenset("~nNtTfF0123456789+-.")  # the first characters _PLAIN's patterns can match


_PLAIN_ONE = re.compile("(?:" + "|".join(f"(?P<{kind}>{pattern.pattern[1:-1]})" for kind, pattern in _PLAIN) + ")$")


def _resolve_plain(value: str) -> str:
    if value and value[0] not in _NOT_STR_START:  # most plain scalars: keys, ids, names
        return "str"
    m = _PLAIN_ONE.match(value)
    return m.lastgroup if m else "str"


_STD_SAFE = frozenset(_STD + k for k in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp", "binary"))


def _char_class(categories: frozenset[str]) -> str:
    """A regex character class of every code point in ``categories`` (built once, at import)."""
    ranges: list[list[int]] = []
    for cp in (*range(0x20000), *range(0xE0000, 0xE1000)):  # where Cc, Cf, Zl and Zp live
        if 0xD800 <= cp <= 0xDFFF:
            continue
        if unicodedata.category(chr(cp)) in categories and chr(cp) not in "\t\n":
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    return "[" + "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges) + "]"


# What no text field may hold: controls (but tab and line feed), format characters (bidi
# embeddings, overrides, isolates and marks, zero-width spaces and joiners, BOM, soft hyphen),
# line and paragraph separators, private-use characters. The documents hold none of them.
_TEXT_BAD = re.compile(_char_class(frozenset(("Cc", "Cf", "Zl", "Zp")))[:-1] + "\ue000-\uf8ff\U000f0000-\U0010ffff]")


def _bad_char(text: str) -> str | None:
    """The first character of ``text`` that no text field may hold, or None."""
    bad = _TEXT_BAD.search(text)
    return bad.group() if bad else None


def describe_char(ch: str) -> str:
    return f"U+{ord(ch):04X} ({unicodedata.name(ch, 'a control character')})"


class _Stop(Exception):
    """A limit is passed: reading stops here (the file is not read further)."""


class _Builder:
    """Python values from the parser's event stream, one event at a time: no recursion at any
    depth, no alias ever expanded, limits checked as the events arrive."""

    def __init__(self, located: Located, text: str):
        self.out = located
        self.problems: list[Problem] = []
        self.more = 0
        self.nodes = 0

    def add(self, problem: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.more += 1

    def stop(self, mark, message: str, hint: str) -> _Stop:
        self.add(Problem(self.out.name, mark.line + 1, mark.column + 1, message, hint))
        return _Stop()

    def check_text(self, text: str, mark, what: str = "text") -> bool:
        if len(text) > MAX_TEXT:
            self.add(Problem(self.out.name, mark.line + 1, mark.column + 1,
                             f"{what} of {len(text):,} characters, over the limit of {MAX_TEXT:,}",
                             "shorten it: no field of the record needs that much"))
            return False
        ch = _bad_char(text)
        if ch is not None:
            self.add(Problem(self.out.name, mark.line + 1, mark.column + 1,
                             f"{what} holds the invisible or control character {describe_char(ch)}",
                             "delete it: write plain text (direction is set by the app)"))
            return False
        return True

    def scalar(self, event) -> Any:
        tag = event.tag
        value = event.value
        if tag is not None and tag != "!" and tag not in _STD_SAFE:
            self.add(Problem(self.out.name, *_at(event), f"custom tag {_short(tag)!r} is not allowed", "remove the tag"))
            return None
        if (len(value) > MAX_TEXT or _TEXT_BAD.search(value)) and not self.check_text(value, event.start_mark):
            return None
        if event.style in ('"', "'", "|", ">") or tag == "!":
            return value
        kind = tag[len(_STD):] if tag else _resolve_plain(value)
        if kind in ("int", "float") and len(value) > MAX_NUMBER_TEXT:
            return value  # no number of the record is written with that many signs: the schema says so
        try:
            if kind == "int":
                digits = value.replace("_", "")
                return int(digits, 0) if digits[1:2] in ("x", "o", "b") else int(digits, 10)
            if kind == "float":
                return float(value.replace("_", ""))
        except ValueError:
            return value
        if kind == "bool":
            return value.lower() in ("true", "yes", "on")
        if kind == "null":
            return None
        return value

    def build(self, events) -> Any:
        # a frame: [container, location, pending key (mappings), skip (inside a refused key), keys seen]
        stack: list[list] = []
        root: Any = None
        documents = 0
        values = self.out.values
        for event in events:
            cls = event.__class__
            parent = stack[-1] if stack else None
            # the common case first: a plain or quoted value in a list or under a key
            if cls is ScalarEvent and parent is not None and event.anchor is None and (
                parent[2] is not None or parent[0].__class__ is list
            ):
                self.nodes += 1
                if self.nodes > MAX_NODES:
                    raise self.stop(event.start_mark, f"more than {MAX_NODES:,} values in the file",
                                    "check that this is the right file, or split the record")
                container = parent[0]
                if container.__class__ is list:
                    loc = parent[1] + (len(container),)
                else:
                    loc = parent[1] + (parent[2],)
                if not parent[3] and parent[2] is not _SKIP:
                    mark = event.start_mark
                    values[loc] = (mark.line + 1, mark.column + 1)
                self.place(parent, self.scalar(event))
                continue
            if cls in (SequenceEndEvent, MappingEndEvent):
                stack.pop()
                continue
            if cls in (StreamStartEvent, DocumentEndEvent, StreamEndEvent):
                continue
            if cls is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise self.stop(event.start_mark, "a second YAML document (`---`) in the file",
                                    "keep one document: delete the `---` line and what follows, or merge it")
                continue
            kind = cls.__name__
            self.nodes += 1
            if self.nodes > MAX_NODES:
                raise self.stop(event.start_mark, f"more than {MAX_NODES:,} values in the file",
                                "check that this is the right file, or split the record")
            if getattr(event, "anchor", None) is not None or kind == "AliasEvent":
                self.add(Problem(self.out.name, *_at(event), "anchors and aliases (&name / *name) are not allowed",
                                 "write the value out in full"))
            # a mapping's key
            if parent is not None and isinstance(parent[0], dict) and parent[2] is None:
                if kind != "ScalarEvent":
                    self.add(Problem(self.out.name, *_at(event), "a key must be a plain name", "write `name: value`"))
                    parent[2] = _SKIP
                    if kind in ("SequenceStartEvent", "MappingStartEvent"):
                        if len(stack) >= MAX_DEPTH:
                            raise self.stop(event.start_mark, f"nesting deeper than {MAX_DEPTH} levels",
                                            "the record needs six; check the brackets and the indentation")
                        self._open(event, kind, stack, ("<key>",), skip=True)
                        parent[2] = _SKIP_AFTER_KEY
                    continue
                self.key(event, parent)
                continue
            if parent is not None and parent[2] is _SKIP_AFTER_KEY:  # the refused key's value follows
                parent[2] = _SKIP
            loc = self.loc_of(parent, event)
            if kind == "AliasEvent":
                value = None
            elif kind == "ScalarEvent":
                value = self.scalar(event)
            else:
                tag = event.tag
                if tag is not None and tag not in _STD_SAFE and tag != "!":
                    self.add(Problem(self.out.name, *_at(event), f"custom tag {_short(tag)!r} is not allowed", "remove the tag"))
                if len(stack) >= MAX_DEPTH:
                    raise self.stop(event.start_mark, f"nesting deeper than {MAX_DEPTH} levels",
                                    "the record needs six; check the brackets and the indentation")
                value = self._open(event, kind, stack, loc, skip=bool(parent and (parent[3] or parent[2] is _SKIP)))
            if parent is None:
                root = value
            else:
                self.place(parent, value)
        return root

    def _open(self, event, kind: str, stack: list, loc: tuple, skip: bool) -> Any:
        container: Any = [] if kind == "SequenceStartEvent" else {}
        if not skip:
            self.out.values[loc] = _at(event)
        stack.append([container, loc, None, skip, {}])
        return container

    def loc_of(self, parent, event) -> tuple:
        if parent is None:
            loc: tuple = ()
        elif isinstance(parent[0], list):
            loc = parent[1] + (len(parent[0]),)
        else:
            loc = parent[1] + (parent[2],)
        if parent is None or not parent[3] and parent[2] is not _SKIP:
            self.out.values[loc] = _at(event)
        return loc

    def key(self, event, parent) -> None:
        name = event.value  # a key is a name: kept as written (never a 4,000-digit number)
        seen = parent[4]
        if len(name) > MAX_KEY or not self.check_text(name, event.start_mark, "a key"):
            if len(name) > MAX_KEY:
                self.add(Problem(self.out.name, *_at(event), f"a key of {len(name):,} characters", "use a field name"))
            parent[2] = _SKIP
            return
        if name == "<<" and not event.style:
            self.add(Problem(self.out.name, *_at(event), "merge keys (<<) are not allowed", "write the fields out"))
            parent[2] = _SKIP
            return
        if name in seen:
            self.add(Problem(self.out.name, *_at(event), f"duplicate key '{name}' (first at line {seen[name][0]})",
                             "keep one of them"))
            parent[2] = _SKIP
            return
        seen[name] = _at(event)
        if not parent[3]:
            self.out.keys[parent[1] + (name,)] = seen[name]
        parent[2] = name

    def place(self, parent, value) -> None:
        container = parent[0]
        if isinstance(container, list):
            if len(container) >= MAX_ITEMS:
                raise self.stop(_Mark(*self.out.where(parent[1])), f"a list of more than {MAX_ITEMS:,} items",
                                "check that this is the right file, or split the record")
            container.append(value)
        else:
            key = parent[2]
            parent[2] = None
            if key is _SKIP or key is _SKIP_AFTER_KEY:
                return
            if len(container) >= MAX_ITEMS:
                raise self.stop(_Mark(*self.out.where(parent[1])), f"a mapping of more than {MAX_ITEMS:,} fields",
                                "check that this is the right file")
            container[key] = value


_SKIP = object()  # the value of a refused key: read, then dropped
_SKIP_AFTER_KEY = object()  # a refused (non-scalar) key is being read; its value comes next


class _Mark:
    def __init__(self, line: int, column: int):  # 1-based in, 0-based out (a parser's mark)
        self.line, self.column = line - 1, column - 1


def _at(event) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        raise RecordError(
            [Problem(name, line, col, f"byte 0x{raw[err.start]:02x} is not UTF-8", "save the file as UTF-8")]
        ) from None


def _size_problem(size: int, name: str) -> RecordError:
    return RecordError([Problem(name, 1, 1, f"the file is {size / 1e6:.1f} MB, over the {MAX_BYTES // (1024 * 1024)} MB limit",
                                "check that this is the right file, or split the record")])


def _parser(text: str):
    """The parser's events for ``text``: libyaml's (ruamel.yaml.clib) where installed, else
    ruamel's own; both are iterative (a state stack), so any nesting only costs memory."""
    try:
        from ruamel.yaml import CParser

        parser = CParser(text)
    except ImportError:  # pragma: no cover - the pinned requirements install the C parser
        yaml = YAML(typ="safe", pure=True)
        yield from yaml.parse(text)
        return
    try:
        while True:
            event = parser.get_event()
            yield event
            if type(event).__name__ == "StreamEndEvent":
                return
    finally:
        parser.dispose()


def read_located(raw: bytes | str, name: str) -> Located:
    """Parse ``raw`` into values with positions, or raise RecordError with its problems: the
    one safe reader of every YAML and JSON file the app reads. Within the limits (MAX_BYTES,
    MAX_DEPTH, MAX_ITEMS, MAX_NODES, MAX_TEXT), and it never recurses, so no file can crash
    it; no alias is ever expanded; every text is checked for control and invisible characters."""
    size = len(raw.encode("utf-8") if isinstance(raw, str) else raw)
    if size > MAX_BYTES:
        raise _size_problem(size, name)
    text = raw if isinstance(raw, str) else _decode(raw, name)
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        at = text.index("\x00")
        line = text.count("\n", 0, at) + 1
        raise RecordError(
            [Problem(name, line, at - (text.rfind("\n", 0, at) + 1) + 1, "the file holds NUL bytes: it is binary, not YAML", "open the right file")]
        )
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        at = bad.start()
        line = text.count("\n", 0, at) + 1
        col = at - (text.rfind("\n", 0, at) + 1) + 1
        raise RecordError(
            [Problem(name, line, col, f"control character U+{ord(bad.group()):04X} is not allowed in YAML", "delete it")]
        )
    located = Located(name, None)
    builder = _Builder(located, text)
    try:
        located.data = builder.build(_parser(text))
    except _Stop:
        raise RecordError(builder.problems, builder.more) from None
    except MarkedYAMLError as err:
        # "while scanning a simple key": the stray text is where the key began, not where it failed
        simple_key = bool(err.context and "simple key" in err.context and err.context_mark)
        mark = err.context_mark if simple_key else (err.problem_mark or err.context_mark)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = (err.problem or "invalid YAML").strip()
        context = f" ({err.context.strip()})" if err.context else ""
        raise RecordError(builder.problems + [Problem(name, line, col, f"YAML syntax error: {what}{context}", _syntax_hint(what))],
                          builder.more) from None
    except (YAMLError, ValueError, MemoryError, RecursionError) as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else "invalid YAML"
        raise RecordError([Problem(name, 1, 1, f"YAML error: {_short(first, 120)}", "check the file's syntax")]) from None
    if builder.problems:
        raise RecordError(builder.problems, builder.more)
    if builder.nodes == 0 or (located.data is None and not text.strip()):
        raise RecordError(
            [Problem(name, 1, 1, "the file is empty", "start it with `events:` and a list of events (see events.yaml)")]
        )
    return located


class _NotPlainJSON(ValueError):
    """What read_located would refuse or read differently: leave the file to it."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs) or "<<" in result:
        raise _NotPlainJSON("duplicate or merge key")
    return result


def _refuse_constant(name: str) -> Any:
    raise _NotPlainJSON(name)  # NaN, Infinity: not JSON, and not numbers in YAML


def _within_limits(value: Any) -> bool:
    """Whether JSON values keep every limit read_located checks (depth, items, values, texts
    and their characters, finite numbers), walked without recursion."""
    nodes = 0
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            return False
        if isinstance(item, str):
            if len(item) > MAX_TEXT or _bad_char(item) is not None:
                return False
        elif isinstance(item, float):
            if item != item or item in (float("inf"), float("-inf")):
                return False
        elif isinstance(item, (dict, list)):
            if depth >= MAX_DEPTH or len(item) > MAX_ITEMS:
                return False
            if isinstance(item, dict):
                if any(len(k) > MAX_KEY or _bad_char(k) is not None for k in item):
                    return False
                item = item.values()
            stack.extend((child, depth + 1) for child in item)
    return True


def read_json_unlocated(raw: bytes, name: str) -> Located | None:
    """A plain JSON file (the gazetteer's GeoJSON), read by the json module: the values
    read_located would give (JSON is YAML 1.2), 50x faster, but without positions (every
    location is 1:1). None when the file is not plain JSON or holds anything read_located
    refuses (duplicate or merge keys, NaN, deep nesting, a BOM, control characters, over
    MAX_BYTES): read that with read_located. A caller that finds a problem in the values
    re-reads the file with read_located to say where it is."""
    if len(raw) > MAX_BYTES or raw.startswith(b"\xef\xbb\xbf"):
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not text.lstrip(" \t\r\n").startswith(("{", "[")) or _NOT_PRINTABLE.search(text) or "\x00" in text:
        return None
    try:
        data = json.loads(text, object_pairs_hook=_pairs, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):  # JSONDecodeError and _NotPlainJSON are ValueErrors
        return None
    if not _within_limits(data):
        return None
    return Located(name, data)


def _syntax_hint(problem: str) -> str:
    if "tab" in problem or "\\t" in problem:
        return "indent with spaces, not tabs"
    if "mapping values" in problem:
        return "quote text that holds a colon, or fix the indentation above"
    if "found character" in problem or "special characters" in problem:
        return "quote the text, or remove control characters"
    if "expected <block end>" in problem or "indentation" in problem:
        return "check the indentation of this line and the one above"
    if "alias" in problem or "anchor" in problem:
        return "anchors and aliases are not allowed; write the value out"
    return "check quotes, brackets and indentation here and on the line before"
