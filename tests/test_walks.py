"""walks.py: a walk of your own in the URL (compact, capped, hostile input refused), as a tour,
as a tours.yaml entry that validates, and as a briefing pack."""

from __future__ import annotations

import base64
import json
import re
import zlib
from urllib.parse import quote, urlencode

import pytest

from coalition_atlas import tours
from coalition_atlas.briefing import briefing_html
from coalition_atlas.viewstate import MAX_Q, ViewState, parse_params, to_params
from coalition_atlas.walks import (
    NOTE_MAX, PARAM_MAX, STEPS_MAX, TITLE_MAX, WALK_TOUR, Walk, WalkStep, as_tour, decode, encode, fits, tours_yaml_entry,
)

ARABIC_NOTE = "ملاحظة المعلّمة: هنا يبدأ التحرير الفعلي للموصل، قارنوا بما يقوله بيان 2017 عن «التقدم الملموس»."


@pytest.fixture(scope="module")
def atlas(real_atlas):
    return real_atlas


@pytest.fixture(scope="module")
def ids(atlas):
    return [e.id for e in atlas.events]


def _raw(payload: object) -> str:
    packed = zlib.compress(json.dumps(payload).encode(), 9)[2:-4]
    return "1." + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def test_round_trip_exactly(atlas, ids):
    walk = Walk("Mosul, then Interpol — a lesson", (
        WalkStep(ids[5], ARABIC_NOTE), WalkStep(ids[2]), WalkStep(ids[40], "Then compare with 2019."),
    ))
    text = encode(walk)
    assert re.fullmatch(r"1\.[A-Za-z0-9_-]+", text)  # base64url: nothing to percent-encode
    assert decode(text, atlas) == (walk, ())


def test_changes(ids):
    walk = Walk().add(ids[0]).add(ids[1]).add(ids[2]).add(ids[1])
    assert walk.event_ids == (ids[0], ids[1], ids[2])  # an event once
    assert walk.move(0, 1).event_ids == (ids[1], ids[0], ids[2])
    assert walk.move(0, -1) == walk and walk.move(2, 1) == walk
    assert walk.drop(1).event_ids == (ids[0], ids[2])
    noted = walk.with_note(1, "  a\u0000 note\n\n  ") .with_title("x" * 500)
    assert noted.steps[1].note == "a note" and len(noted.title) == TITLE_MAX
    assert len(walk.with_note(0, "ن" * 1000).steps[0].note) == NOTE_MAX


def test_a_full_walk_of_arabic_notes_fits_nginx(atlas, ids):
    """Every step with a note of the longest length, in Arabic: the parameter stays under its cap
    and the whole address under nginx's 8 KB request line."""
    walk = Walk().with_title("جولة " * 30)
    for i in range(STEPS_MAX):
        walk = walk.add(ids[i % len(ids)])
    for i in range(STEPS_MAX):
        walk = walk.with_note(i, ARABIC_NOTE * 4)
    assert len(walk.steps) == STEPS_MAX and {len(s.note) for s in walk.steps} == {NOTE_MAX}
    text = encode(walk)
    percent = len(quote(ARABIC_NOTE * 4, safe=""))
    assert percent > 5 * len(ARABIC_NOTE * 4)  # what percent-encoding would have cost
    if fits(walk):
        assert decode(text, atlas)[0] == walk
    # whatever fits is well inside nginx's limit, with the rest of the address
    url = "/presenter?" + urlencode({"lang": "en", "tour": WALK_TOUR, "step": "60", "walk": text[:PARAM_MAX]})
    assert len(f"GET {url} HTTP/1.1") < 8192


def test_varied_long_notes_meet_the_cap_before_nginx_does(atlas, ids):
    """Notes that do not compress (each different): ``fits`` says no before the address would
    pass its cap (the page then refuses the addition and says why)."""
    import random

    rng = random.Random(7)
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي "
    walk, kept = Walk(), Walk()
    for i in range(STEPS_MAX):
        walk = walk.add(ids[i % len(ids)]).with_note(i, "".join(rng.choice(letters) for _ in range(NOTE_MAX)))
        if fits(walk):
            kept = walk
    assert not fits(walk) and 5 <= len(kept.steps) < STEPS_MAX
    assert len(encode(kept)) <= PARAM_MAX and decode(encode(kept), atlas)[0] == kept


def test_an_addition_past_the_cap_is_refused(ids):
    walk = Walk()
    for i in range(STEPS_MAX + 5):
        walk = walk.add(ids[i % len(ids)])
    assert len(walk.steps) <= STEPS_MAX


