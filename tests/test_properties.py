"""Property-based: a mutated record either loads or gives located problems — never an exception."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coalition_atlas.load import validate
from coalition_atlas.problems import RecordError
from conftest import RECORD

LINES = RECORD.splitlines(keepends=True)
NASTY = st.sampled_from(
    ["", ":", "- ", "  ", "\t", "&a ", "*a", "!!python/object ", "{", "}", "[", "]", "'", '"', "#", "|", ">",
     "\u202e", "<script>", "2017-02-30", "null", "~", "0x1F", "1e999", "\x00", "\ufeff", "\r", "é", "داعش"]
)


def check(text: str, documents, places) -> None:
    try:
        validate(text, "events.yaml", documents, places)
    except RecordError as err:
        n_lines = text.count("\n") + 2
        for p in err.problems:
            assert 1 <= p.line <= n_lines and p.col >= 1, p
            assert p.message and p.hint and "\n" not in str(p).strip("\n").split(" — ")[0]


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(st.integers(0, len(RECORD) - 1), st.integers(0, 8), NASTY)
def test_splice(documents, places, at, cut, insert):
    check(RECORD[:at] + insert + RECORD[at + cut :], documents, places)


@SETTINGS
@given(st.lists(st.integers(0, len(LINES) - 1), min_size=1, max_size=4), st.booleans())
def test_drop_or_duplicate_lines(documents, places, picks, duplicate):
    lines = list(LINES)
    for i in sorted(set(picks), reverse=True):
        if duplicate:
            lines.insert(i, lines[i])
        else:
            del lines[i]
    check("".join(lines), documents, places)


@SETTINGS
@given(st.integers(0, len(LINES) - 1), st.text(max_size=30))
def test_replace_a_line_with_anything(documents, places, i, junk):
    lines = list(LINES)
    lines[i] = junk + "\n"
    check("".join(lines), documents, places)


@SETTINGS
@given(st.binary(max_size=200))
def test_arbitrary_bytes(documents, places, raw):
    try:
        validate(raw, "events.yaml", documents, places)
    except RecordError as err:
        assert err.problems
