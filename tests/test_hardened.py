"""Hostile files and hostile links (issue 13), by generated cases: every class, not examples.

* The one safe reader (``yamlpos``) under structure-aware mutations of the real events.yaml,
  tours.yaml, places.geojson and a meta.yaml: wrong types, deep nesting, huge and non-finite
  numbers, control and bidi characters, odd keys → a located problem or a valid record, never
  an exception; every export of a valid record succeeds.
* Limits: any file up to the size cap answered within 5 s of CPU and 500 MB (a subprocess under
  RLIMIT_CPU), problems capped, nesting of any depth refused without recursion.
* Text from a URL or the data never reaches Markdown unescaped (render.md, the notices).
* CSV safe for ``,`` and ``;`` readers; URL dates and steps of any shape fall back.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coalition_atlas import tours
from coalition_atlas.escaping import md
from coalition_atlas.export import csv_cell, events_csv, geojson_bytes
from coalition_atlas.gazetteer import PLACES_PATH
from coalition_atlas.load import read_places, validate
from coalition_atlas.problems import MAX_PROBLEMS, Problem, RecordError
from coalition_atlas.sources import SOURCES_DIR, read_meta
from coalition_atlas.viewstate import KNOWN, ignored_names, parse_params
from coalition_atlas.yamlpos import MAX_BYTES, MAX_DEPTH, MAX_TEXT, read_located

ROOT = Path(__file__).resolve().parents[1]
FILES = {
    "events": ROOT / "events.yaml",
    "tours": ROOT / "tours.yaml",
    "places": PLACES_PATH,
    "meta": SOURCES_DIR / "washington-2017" / "meta.yaml",
}
DATA = {kind: read_located(path.read_bytes(), path.name).data for kind, path in FILES.items()}
SLOT = "@@slot@@"


def _paths(data) -> list[tuple]:
    """Every location in ``data`` (walked without recursion)."""
    out, stack = [], [((), data)]
    while stack:
        loc, value = stack.pop()
        out.append(loc)
        if isinstance(value, dict):
            stack += [(loc + (k,), v) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [(loc + (i,), v) for i, v in enumerate(value)]
    return sorted(out, key=lambda loc: [str(p) for p in loc])


PATHS = {kind: _paths(data) for kind, data in DATA.items()}

# What a hostile or careless contributor writes, as YAML flow text (the files are dumped as
# JSON, which is YAML, and a slot replaced by one of these).
DEEP = st.integers(MAX_DEPTH - 2, 40_000).map(lambda n: "[" * n + "]" * n)
VALUES = st.one_of(
    st.sampled_from([
        ".nan", ".inf", "-.inf", "1e400", "-1e400", "NaN", "Infinity", "1e308", "0", "-0.0", "-1",
        "99999999999999999999999999999999999999999", "0x" + "f" * 4000, "9" * 5000, "true", "null", "~", "[]", "{}",
        "[5000, -900]", "[1]", "[1, 2, 3]", '["1", "2"]', "[true, false]", '"x"', "0000", "9999", "'9999-12-31'",
        "'0001-01-01'", '"\\u0662\\u0660\\u0661\\u0667"', '"\\uff12\\uff10\\uff11\\uff17-03-22"', "'2017-02-30'",
        '"\\u202eevil"', '"a\\u200bb"', '"\\x1b[31m"', '"\\0"', '"\\u2066x\\u2069"', '"\\ufeffx"', '"\\u00adx"',
        '"![x](https://evil.example/r.png)"', '"[Log in](https://evil.example)"', '"$\\\\color{red}{x}$"',
        "&a 1", "*a", "!!python/object:os.system x", "!custom x", "{<<: {a: 1}}", '{"a": 1, "a": 2}',
        "{type: Point, coordinates: [1e400, 0]}", "{type: Polygon, coordinates: [[[0, 0], [1, 1], [0, 1]]]}",
        '"x"', "[[[[1]]]]",
    ]),
    DEEP,
    st.integers(MAX_TEXT - 5, MAX_TEXT + 5).map(lambda n: '"' + "x" * n + '"'),
    st.text(max_size=20).map(json.dumps),  # any characters, written as a JSON string
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**30), 10**30).map(str),
)
KEYS = st.sampled_from([
    '"\\u202e"', '"<<"', '"0x' + "f" * 4000 + '"', '"' + "k" * 300 + '"', '"id"', '"a\\u200bb"', '"lon"', '"extra"',
    "[a, b]", "{a: 1}", '""', '"\\x00"',
])


def _mutate(kind: str, data, loc: tuple, snippet: str, as_key: bool) -> str:
    """The file ``kind`` with the value at ``loc`` replaced by ``snippet`` (or, ``as_key``, a
    field ``snippet: 1`` added to the mapping at or above ``loc``)."""
    data = copy.deepcopy(data)
    target = data
    for part in loc[:-1]:
        target = target[part]
    if as_key:
        holder = target if not loc or not isinstance(target[loc[-1]], dict) else target[loc[-1]]
        if not isinstance(holder, dict):
            holder = data if isinstance(data, dict) else {}
        holder[SLOT] = 1
    elif not loc:
        data = SLOT
    else:
        target[loc[-1]] = SLOT
    return json.dumps(data, ensure_ascii=False, indent=1).replace(f'"{SLOT}"', snippet, 1)


@st.composite
def mutated(draw, kind: str):
    paths = PATHS[kind]
    loc = paths[draw(st.integers(0, len(paths) - 1))]
    as_key = draw(st.booleans()) and draw(st.booleans())  # a quarter: an odd key
    snippet = draw(KEYS if as_key else VALUES)
    return _mutate(kind, DATA[kind], loc, snippet, as_key)


def _located(problems: list[Problem], text: str) -> None:
    lines = text.count("\n") + 2
    assert problems, "a refusal says why"
    for p in problems:
        assert 1 <= p.line <= lines and p.col >= 1, p
        assert p.message and p.hint and "\n" not in p.message + p.hint, p
        assert "Traceback" not in str(p)


def check_file(kind: str, text: str, documents, places, tmp_path: Path):
    """The validator of ``kind`` on ``text``: the valid result, or None after checking that
    every problem is located (an exception fails the test)."""
    try:
        if kind == "events":
            return validate(text, "events.yaml", documents, places)
        if kind == "tours":
            return tours.validate_tours(text, {e for e in _event_ids()})
        if kind == "meta":
            return read_meta(text, "meta.yaml")
        path = tmp_path / "places.geojson"
        path.write_text(text, "utf-8")
        found, problems = read_places(path, documents)
        if problems:
            _located(problems, text)
            return None
        return found
    except RecordError as err:
        _located(err.problems, text)
        return None


def _event_ids() -> list[str]:
    return [e["id"] for e in DATA["events"]["events"]]


FUZZ = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])


@pytest.mark.parametrize("kind", list(FILES))
@FUZZ
@given(data=st.data())
def test_mutations_give_a_located_problem_or_a_valid_record(kind, data, documents, places, tmp_path):
    text = data.draw(mutated(kind))
    result = check_file(kind, text, documents, places, tmp_path)
    if kind == "events" and result is not None:  # every export of a valid record succeeds
        events_csv(result.events)
        geojson_bytes(result.events, result)
    if kind == "places" and result is not None:
        assert all(-180 <= p.lon <= 180 and -90 <= p.lat <= 90 for p in result.values())


VISIBLE = st.text(st.characters(categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=40).filter(str.strip)


@settings(max_examples=4, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.large_base_example])
@given(data=st.data())
def test_exports_of_any_valid_mutation_succeed(data, documents, places, tmp_path):
    """Only mutations that keep the record valid (texts, dates, figures): all three exports."""
    from coalition_atlas.briefing import briefing_html
    from coalition_atlas.viewstate import ViewState

    paths = [p for p in PATHS["events"] if len(p) == 4 and p[2] in ("title", "summary") and p[3] in ("en", "ar")]
    text = _mutate("events", DATA["events"], data.draw(st.sampled_from(paths)), json.dumps(data.draw(VISIBLE), ensure_ascii=False), False)
    atlas = check_file("events", text, documents, places, tmp_path)
    assert atlas is not None
    events_csv(atlas.events)
    geojson_bytes(atlas.events, atlas)
    assert briefing_html(atlas, ViewState(lang=data.draw(st.sampled_from(["ar", "en"])))).startswith("<!DOCTYPE html>")


# --- limits --------------------------------------------------------------------------------------

_SIZED = MAX_BYTES - 64  # just under the cap
WORST = {
    "deep brackets": "events: " + "[" * 30_000 + "]" * 30_000,
    "brackets to the cap": "[" * _SIZED,
    "flat list": "events: [" + "0," * (_SIZED // 2 - 8) + "0]",
    "lists of lists": "[" + "[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]," * (_SIZED // 42) + "0]",
    "block items": "events:\n" + "- 0\n" * (_SIZED // 4 - 4),
    "many keys": "{" + ",".join(f"k{i}: 0" for i in range(_SIZED // 12)) + "}",
    "one long title": "events:\n- title: {en: " + "x" * (_SIZED - 40) + "}\n",
    "alias bomb": "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(20)),
}
_PROBE = textwrap.dedent("""
    import resource, sys
    from coalition_atlas.load import validate
    from coalition_atlas.problems import RecordError
    resource.setrlimit(resource.RLIMIT_CPU, (5, 5))  # answered within 5 s of CPU, or killed
    try:
        validate(open(sys.argv[1], "rb").read(), "events.yaml")
        said = "valid"
    except RecordError as err:
        said = f"{len(err.problems)} problem(s) + {err.more}: {err.problems[0]}"
    # this process's own peak (ru_maxrss would keep the parent's across exec)
    peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
    print(f"{peak:.0f} {resource.getrusage(resource.RUSAGE_SELF).ru_utime:.2f} {said}")
