"""The timeline's plain functions, against the fixture record and the real one."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalition_atlas.i18n import category_label, dating_label, t
from coalition_atlas.timeline import (
    AXIS_START,
    CATEGORY_COLORS,
    OKABE_ITO,
    SYMBOLS,
    event_points,
    event_table,
    hover_text,
    positions,
    selected_event_id,
    table_labels,
    timeline_figure,
)
from coalition_atlas.vocabulary import CATEGORIES, DATINGS


def event_traces(fig):
    return [tr for tr in fig.data if tr.meta == "events"]


def mark(fig, event_id):
    """(trace, index) of an event's mark."""
    for tr in event_traces(fig):
        if event_id in tr.customdata:
            return tr, list(tr.customdata).index(event_id)
    raise AssertionError(event_id)


def as_date(x) -> dt.date:
    return x.date() if isinstance(x, dt.datetime) else x


# --- marks --------------------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["fixture_atlas", "real_atlas"])
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_one_mark_per_event(which, lang, request):
    atlas = request.getfixturevalue(which)
    fig = timeline_figure(atlas.events, lang)
    points = sum(len(tr.x) for tr in fig.data if tr.customdata is not None)
    assert points == len(atlas.events)
    assert Counter(event_points(fig)) == Counter(e.id for e in atlas.events)
    # SVG scatter, never WebGL; one marks trace per dating present, shape by dating
    assert {tr.type for tr in fig.data} == {"scatter"}
    traces = event_traces(fig)
    assert len(traces) == len({e.dating for e in atlas.events})
    for tr in traces:
        datings = {atlas.event(i).dating for i in tr.customdata}
        assert len(datings) == 1
        assert tr.marker.symbol == SYMBOLS[datings.pop()]
        assert tr.mode == "markers"


def test_shapes_are_distinct_and_colours_okabe_ito():
    assert len(set(SYMBOLS.values())) == len(DATINGS) == len(SYMBOLS)
    assert SYMBOLS["on"] == "circle" and "open" in SYMBOLS["reported"] and "open" in SYMBOLS["planned"]
    assert set(CATEGORY_COLORS) == set(CATEGORIES)
    assert len(set(CATEGORY_COLORS.values())) == len(CATEGORIES)
    assert set(CATEGORY_COLORS.values()) <= set(OKABE_ITO.values())


def test_colour_follows_category(real_atlas):
    fig = timeline_figure(real_atlas.events, "en")
    for tr in event_traces(fig):
        for event_id, colour in zip(tr.customdata, tr.marker.color):
            assert colour == CATEGORY_COLORS[real_atlas.event(event_id).category]


def test_legend_explains_the_datings(real_atlas):
    fig = timeline_figure(real_atlas.events, "ar")
    legend = [tr for tr in fig.data if tr.showlegend is not False]
    assert [tr.name for tr in legend] == [dating_label(d, "ar") for d in DATINGS]
    assert [tr.marker.symbol for tr in legend] == [SYMBOLS[d] for d in DATINGS]
    assert fig.layout.legend.orientation == "h" and fig.layout.legend.y < 0


def test_marks_sit_in_their_lane_and_never_on_one_another(real_atlas):
    where = positions(real_atlas.events)
    assert len(set(where.values())) == len(real_atlas.events)
    lanes = {c: len(CATEGORIES) - 1 - i for i, c in enumerate(CATEGORIES)}
    for event in real_atlas.events:
        assert abs(where[event.id][1] - lanes[event.category]) < 0.5


def test_jitter_is_deterministic(real_atlas):
    events = list(real_atlas.events)
    assert positions(events) == positions(reversed(events)) == positions(events)


def test_day_marks_stay_near_their_day(real_atlas):
    where = positions(real_atlas.events)
    for event in real_atlas.events:
        if event.precision == "day":
            assert abs((as_date(where[event.id][0]) - event.start).days) <= 60, event.id


# --- dates --------------------------------------------------------------------------------------

def test_month_precision_has_a_span(real_atlas):
    months = [e for e in real_atlas.events if e.precision == "month"]
    assert months, "the record has month-precision events"
    fig = timeline_figure(real_atlas.events, "en")
    spans = {tr.name[len("span:"):]: tr for tr in fig.data if (tr.name or "").startswith("span:")}
    for event in months:
        span = spans[event.id]
        assert as_date(span.x[0]) == event.start and as_date(span.x[1]) == event.end + dt.timedelta(days=1)
        tr, i = mark(fig, event.id)
        assert span.y[0] == tr.y[i]
        assert event.start < as_date(tr.x[i]) <= event.end  # the middle, not the first day
    for event in real_atlas.events:
        if event.precision == "day":
            assert event.id not in spans


