"""Tours (tours.yaml) and the presenter's pure logic: loading, located problems, the
chronological tour kept complete, which tour and step a URL lands on, what a step shows."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coalition_atlas import tours
from coalition_atlas.load import EVENTS_PATH, load_atlas
from coalition_atlas.problems import RecordError
from coalition_atlas.viewstate import ViewState
from conftest import position

ROOT = Path(__file__).resolve().parents[1]
LINE = re.compile(r"^tours\.yaml:\d+:\d+: .+ — .+$")

SMALL = """\
tours:
  - id: demo
    title: {ar: "جولة", en: "A tour"}
    steps:
      - event: iraqi-partners-retake-60-percent
        note: {ar: "ملاحظة", en: "A note"}
      - event: final-liberation-declared
  - id: other
    title: {ar: "أخرى", en: "Another"}
    steps:
      - event: paris-meeting-2019
"""


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


@pytest.fixture(scope="module")
def walks(atlas):
    return tours.load_tours({e.id for e in atlas.events})


def problems_of(text: str, atlas) -> list:
    try:
        tours.validate_tours(text, {e.id for e in atlas.events})
    except RecordError as err:
        return err.problems
    return []


def only(problems):
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


# --- the shipped tours ---------------------------------------------------------------------------

def test_the_tours_load(walks, atlas):
    assert [w.id for w in walks][:2] == ["chronological", "mosul-to-last-territory"]
    for walk in walks:
        assert walk.title.ar and walk.title.en
        assert all(atlas.event(step.event) for step in walk.steps)
    assert problems_of(tours.TOURS_PATH.read_text(encoding="utf-8"), atlas) == []


def test_chronological_tour_is_every_event_in_date_order(walks, atlas):
    chronological = next(w for w in walks if w.id == "chronological")
    listed = [step.event for step in chronological.steps]
    expected = [e.id for e in tours.date_order(atlas.events)]
    missing, extra = sorted(set(expected) - set(listed)), sorted(set(listed) - set(expected))
    assert not missing and not extra, (
        f"tours.yaml's chronological tour lacks {missing} and lists {extra}: it must hold every event of events.yaml"
    )
    assert listed == expected, (
        "tours.yaml's chronological tour is out of date order; write its steps as:\n"
        + "\n".join(f"      - event: {i}" for i in expected)
    )
    starts = [atlas.event(i).start for i in listed]
    assert starts == sorted(starts)


def test_mosul_tour_follows_the_liberated_places(walks, atlas):
    walk = next(w for w in walks if w.id == "mosul-to-last-territory")
    assert walk.title.en == "From Mosul to the last territory"
    events = [atlas.event(s.event) for s in walk.steps]
    places = {p for e in events for p in e.places}
    assert {"mosul", "raqqa", "al-bab", "dabiq", "jarablus", "sirte"} <= places
    ids = [e.id for e in events]
    assert "final-liberation-declared" in ids and "daesh-holds-no-land-7-7-million-freed" in ids
    assert [e.start for e in events] == sorted(e.start for e in events)  # it walks forward in time
    assert all(s.note and s.note.ar and s.note.en for s in walk.steps)  # a note for every step, both languages
    numbers = re.compile(r"\d[\d,.]*\d|\d")
    for step in walk.steps:  # a number a note states is one the event's sources or dates state
        event = atlas.event(step.event)
        said = [r.translation for r in event.sources] + [event.date.replace("-", " ")]
        said += [atlas.documents[r.doc].meta.date.strftime("%d %m %Y") for r in event.sources]
        allowed = {n for text in said for n in numbers.findall(text)} | {"2019"}  # the final liberation's year
        assert set(numbers.findall(step.note.en)) <= allowed, step.event
        assert set(numbers.findall(step.note.ar)) <= allowed | {"110"}, step.event  # "110 آلاف": 110 thousand


# --- located problems ----------------------------------------------------------------------------

def test_the_small_file_loads(atlas):
    walks = tours.validate_tours(SMALL, {e.id for e in atlas.events})
    assert [w.id for w in walks] == ["demo", "other"]
    assert walks[0].steps[0].note.en == "A note" and walks[0].steps[1].note is None


def test_unknown_event_suggests_the_closest_id(atlas):
    text = SMALL.replace("- event: iraqi-partners-retake-60-percent", "- event: iraqi-partners-retake-60-percnt")
    p = only(problems_of(text, atlas))
    assert (p.line, p.col) == position(text, "iraqi-partners-retake-60-percnt")
    assert p.message == "unknown event 'iraqi-partners-retake-60-percnt'"
    assert p.hint == "did you mean 'iraqi-partners-retake-60-percent'?"
    assert LINE.match(str(p)), str(p)


def test_unknown_event_far_from_any_id(atlas):
    text = SMALL.replace("- event: paris-meeting-2019", "- event: zzz")
    p = only(problems_of(text, atlas))
    assert (p.line, p.col) == position(text, "zzz")
    assert p.hint == "use an event id from events.yaml"


def test_duplicate_tour_id(atlas):
    text = SMALL.replace("  - id: other", "  - id: demo")
    p = only(problems_of(text, atlas))
    assert (p.line, p.col) == position(text, "demo", nth=1)
    assert p.message == f"duplicate tour id 'demo' (first at line {position(text, 'demo')[0]})"


def test_event_listed_twice_in_a_tour(atlas):
    text = SMALL.replace("- event: final-liberation-declared", "- event: iraqi-partners-retake-60-percent")
    p = only(problems_of(text, atlas))
    assert (p.line, p.col) == position(text, "iraqi-partners-retake-60-percent", nth=1)
    assert "already a step of this tour (line 5)" in p.message


def test_misspelt_field_in_a_step(atlas):
    text = SMALL.replace("        note: {ar:", "        nots: {ar:")
    p = only(problems_of(text, atlas))
    assert (p.line, p.col) == position(text, "nots")
    assert (p.message, p.hint) == ("unknown field 'nots'", "did you mean 'note'?")


def test_misspelt_field_of_a_tour_is_said_once(atlas):
    text = SMALL.replace("    title: {ar: \"جولة\"", "    titel: {ar: \"جولة\"")
    p = only(problems_of(text, atlas))  # not also "missing field 'title'"
    assert (p.line, p.col) == position(text, "titel")
    assert (p.message, p.hint) == ("unknown field 'titel'", "did you mean 'title'?")


def test_missing_field_and_missing_translation(atlas):
    text = SMALL.replace('    title: {ar: "أخرى", en: "Another"}\n', "").replace('{ar: "ملاحظة", en: "A note"}', '{ar: "ملاحظة"}')
    found = problems_of(text, atlas)
    assert len(found) == 2, [str(p) for p in found]
    note, title = found
    assert (note.line, note.col) == position(text, '{ar: "ملاحظة"}')
    assert note.message == "'note' has no English text"
    assert (title.line, title.col) == position(text, "id: other")
    assert title.message == "missing field 'title'" and "tours.yaml's first tour" in title.hint


def test_reserved_id_and_unknown_top_level_field(atlas):
    text = SMALL.replace("  - id: other", f"  - id: {tours.CURRENT}") + "extra: 1\n"
    first, second = problems_of(text, atlas)
    assert (first.line, first.col) == position(text, tours.CURRENT) and "reserved" in first.message
    assert (second.line, second.col) == position(text, "extra") and second.message == "unknown top-level field 'extra'"


def test_yaml_errors_are_located(atlas):
    text = SMALL.replace("    steps:\n      - event: paris", "    steps:\n     - event: [paris")
    p = only(problems_of(text, atlas))
    assert p.file == "tours.yaml" and "YAML" in p.message and p.line > 1
    empty = only(problems_of("", atlas))
    assert (empty.line, empty.col, empty.message) == (1, 1, "the file is empty") and "tours:" in empty.hint
    assert "no list of tours" in only(problems_of("tours: []\n", atlas)).message


def test_validate_command_checks_the_tours(tmp_path):
    shutil.copy(EVENTS_PATH, tmp_path / "events.yaml")
    (tmp_path / "tours.yaml").write_text(SMALL.replace("paris-meeting-2019", "paris-meeting-2091"), encoding="utf-8")
    run = [sys.executable, "-m", "coalition_atlas", "validate", str(tmp_path / "events.yaml")]
    done = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stdout.strip().splitlines() == [
        "tours.yaml:11:16: unknown event 'paris-meeting-2091' — did you mean 'paris-meeting-2019'?"
    ]
    (tmp_path / "tours.yaml").write_text(SMALL, encoding="utf-8")
    done = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "tours.yaml: ok — 2 tours, 3 steps" in done.stdout


# --- which tour, which step ----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("step", "total", "expected"),
    [(None, 12, (1, False)), (1, 12, (1, False)), (12, 12, (12, False)), (13, 12, (12, True)), (0, 12, (1, True)),
     (99999, 3, (3, True)), (None, 0, (0, False)), (4, 0, (0, True))],
)
def test_clamp_step(step, total, expected):
    assert tours.clamp_step(step, total) == expected


def test_moves_stop_at_either_end():
    assert [tours.move(1, 5, w) for w in ("first", "previous", "next", "last")] == [1, 1, 2, 5]
    assert [tours.move(5, 5, w) for w in ("first", "previous", "next", "last")] == [1, 4, 5, 5]


def test_position_from_the_url(walks, atlas):
    pos = tours.position(walks, atlas, ViewState(tour="mosul-to-last-territory", step=3))
    assert (pos.tour.id, pos.step, pos.total, pos.notices) == ("mosul-to-last-territory", 3, 12, ())
    assert pos.stop.event.id == "syrian-partners-expel-daesh-from-a-third" and pos.stop.note.en.startswith("Syria:")

    default = tours.position(walks, atlas, ViewState())
    assert (default.tour.id, default.step, default.notices) == ("chronological", 1, ())


def test_out_of_range_step_is_clamped_with_a_notice(walks, atlas):
    pos = tours.position(walks, atlas, ViewState(tour="mosul-to-last-territory", step=40, lang="en"))
    assert pos.step == 12
    assert tours.notices(pos, "en") == ["There is no step 40 in this tour (it has 12); showing step 12."]
    assert tours.notices(pos, "ar") == ["لا خطوة 40 في هذه الجولة (عدد خطواتها 12)؛ تُعرض الخطوة 12."]


def test_unknown_tour_falls_back_to_the_default(walks, atlas):
    pos = tours.position(walks, atlas, ViewState(tour="<script>", step=5))
    assert (pos.tour.id, pos.step) == ("chronological", 1)  # the step was the other tour's
    # a toast is Markdown: the URL's id is not repeated, the title is taken literally (md)
    assert tours.notices(pos, "en") == ["The link names no known tour; showing 'Every event\\, in date order'."]


def test_current_filters_tour(walks, atlas):
    state = ViewState(tour=tours.CURRENT, countries=("LBY",), step=2)
    pos = tours.position(walks, atlas, state)
    libya = [e for e in atlas.events if "LBY" in e.countries]
    assert [s.event.id for s in pos.stops] == [e.id for e in tours.date_order(libya)]
    assert pos.step == 2 and pos.tour.title.en == "The events the current filters show"
    nothing = tours.position(walks, atlas, ViewState(tour=tours.CURRENT, start=dt.date(2030, 1, 1)))
    assert (nothing.step, nothing.total, nothing.stop, nothing.notices) == (0, 0, None, ())


def test_filters_open_the_current_filters_walk_unless_a_tour_is_named(walks, atlas):
    libya = [e.id for e in tours.date_order(e for e in atlas.events if "LBY" in e.countries)]
    pos = tours.position(walks, atlas, ViewState(countries=("LBY",)))
    assert pos.tour.id == tours.CURRENT and [s.event.id for s in pos.stops] == libya and pos.notices == ()
    named = tours.position(walks, atlas, ViewState(countries=("LBY",), tour=walks[0].id))  # tour= wins
    assert named.tour.id == walks[0].id and named.total == len(walks[0].steps)
    assert tours.position(walks, atlas, ViewState()).tour.id == walks[0].id  # no filter: the default


# --- what a step shows ---------------------------------------------------------------------------

def test_step_html_shows_title_dating_quotes_and_note(walks, atlas):
    pos = tours.position(walks, atlas, ViewState(tour="mosul-to-last-territory", step=3))
    html = tours.step_html(pos.stop, atlas, "en")
    event = pos.stop.event
    assert event.title.en in html and "22 March 2017 · reported as of that date · Raqqa" in html
    # two quotes of one paragraph: one row, joined with an ellipsis, one citation
    assert f"«{event.sources[0].quote} … {event.sources[1].quote}»" in html
    assert html.count('class="ca-p-cite"') == 1 and "Washington statement, ¶ 2</bdi> · <bdi>22 March 2017" in html  # in words (issue 14)
    assert pos.stop.note.en in html and 'dir="rtl" lang="ar"' in html
    arabic = tours.step_html(pos.stop, atlas, "ar")
    assert event.title.ar in arabic and pos.stop.note.ar in arabic and 'dir="rtl" lang="ar" data-event' in arabic


def test_step_html_escapes_the_record(atlas):
    event = atlas.event("paris-meeting-2019")
    bad = event.model_copy(update={"title": event.title.model_copy(update={"en": '<img src=x onerror="alert(1)">'})})
    html = tours.step_html(tours.Stop(bad), atlas, "en")
    assert "<img" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_every_step_gets_a_type_size_that_fits(walks, atlas):
    sizes = set()
    for walk in walks:
        for step in walk.steps:
            stop = tours.Stop(atlas.event(step.event), step.note)
            for lang in ("ar", "en"):
                size = tours.text_size(stop, lang)
                sizes.add(size)
                assert tours.text_height(stop, lang, size) * tours.SAFETY <= tours.TEXT_BUDGET, (step.event, lang)
                assert tours.STRIP_HEIGHT <= tours.strip_height(stop, lang) <= tours.STRIP_MAX
    assert "ca-p-l" in sizes and len(sizes) > 1  # short texts large, long ones smaller


def test_map_view_fits_the_step_places(walks, atlas):
    pos = tours.position(walks, atlas, ViewState(tour="mosul-to-last-territory", step=2))
    (lat, lon), zoom = tours.map_view(atlas, pos.stops, pos.stop)
    mosul = atlas.places["mosul"]
    assert (round(lat, 2), round(lon, 2), zoom) == (round(mosul.lat, 2), round(mosul.lon, 2), tours.FIT_MAX_ZOOM)

    three = tours.position(walks, atlas, ViewState(tour="mosul-to-last-territory", step=4))  # al-Bab, Dabiq, Jarablus
    (lat, lon), zoom = tours.map_view(atlas, three.stops, three.stop)
    assert 36.3 < lat < 36.9 and 37.2 < lon < 38.1 and zoom == tours.FIT_MAX_ZOOM

    none = tours.position(walks, atlas, ViewState(tour="mosul-to-last-territory", step=7))  # no place named
    (lat, lon), zoom = tours.map_view(atlas, none.stops, none.stop)
    assert atlas.places["sirte"].lon < lon < atlas.places["mosul"].lon and zoom < tours.FIT_MAX_ZOOM

    far = tours.Stop(atlas.event("astana-meetings-pave-way-for-geneva"))  # Geneva and Astana
    (lat, lon), zoom = tours.map_view(atlas, [far], far)
    assert 6 < lon < 72 and zoom <= 3


def test_presenter_timeline_highlights_the_step(walks, atlas):
    pos = tours.position(walks, atlas, ViewState(tour="mosul-to-last-territory", step=5))
    fig = tours.presenter_timeline(pos.stops, "ar", pos.stop.event.id, 300)
    assert fig.layout.height == 300 and fig.layout.showlegend is False
    marks = {i: size for trace in fig.data if trace.meta == "events" for i, size in zip(trace.customdata, trace.marker.size)}
    assert set(marks) == {s.event.id for s in pos.stops}
    assert marks[pos.stop.event.id] == max(marks.values()) > min(marks.values())
    assert any(trace.name == "selected" for trace in fig.data)


def test_presenter_timeline_of_a_large_current_tour(atlas):
    """The ad-hoc tour of a large record (over the timeline's WebGL threshold) draws too."""
    from coalition_atlas.timeline import GL_ABOVE

    events = [e.model_copy(update={"id": f"{e.id}-s{i:05d}"}) for i in range(GL_ABOVE // len(atlas.events) + 2)
              for e in atlas.events]
    stops = [tours.Stop(e) for e in tours.date_order(events)]
    fig = tours.presenter_timeline(stops, "ar", stops[3].event.id, 300)
    marks = {i: size for trace in fig.data if trace.meta == "events" for i, size in zip(trace.customdata, trace.marker.size)}
    assert len(marks) == len(events) and marks[stops[3].event.id] == max(marks.values())


def test_the_strip_keeps_one_height_at_every_step(walks, atlas):
    # nothing on the screen moves from one step to the next (the browser test measures it)
    heights = {tours.strip_height(tours.Stop(atlas.event(s.event)), lang)
               for walk in walks for s in walk.steps for lang in ("ar", "en")}
    assert heights == {tours.STRIP_HEIGHT}
    assert "--ca-strip: max(270px, calc(100vh - var(--ca-zoom) * 450px))" in tours.PRESENTER_CSS


def test_a_step_without_a_place_shows_its_countries(atlas):
    event = atlas.event("final-liberation-declared")  # Syria and Iraq, no place
    assert not event.places and set(event.countries) == {"SYR", "IRQ"}
    stop = tours.Stop(event)
    (south, west), (north, east) = tours.country_bounds(event.countries)
    (lat, lon), zoom = tours.map_view(atlas, [stop], stop)
    assert south < lat < north and west < lon < east and 3 <= zoom <= tours.FIT_MAX_ZOOM
    libya = tours.Stop(atlas.event("libya-instability-political-agreement"))
    (lat, lon), _ = tours.map_view(atlas, [libya], libya)
    assert 20 < lat < 33 and 9 < lon < 25  # Libya, not the tour's places
    nowhere = tours.Stop(atlas.event("decisive-gains-against-daesh"))  # neither place nor country
    assert not nowhere.event.countries and tours.country_bounds([]) is None
    (lat, lon), _ = tours.map_view(atlas, [nowhere], nowhere)
    assert 12 < lat < 42.5 and 8 < lon < 62  # the region the documents are about


def test_the_presenter_map_takes_no_keys_and_gives_them_back(atlas):
    m = tours.tour_map(atlas, [tours.Stop(e) for e in atlas.events[:10]], "en")
    page = m.get_root().render()
    assert '"keyboard": false' in page and "CaMap.giveKeysBack()" in page
    assert "fitBounds" not in page  # the view is each step's (map_view)