""")


@pytest.mark.parametrize("name", list(WORST))
def test_any_file_up_to_the_cap_is_answered_within_5_s_and_500_mb(name, tmp_path):
    path = tmp_path / "events.yaml"
    path.write_text(WORST[name], "utf-8")
    done = subprocess.run([sys.executable, "-c", _PROBE, str(path)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])  # SIGXCPU (CPU over 5 s) or a crash fails
    peak_mb, cpu, said = done.stdout.strip().split(" ", 2)
    print(f"[limits] {name}: {cpu} s CPU, {peak_mb} MB peak — {said[:140]}")
    assert float(peak_mb) < 500
    assert said.startswith(("1 problem", "2 problem")) or "alias" in said, said  # one located refusal


def test_problems_are_capped_and_counted(problems_of):
    """2 MB of `events: [0, 0, …]` once gave 1,048,567 problems: now the first are listed."""
    text = "events: [" + "0, " * 40_000 + "0]\n"
    try:
        validate(text, "events.yaml")
    except RecordError as err:
        assert len(err.problems) == MAX_PROBLEMS and err.more == 40_001 - MAX_PROBLEMS
        assert str(err).endswith(f"… and {err.more} more problem(s)")
    else:
        pytest.fail("not refused")


@settings(max_examples=20, deadline=None, derandomize=True)
@given(st.integers(MAX_DEPTH + 1, 50_000), st.sampled_from(["[", "{a: ", "- ", "[{a: ["]))
def test_nesting_of_any_depth_is_refused_without_recursion(depth, opener):
    closer = {"[": "]", "{a: ": "}", "- ": "", "[{a: [": "]}]"}[opener]
    text = opener * depth + "0" + closer * depth  # "- - - 0" is block nesting on one line
    with pytest.raises(RecordError) as caught:
        read_located(text, "events.yaml")
    assert "nesting deeper" in caught.value.problems[0].message


BAD_CHARS = st.sampled_from(list("\x00\x07\x1b\x7f\x85\u202a\u202e\u200b\u200d\u200e\u2066\u2069\ufeff\u061c\u00ad\u2028\ue000"))


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.tuples(st.text(max_size=8), BAD_CHARS, st.text(max_size=8)).map("".join))
def test_controls_and_invisible_characters_are_refused_in_any_text(text):
    hostile = json.dumps(text)  # any field: the reader checks every text before the schema
    with pytest.raises(RecordError) as caught:
        read_located("title: " + hostile, "events.yaml")
    assert any("character" in p.message for p in caught.value.problems), caught.value.problems


# --- Markdown: text from a URL or the data is taken literally ------------------------------------

_MD_SIGNS = re.compile(r"(?<!\\)[!-/:-@\[-`{-~]")


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_md_escapes_every_sign_and_break(text):
    out = md(text)
    assert "\n" not in out and "\r" not in out
    unescaped = _MD_SIGNS.findall(re.sub(r"\\.", "", out))
    assert unescaped == []
    shown = re.sub(r"\\(.)", r"\1", out)  # what Markdown makes of it
    assert shown.replace("\u2060", "") == re.sub(r"[\r\n\u2028\u2029\x0b\x0c\x85]+", " ", text).replace("\u2060", "")
    # no autolink literal survives (GFM finds them after escapes are decoded)
    assert not re.search(r"(?i)https?://|www\.|@\w|(mailto|xmpp):\w", shown)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(max_size=30), st.text(max_size=60), max_size=6))
def test_url_notices_name_known_parameters_only(real_atlas, params):
    state = parse_params(params, real_atlas)
    names, unknown = ignored_names(state.notices)
    assert set(names) <= set(KNOWN)
    for value in params.values():  # a value is never repeated (unless it is a parameter's name)
        if value.strip() and value.strip() not in KNOWN:
            assert value.strip() not in names


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.dates().map(str), st.text(max_size=12), st.sampled_from(["0001-01-01", "9999-12-31", "²", "٣"])),
       st.one_of(st.integers(-5, 10**7).map(str), st.text(max_size=6)))
def test_any_date_or_step_in_the_url_falls_back_or_is_sane(real_atlas, day, step):
    state = parse_params({"from": day, "to": day, "step": step}, real_atlas)
    for value in (state.start, state.end):
        assert value is None or 1900 <= value.year <= 2100
    assert state.step is None or (isinstance(state.step, int) and state.step >= 0)


# --- CSV -----------------------------------------------------------------------------------------

_FORMULA = set("=+-@\u2212")


def _risky(cell: str) -> bool:
    import unicodedata

    for ch in cell:
        if ch.isspace() or ch == '"' or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            continue
        return ch in _FORMULA or unicodedata.normalize("NFKC", ch)[:1] in _FORMULA
    return False


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("=+-@;,\"' \t\r\n\x00\u200b\u202e\uff1d\uff0b\ufe66ax1")), max_size=12),
                min_size=1, max_size=4))
def test_csv_cells_are_text_for_comma_and_semicolon_readers(cells):
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL).writerow([csv_cell(c) for c in cells])
    raw = out.getvalue()
    for delimiter in (",", ";"):
        for row in csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter):
            for cell in row:
                assert not _risky(cell) or cell.startswith("'"), (delimiter, cell, raw)
    # the "," reader gets the cells back, apostrophes aside
    back = next(csv.reader(io.StringIO(raw, newline="")))
    assert [c.replace("'", "") for c in back] == [c.replace("'", "") for c in cells]


def test_the_record_csv_is_safe_for_semicolon_readers(real_atlas):
    text = events_csv(real_atlas.events).decode("utf-8-sig")
    for delimiter in (",", ";"):
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            assert not [c for c in row if _risky(c) and not c.startswith("'")]