def test_earlier_band_for_events_before_2017(real_atlas):
    early = [e for e in real_atlas.events if e.start < AXIS_START]
    assert early, "the real record has the 2012 Geneva communiqué"
    for lang in ("ar", "en"):
        fig = timeline_figure(real_atlas.events, lang)
        band = [s for s in fig.layout.shapes if s.name == "earlier"]
        assert len(band) == 1
        notes = [a for a in fig.layout.annotations if a.name == "earlier"]
        assert [a.text for a in notes] == [t("earlier", lang)]
        assert notes[0].yshift <= -20  # a row below the years' labels (tests/e2e/test_phone.py: no overlap)
        x0, x1 = as_date(band[0].x0), as_date(band[0].x1)
        assert x1 < AXIS_START
        for event in early:  # never dropped: inside the band
            tr, i = mark(fig, event.id)
            assert x0 <= as_date(tr.x[i]) <= x1
        lo, hi = sorted(as_date(v) if not isinstance(v, str) else dt.date.fromisoformat(v[:10]) for v in fig.layout.xaxis.range)
        assert lo < x0 and hi >= dt.date(2019, 12, 31)


def test_no_band_without_earlier_events(fixture_atlas):
    fig = timeline_figure(fixture_atlas.events, "en")
    assert not [s for s in fig.layout.shapes if s.name == "earlier"]
    early = fixture_atlas.events[0].model_copy(update={"date": "2014-09", "id": "early"})
    fig = timeline_figure(list(fixture_atlas.events) + [early], "en")
    assert [s for s in fig.layout.shapes if s.name == "earlier"]
    assert len(event_points(fig)) == 4


# --- text ---------------------------------------------------------------------------------------

def test_hover_text_is_escaped(fixture_atlas):
    evil = "<img src=x onerror=alert(1)> & <b>bold</b>"
    event = fixture_atlas.events[0].model_copy(update={"title": fixture_atlas.events[0].title.model_copy(update={"ar": evil, "en": evil})})
    for lang in ("ar", "en"):
        fig = timeline_figure([event], lang)
        text = event_traces(fig)[0].text[0]
        assert "<img" not in text and "<b>bold" not in text
        assert "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in text
        assert event_traces(fig)[0].hovertemplate == "%{text}<extra></extra>"


def test_hover_shows_date_and_title_in_the_language(fixture_atlas):
    event = fixture_atlas.events[0]
    assert "22 March 2017" in hover_text(event, "en") and event.title.en in hover_text(event, "en")
    assert "22 آذار/مارس 2017" in hover_text(event, "ar") and event.title.ar in hover_text(event, "ar")


def test_arabic_lanes_and_direction(real_atlas):
    fig = timeline_figure(real_atlas.events, "ar")
    assert list(fig.layout.yaxis.ticktext) == [category_label(c, "ar") for c in CATEGORIES]
    assert fig.layout.yaxis.side == "right"
    x0, x1 = fig.layout.xaxis.range
    assert x0 > x1  # time runs right to left, as Arabic reads
    en = timeline_figure(real_atlas.events, "en")
    assert list(en.layout.yaxis.ticktext) == [category_label(c, "en") for c in CATEGORIES]
    assert en.layout.yaxis.side == "left" and en.layout.xaxis.range[0] < en.layout.xaxis.range[1]


def test_layout(real_atlas):
    fig = timeline_figure(real_atlas.events, "ar")
    assert "Noto Naskh Arabic" in fig.layout.font.family
    assert "Noto Naskh Arabic" in fig.layout.hoverlabel.font.family
    assert "Noto Naskh Arabic" in fig.layout.legend.font.family
    assert 420 <= fig.layout.height <= 480
    assert fig.layout.dragmode is False and fig.layout.clickmode == "event+select"


# --- emphasis -----------------------------------------------------------------------------------

