"""Read YAML (or JSON) into plain Python values, keeping the line and column of every node.

ruamel.yaml composes the node tree (every node has its start mark); we turn nodes into
values ourselves, so that we can refuse what the record never needs and what could hurt:
duplicate keys, anchors and aliases (alias bombs), custom tags, deep nesting, huge files.
Timestamps stay strings: ``2017-02-30`` is reported by the schema, not by a crash here.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.resolver import BaseResolver

from .problems import Problem, RecordError

MAX_BYTES = 20 * 1024 * 1024  # the 10,000-event benchmark record is about 17 MB
MAX_DEPTH = 32  # events.yaml needs 6
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


def _mark(node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _tag(node) -> str:
    ctag = node.ctag  # what node.tag would make a str of, without the property
    return "" if ctag is None else str(ctag)


_PLAIN = (  # YAML 1.2 core schema, for plain (unquoted) scalars: we resolve them ourselves
    ("null", re.compile(r"^(?:~|null|Null|NULL|)$")),
    ("bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")),
    ("int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")),
    ("float", re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")),
)


class _NoImplicitTags(BaseResolver):
    def __init__(self, version=None, loader=None, loadumper=None):  # the signature ruamel calls
        super().__init__(loadumper=loadumper)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # BaseResolver.resolve with no implicit and no path resolvers registered: the default
        # tag of the node's kind (one shared Tag object, whose str() is then cached)
        if kind is ScalarNode:
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is SequenceNode else self.DEFAULT_MAPPING_TAG


_NOT_STR_START = frozenset("~nNtTfF0123456789+-.")  # the first characters _PLAIN's patterns can match


def _resolve_plain(value: str) -> str:
    if value and value[0] not in _NOT_STR_START:  # most plain scalars: keys, ids, names
        return "str"
    return next((kind for kind, pattern in _PLAIN if pattern.match(value)), "str")


def _scalar(node: ScalarNode, tag: str | None = None) -> Any:
    value = node.value
    if tag is None:
        tag = _tag(node)
    if node.style in ('"', "'", "|", ">") or tag == "!":
        return value
    kind = tag[len(_STD) :] if tag.startswith(_STD) else tag
    if kind == "str" and not node.style:  # plain (the C parser says "" where the Python one says None)
        kind = _resolve_plain(value)
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
    return value  # str, timestamp (kept as text), anything else


class _Converter:
    def __init__(self, located: Located):
        self.out = located
        self.seen: set[int] = set()
        self.problems: list[Problem] = []

    def convert(self, node, loc: Path_, depth: int) -> Any:
        mark = node.start_mark
        self.out.values[loc] = (mark.line + 1, mark.column + 1)
        key = id(node)
        if key in self.seen:
            self.problems.append(
                self.out.problem(loc, "anchors and aliases (&name / *name) are not allowed", "write the value out in full")
            )
            return None
        self.seen.add(key)
        if depth > MAX_DEPTH:
            self.problems.append(
                self.out.problem(loc, f"nesting deeper than {MAX_DEPTH} levels", "events.yaml needs six; check the brackets")
            )
            return None
        tag = _tag(node)
        if tag and not tag.startswith(_STD) and tag != "!":
            self.problems.append(self.out.problem(loc, f"custom tag {tag!r} is not allowed", "remove the tag"))
            return None
        if isinstance(node, ScalarNode):
            return _scalar(node, tag)
        if isinstance(node, SequenceNode):
            return [self.convert(child, loc + (i,), depth + 1) for i, child in enumerate(node.value)]
        if isinstance(node, MappingNode):
            result: dict = {}
            first: dict = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    self.problems.append(
                        Problem(self.out.name, *_mark(key_node), "a key must be a plain name", "write `name: value`")
                    )
                    continue
                key = _scalar(key_node)
                key = key if isinstance(key, str) else str(key)
                if key == "<<":
                    self.problems.append(
                        Problem(self.out.name, *_mark(key_node), "merge keys (<<) are not allowed", "write the fields out")
                    )
                    continue
                if key in first:
                    line = first[key][0]
                    self.problems.append(
                        Problem(
                            self.out.name,
                            *_mark(key_node),
                            f"duplicate key '{key}' (first at line {line})",
                            "keep one of them",
                        )
                    )
                    continue
                first[key] = _mark(key_node)
                self.out.keys[loc + (key,)] = first[key]
                result[key] = self.convert(value_node, loc + (key,), depth + 1)
            return result
        return None


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


def read_located(raw: bytes | str, name: str) -> Located:
    """Parse ``raw`` into values with positions, or raise RecordError with every problem."""
    size = len(raw.encode("utf-8") if isinstance(raw, str) else raw)
    if size > MAX_BYTES:
        raise RecordError(
            [
                Problem(
                    name,
                    1,
                    1,
                    f"the file is {size / 1e6:.1f} MB, over the {MAX_BYTES // (1024 * 1024)} MB limit",
                    "check that this is the right file, or split the record",
                )
            ]
        )
    text = raw if isinstance(raw, str) else _decode(raw, name)
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
    yaml = YAML(typ="safe", pure=False)  # the C parser (ruamel.yaml.clib) where installed: 30x faster
    yaml.Resolver = _NoImplicitTags  # plain scalars are resolved by _scalar: 4x faster than ruamel's
    limit = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(max(limit, 4000))
        node = yaml.compose(text)
    except MarkedYAMLError as err:
        # "while scanning a simple key": the stray text is where the key began, not where it failed
        simple_key = bool(err.context and "simple key" in err.context and err.context_mark)
        mark = err.context_mark if simple_key else (err.problem_mark or err.context_mark)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = (err.problem or "invalid YAML").strip()
        context = f" ({err.context.strip()})" if err.context else ""
        raise RecordError([Problem(name, line, col, f"YAML syntax error: {what}{context}", _syntax_hint(what))]) from None
    except RecursionError:
        raise RecordError(
            [Problem(name, 1, 1, "the file is nested too deeply to read", "events.yaml needs six levels; check brackets")]
        ) from None
    except YAMLError as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else "invalid YAML"
        raise RecordError([Problem(name, 1, 1, f"YAML error: {first}", "check the file's syntax")]) from None
    finally:
        sys.setrecursionlimit(limit)
    if node is None:
        raise RecordError(
            [Problem(name, 1, 1, "the file is empty", "start it with `events:` and a list of events (see events.yaml)")]
        )
    converter = _Converter(located)
    located.data = converter.convert(node, (), 0)
    if converter.problems:
        raise RecordError(converter.problems)
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


def _depth_over(value: Any, limit: int) -> bool:
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        elif not isinstance(item, list):
            continue
        if depth >= limit:
            return True
        stack.extend((child, depth + 1) for child in item if isinstance(child, (dict, list)))
    return False


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
    if _depth_over(data, MAX_DEPTH):
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
