"""docs/curating.md: its examples validate, and the messages it shows are the real ones.

Each example or message in the guide follows a `<!-- check: NAME [| "A" => "B"] -->` line: the
example blocks are the texts, and a mistake is the example with A replaced by B (JSON strings).
`python tests/test_curating.py --write` fills the message blocks from the validator (then read
them: they are what a curator will see)."""

from __future__ import annotations

import contextlib
import io
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coalition_atlas.cli import main as cli  # noqa: E402
from coalition_atlas.gazetteer import PLACES_PATH  # noqa: E402
from coalition_atlas.load import read_places, validate  # noqa: E402
from coalition_atlas.problems import RecordError  # noqa: E402
from coalition_atlas.sources import TRANSLATION_FILE, load_document, load_documents  # noqa: E402
from coalition_atlas.tours import validate_tours  # noqa: E402
from coalition_atlas.translations import translation_problems  # noqa: E402

GUIDE = ROOT / "docs" / "curating.md"
CHECK = re.compile(r'<!-- check: (?P<name>[\w-]+)(?: \| (?P<old>".*?(?<!\\)") => (?P<new>".*?(?<!\\)"))? -->\n```\w*\n(?P<body>.*?)```', re.S)


def checks(text: str) -> list[re.Match]:
    return list(CHECK.finditer(text))


def block(text: str, name: str) -> str:
    return next(m["body"] for m in checks(text) if m["name"] == name)


def _mistake(text: str, m: re.Match, after: str = "") -> str:
    old, new = json.loads(m["old"]), json.loads(m["new"])
    start = text.index(after) if after else 0
    assert old in text[start:], f"the guide's mistake {old!r} is not in its example"
    at = text.index(old, start)
    return text[:at] + new + text[at + len(old) :]


def _lines(problems) -> str:
    return "".join(f"{p}\n" for p in problems)


def _event_problems(text: str) -> list:
    try:
        validate(text, "my-event.yaml")
    except RecordError as err:
        return err.problems
    return []


def actual(guide: str, m: re.Match, tmp: Path) -> str:
    """What the validator prints for one check of the guide ("" for an example that is valid)."""
    name = m["name"]
    if name == "event-example":
        return _lines(_event_problems(m["body"]))
    if name == "event-ok":
        path = tmp / "my-event.yaml"
        path.write_text(block(guide, "event-example"), "utf-8")
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert cli(["validate", str(path)]) == 0
        return out.getvalue()
    if name == "event-mistake":
        return _lines(_event_problems(_mistake(block(guide, "event-example"), m)))
    if name in ("place-example", "place-mistake"):
        gazetteer = json.loads(PLACES_PATH.read_text("utf-8"))
        example = json.loads(block(guide, "place-example"))
        gazetteer["features"] = [example if f["id"] == example["id"] else f for f in gazetteer["features"]]
        text = json.dumps(gazetteer, ensure_ascii=False, indent=2) + "\n"
        if name == "place-mistake":
            text = _mistake(text, m, after=f'"id": "{example["id"]}"')
        path = tmp / "places.geojson"
        path.write_text(text, "utf-8")
        return _lines(sorted(read_places(path, load_documents())[1]))
    if name in ("tour-example", "tour-mistake"):
        from coalition_atlas.load import load_atlas

        text = block(guide, "tour-example")
        text = _mistake(text, m) if name == "tour-mistake" else text
        try:
            validate_tours(text, {e.id for e in load_atlas().events}, "tours.yaml")
        except RecordError as err:
            return _lines(err.problems)
        return ""
    if name.startswith("doc-"):
        folder = tmp / "sources" / "example-2017"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "text.txt").write_text(block(guide, "doc-text"), "utf-8")
        (folder / "meta.yaml").write_text(block(guide, "doc-meta"), "utf-8")
        translation = block(guide, "doc-translation")
        if name == "doc-mistake":
            translation = _mistake(translation, m)
        (folder / TRANSLATION_FILE).write_text(translation, "utf-8")
        if name == "doc-mistake-no-file":
            (folder / TRANSLATION_FILE).unlink()
        problems = sorted(translation_problems(load_document(folder)))  # as validate prints them
        return _lines(problems).replace(str(folder.resolve()), "sources/example-2017")
    return ""


def _same(shown: str, real: str) -> bool:
    """Equal, but for the time `validate` took."""
    def pattern(s: str) -> str:
        return re.sub(r"\(\d+\.\d+ s\)", "(N s)", s)

    return pattern(shown) == pattern(real)


def test_the_guide_has_every_kind_of_check():
    names = [m["name"] for m in checks(GUIDE.read_text("utf-8"))]
    for needed in ("event-example", "event-ok", "event-mistake", "place-example", "place-mistake",
                   "tour-example", "tour-mistake", "doc-text", "doc-meta", "doc-translation", "doc-mistake"):
        assert needed in names, needed
    assert names.count("event-mistake") >= 6


@pytest.mark.parametrize("index", range(len(checks(GUIDE.read_text("utf-8")))))
def test_each_example_validates_and_each_message_is_the_real_one(index, tmp_path):
    guide = GUIDE.read_text("utf-8")
    m = checks(guide)[index]
    real = actual(guide, m, tmp_path)
    if m["name"] in ("event-example", "place-example", "tour-example", "doc-text", "doc-meta"):
        assert real == "", f"the guide's {m['name']} does not validate:\n{real}"
    elif m["name"] == "doc-translation":
        assert real == "", real
    else:
        assert real, f"{m['name']} {m['old']}: the mistake gives no message"
        assert _same(m["body"], real), f"docs/curating.md shows:\n{m['body']}\nthe validator says:\n{real}"


def _write(tmp: Path) -> None:  # pragma: no cover - a curator's tool, run by hand
    guide = GUIDE.read_text("utf-8")
    out, last = [], 0
    for m in checks(guide):
        if m["name"].endswith(("example", "-text", "-meta", "-translation")):
            continue
        real = actual(guide, m, tmp)
        out.append(guide[last : m.start("body")] + real)
        last = m.end("body")
    GUIDE.write_text("".join(out) + guide[last:], "utf-8")


if __name__ == "__main__" and "--write" in sys.argv:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        _write(Path(d))