def test_selected_mark_differs(real_atlas):
    chosen = "kuwait-city-guiding-principles"
    plain = timeline_figure(real_atlas.events, "en")
    fig = timeline_figure(real_atlas.events, "en", selected=chosen)
    tr, i = mark(fig, chosen)
    assert tr.marker.size[i] > max(s for t_ in event_traces(plain) for s in t_.marker.size)
    assert tr.marker.opacity[i] == 1
    ring = [t_ for t_ in fig.data if t_.name == "selected"]
    assert len(ring) == 1 and (ring[0].x[0], ring[0].y[0]) == (tr.x[i], tr.y[i])
    others = [o for t_ in event_traces(fig) for o, e in zip(t_.marker.opacity, t_.customdata) if e != chosen]
    assert max(others) < 1  # the rest slightly dimmed
    assert not [t_ for t_ in plain.data if t_.name == "selected"]
    assert len(event_points(fig)) == len(real_atlas.events)  # the ring is not a mark


def test_unknown_selection_changes_nothing(fixture_atlas):
    fig = timeline_figure(fixture_atlas.events, "en", selected="nope")
    assert not [t_ for t_ in fig.data if t_.name == "selected"]
    assert all(o == 1 for t_ in event_traces(fig) for o in t_.marker.opacity)


def test_place_highlight(real_atlas):
    fig = timeline_figure(real_atlas.events, "en", highlight_place="mosul")
    at_mosul = {e.id for e in real_atlas.events if "mosul" in e.places}
    assert at_mosul
    for tr in event_traces(fig):
        for event_id, size, opacity in zip(tr.customdata, tr.marker.size, tr.marker.opacity):
            assert (size > 11 and opacity == 1) if event_id in at_mosul else opacity < 1


def test_empty_figure():
    fig = timeline_figure([], "ar")
    assert event_points(fig) == []


# --- the table ----------------------------------------------------------------------------------

def test_event_table(real_atlas):
    df = event_table(real_atlas.events, "en", real_atlas.places)
    assert list(df.columns) == ["date", "date_label", "title", "category", "dating", "countries", "places", "event"]
    assert len(df) == len(real_atlas.events) and set(df["event"]) == {e.id for e in real_atlas.events}
    assert list(df["date"]) == sorted(df["date"])  # ISO partial dates sort as text
    row = df[df["event"] == "geneva-communique-2012"].iloc[0]
    assert row["date"] == "2012" and row["category"] == "Political"
    assert set(table_labels("en")) == set(df.columns)


def test_event_table_in_arabic(fixture_atlas):
    df = event_table(fixture_atlas.events, "ar", fixture_atlas.places)
    row = df[df["event"] == "iraq-60-percent-retaken"].iloc[0]
    assert row["date_label"] == "22 آذار/مارس 2017"
    assert row["category"] == category_label("territory", "ar")
    assert row["dating"] == dating_label("reported", "ar")
    assert row["countries"] == "العراق"
    assert row["places"] == fixture_atlas.places["mosul"].name_ar
    assert table_labels("ar")["title"] == t("title", "ar")


# --- the selection event ------------------------------------------------------------------------

class _Attr(dict):
    __getattr__ = dict.get


@pytest.mark.parametrize(
    "selection, expected",
    [
        ({"selection": {"points": [{"customdata": "paris-meeting"}]}}, "paris-meeting"),
        ({"selection": {"points": [{"customdata": ["paris-meeting", "x"]}]}}, "paris-meeting"),
        ({"selection": {"points": [{"customdata": "a"}, {"customdata": "b"}]}}, "b"),
        ({"selection": {"points": [{"customdata": "a"}, {"x": 1}]}}, "a"),  # a span point has none
        ({"selection": {"points": []}}, None),
        ({"selection": {}}, None),
        ({}, None),
        (None, None),
        ({"points": [{"customdata": "c"}]}, "c"),
        (_Attr(selection=_Attr(points=[_Attr(customdata="d")])), "d"),
        ({"selection": {"points": [{"customdata": []}, {"customdata": None}, {"customdata": 3}]}}, None),
        ({"selection": {"points": "nope"}}, None),
    ],
)
def test_selected_event_id(selection, expected):
    assert selected_event_id(selection) == expected


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["selection", "points", "customdata", "x"]), inner, max_size=3),
    max_leaves=12,
)


@given(_json)
def test_selected_event_id_never_raises(selection):
    found = selected_event_id(selection)
    assert found is None or (isinstance(found, str) and found)


# --- a large record (above GL_ABOVE events) ------------------------------------------------------

def _many(atlas, n: int):
    """``n`` events copied from the record's, ids suffixed, days spread over 2017–2019 (the
    precision kept), a hostile title on one of them."""
    from coalition_atlas.models import Bilingual

    out = []
    for i in range(n):
        e = atlas.events[i % len(atlas.events)]
        day = dt.date(2017, 1, 1) + dt.timedelta(days=(i * 7919) % 1095)
        date = {"day": day.isoformat(), "month": day.isoformat()[:7], "year": str(day.year)}[e.precision]
        title = Bilingual(ar="<b>%{x}</b> & <img src=x>", en="<i>x</i>") if i == 7 else e.title
        out.append(e.model_copy(update={"id": f"{e.id}-s{i:05d}", "date": date, "title": title}))
    return out