@pytest.mark.parametrize(
    "text",
    [
        "2.abc", "1.", "1.!!!", "1.AAAA", "x" * (PARAM_MAX + 1), "1." + "A" * 50,
        _raw([1, 2]), _raw({"s": "x"}), _raw({"s": [[1]]}), _raw({"s": [[]]}), _raw({"s": [None]}),
        "1." + base64.urlsafe_b64encode(zlib.compress(b"[" * 100_000, 9)[2:-4]).decode().rstrip("="),  # deep
        "1." + base64.urlsafe_b64encode(zlib.compress(b" " * 10_000_000, 9)[2:-4]).decode().rstrip("="),  # bomb
    ],
)
def test_hostile_parameters_fall_back_with_a_notice(atlas, text):
    walk, notices = decode(text, atlas)
    assert walk == Walk() or not walk.steps
    assert notices == ("walk=…",)


def test_unknown_events_are_left_out_with_the_usual_notice(atlas, ids):
    text = _raw({"t": "**x**", "s": [["no-such-event", "note"], [ids[3], "kept"], [ids[3]], ["<script>"]]})
    walk, notices = decode(text, atlas)
    assert walk == Walk("**x**", (WalkStep(ids[3], "kept"),))
    assert notices == ("walk=…",)  # names no value from the URL
    state = parse_params({"walk": text, "lang": "en"}, atlas)
    assert state.walk == walk and "walk=…" in state.notices


def test_viewstate_carries_the_walk_and_the_query(atlas, ids):
    state = ViewState(lang="en", q="الموصل", walk=Walk("t", (WalkStep(ids[1], "n"),)))
    params = to_params(state)
    assert params["q"] == "الموصل" and params["walk"] == encode(state.walk)
    back = parse_params(params, atlas)
    assert (back.q, back.walk, back.notices) == (state.q, state.walk, ())
    assert parse_params({"q": "x" * 300}, atlas).q == "x" * MAX_Q  # cut to the cap
    assert parse_params({"q": "x" * 500}, atlas).notices == ("q=…",)  # not ours: refused, said
    assert parse_params({"q": "  a   b "}, atlas).q == "a b"


def test_as_tour_for_the_presenter(atlas, ids):
    walk = Walk("", (WalkStep(ids[4], ARABIC_NOTE), WalkStep(ids[1])))
    tour = as_tour(walk, "en")
    assert tour.id == WALK_TOUR and tour.title.en == "My walk"
    pos = tours.position((tour,), atlas, ViewState(tour=WALK_TOUR, step=2))
    assert [s.event.id for s in pos.stops] == [ids[4], ids[1]] and pos.step == 2
    assert pos.stops[0].note.get("en") == ARABIC_NOTE
    assert "ca-p-note" in tours.step_html(pos.stops[0], atlas, "en")


def test_tours_yaml_entry_validates(atlas, ids):
    walk = Walk("Interpol: 2017 and 2019", (WalkStep(ids[33], ARABIC_NOTE), WalkStep(ids[61], "English note: 'quoted' #1"),
                                             WalkStep(ids[0])))
    text = tours_yaml_entry(walk, "en")
    found = tours.validate_tours(text, set(ids))
    assert len(found) == 1
    tour = found[0]
    assert tour.id == "interpol-2017-and-2019" and tour.title.en == walk.title
    assert [s.event for s in tour.steps] == list(walk.event_ids)
    assert tour.steps[0].note.ar == ARABIC_NOTE and tour.steps[2].note is None
    assert "note written in Arabic" in text and "note written in English" in text
    arabic = tours.validate_tours(tours_yaml_entry(Walk("جولتي", walk.steps), "ar"), set(ids))[0]
    assert arabic.id == "my-walk-1" and arabic.title.ar == "جولتي"


def test_the_reserved_id_is_refused_in_tours_yaml(ids):
    text = f"tours:\n  - id: {WALK_TOUR}\n    title: {{ar: x, en: x}}\n    steps:\n      - event: {ids[0]}\n"
    with pytest.raises(Exception, match="reserved"):
        tours.validate_tours(text, set(ids))


def test_briefing_pack_of_a_walk(atlas, ids):
    walk = Walk("<b>Lesson</b>", (WalkStep(ids[40], "note <script>alert(1)</script>"), WalkStep(ids[2]), WalkStep(ids[20])))
    html = briefing_html(atlas, ViewState(lang="en", countries=("LBY",)), walk=walk)  # the walk, whatever the filters
    order = [m.group(1) for m in re.finditer(r'<article class="ca-event[^"]*" id="event-([a-z0-9-]+)"', html)]
    assert order == list(walk.event_ids)
    assert '<section id="walk"' in html and "&lt;b&gt;Lesson&lt;/b&gt;" in html
    assert "<script>alert(1)" not in html and "note &lt;script&gt;" in html
    steps = re.findall(r'<li><a href="#event-([a-z0-9-]+)"', html.split('<section id="walk"')[1].split("</section>")[0])
    assert steps == list(walk.event_ids)