@pytest.fixture(scope="module")
def many(real_atlas):
    from coalition_atlas.timeline import GL_ABOVE

    return _many(real_atlas, GL_ABOVE * 3)


def test_large_record_keeps_the_events_contract(many):
    import plotly.graph_objects as go

    fig = timeline_figure(many, "ar")
    assert sorted(event_points(fig)) == sorted(e.id for e in many)  # one mark per event, ids as customdata
    traces = event_traces(fig)
    assert traces and all(isinstance(tr, go.Scattergl) for tr in traces)
    by_id = {e.id: e for e in many}
    for tr in traces:  # one colour and one shape per trace, the events' own
        assert {CATEGORY_COLORS[by_id[i].category] for i in tr.customdata} == {tr.marker.color}
        assert {SYMBOLS[by_id[i].dating] for i in tr.customdata} == {tr.marker.symbol}
        assert len(tr.x) == len(tr.y) == len(tr.customdata) == len(tr.text) == len(tr.hovertext)
    assert not [tr for tr in fig.data if (tr.name or "").startswith("span:")]  # no trace per span


def test_large_record_hover_says_the_same_escaped(many):
    fig = timeline_figure(many, "en")
    for event_id in (many[0].id, many[7].id, many[100].id):
        tr, k = mark(fig, event_id)
        e = next(e for e in many if e.id == event_id)
        shown = tr.hovertemplate.replace("%{text}", tr.text[k]).replace("%{hovertext}", tr.hovertext[k])
        assert shown == hover_text(e, "en") + "<extra></extra>"
    tr, k = mark(timeline_figure(many, "ar"), many[7].id)
    assert tr.hovertext[k] == "\u2068&lt;b&gt;%{x}&lt;/b&gt; &amp; &lt;img src=x&gt;\u2069"  # escaped (and isolated), never markup


def test_large_record_spans_merged(many):
    fig = timeline_figure(many, "ar")
    spans = [tr for tr in fig.data if (tr.name or "").startswith("spans:")]
    wide = [e for e in many if e.precision != "day" and e.start >= AXIS_START]
    assert wide and spans
    assert sum(list(tr.x).count(None) for tr in spans) == len(wide)  # one segment per month or year
    assert len(spans) <= len(DATINGS) * len(CATEGORIES)


def test_large_record_emphasis_and_ring(many):
    chosen = many[3].id
    fig = timeline_figure(many, "ar", selected=chosen)
    tr, k = mark(fig, chosen)
    assert list(tr.marker.size)[k] == max(max(list(t_.marker.size)) for t_ in event_traces(fig))
    assert list(tr.marker.opacity)[k] == 1.0
    assert sum(list(t_.marker.opacity).count(1.0) for t_ in event_traces(fig)) == 1
    assert [t_.x for t_ in fig.data if t_.name == "selected"]
    plain = timeline_figure(many, "ar")
    assert all(t_.marker.size == 11 and t_.marker.opacity == 1.0 for t_ in event_traces(plain))


def test_large_record_positions_deterministic_in_lanes(many):
    from coalition_atlas.timeline import ROW, _lanes

    where = positions(many)
    assert where == positions(list(reversed(many)))
    lanes = _lanes()
    for e in many:
        assert round(where[e.id][1] - lanes[e.category], 6) in (0.0, round(ROW, 6), round(-ROW, 6))


def test_large_record_json_is_small_and_quick(real_atlas):
    import time

    import plotly.io as pio

    events = _many(real_atlas, 3000)
    t0 = time.perf_counter()
    fig = timeline_figure(events, "ar")
    took = time.perf_counter() - t0
    size = len(pio.to_json(fig, validate=False))
    assert size < 3000 * 600, size  # per mark: its date, title, id, x and y; no per-mark styles
    assert took < 10, took  # ~0.4 s here; generous for a loaded machine


def test_small_record_unchanged_below_the_threshold(real_atlas):
    import plotly.graph_objects as go

    fig = timeline_figure(real_atlas.events, "ar")
    assert all(type(tr) is go.Scatter for tr in fig.data)
    assert [tr for tr in fig.data if (tr.name or "").startswith("span:")]
