import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coalition_atlas.filtering import date_span, events_at_place, filter_events
from coalition_atlas.load import validate
from coalition_atlas.viewstate import KNOWN, ViewState, follow_link, parse_params, to_params


@pytest.fixture(scope="module")
def atlas(documents, places):
    from conftest import RECORD

    return validate(RECORD, "events.yaml", documents, places)


def test_default_view(atlas):
    state = parse_params({}, atlas)
    assert state == ViewState() and state.lang == "ar" and not state.notices
    assert to_params(state) == {}


def test_round_trip(atlas):
    params = {"lang": "en", "country": "IRQ,BEL", "category": "territory", "source": "paris-2019",
              "from": "2017-01-01", "to": "2018-12-31", "event": "paris-meeting", "place": "mosul",
              "doc": "washington-2017", "p": "7"}
    state = parse_params(params, atlas)
    assert not state.notices
    assert state.countries == ("IRQ", "BEL") and state.start == dt.date(2017, 1, 1)
    assert to_params(state) == params


@pytest.mark.parametrize(
    "params, notice",
    [
        ({"lang": "fr"}, "lang=fr"),
        ({"country": "IRQ,XXX"}, "country=XXX"),
        ({"category": "<script>"}, "category=<script>"),
        ({"from": "2017-13-01"}, "from=2017-13-01"),
        ({"from": "2019-01-01", "to": "2017-01-01"}, "from>to"),
        ({"event": "nope"}, "event=nope"),
        ({"place": "atlantis"}, "place=atlantis"),
        ({"doc": "nope", "p": "2"}, "doc=nope"),
        ({"doc": "washington-2017", "p": "1"}, "p=1"),
        ({"step": "-3"}, "step=-3"),
        ({"utm_source": "mail"}, "utm_source"),
        ({"event": "x" * 5000}, "event=…"),
    ],
)
def test_bad_parameters_fall_back_with_a_notice(atlas, params, notice):
    state = parse_params(params, atlas)
    assert notice in state.notices


def test_country_kept_when_valid_alongside_a_bad_one(atlas):
    assert parse_params({"country": "IRQ,XXX"}, atlas).countries == ("IRQ",)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(KNOWN + ("x", "")), st.text(max_size=50) | st.lists(st.text(max_size=10))))
def test_any_query_string_gives_a_view(documents, places, params):
    from conftest import RECORD

    atlas = validate(RECORD, "events.yaml", documents, places)
    state = parse_params(params, atlas)
    assert state.lang in ("ar", "en")
    assert parse_params(to_params(state), atlas).with_(notices=()) == state.with_(notices=())


def test_filters(atlas):
    all_ = list(atlas.events)
    assert filter_events(all_, ViewState()) == all_
    assert [e.id for e in filter_events(all_, ViewState(countries=("BEL",)))] == ["brussels-conference-announced"]
    assert [e.id for e in filter_events(all_, ViewState(categories=("territory",)))] == ["iraq-60-percent-retaken"]
    assert [e.id for e in filter_events(all_, ViewState(docs=("paris-2019",)))] == ["paris-meeting"]
    assert [e.id for e in filter_events(all_, ViewState(start=dt.date(2018, 1, 1)))] == ["paris-meeting"]
    assert [e.id for e in filter_events(all_, ViewState(end=dt.date(2017, 3, 31)))] == ["iraq-60-percent-retaken"]
    assert [e.id for e in events_at_place(all_, "paris")] == ["paris-meeting"]
    assert date_span(all_) == (dt.date(2017, 3, 22), dt.date(2019, 6, 25))


def test_month_precision_event_meets_a_range_inside_its_month(documents, places):
    from conftest import RECORD

    text = RECORD.replace("date: 2017-04-05", "date: 2017-04", 1)
    atlas = validate(text, "events.yaml", documents, places)
    shown = filter_events(atlas.events, ViewState(start=dt.date(2017, 4, 20), end=dt.date(2017, 5, 1)))
    assert [e.id for e in shown] == ["brussels-conference-announced"]


def test_page_parameters_stay_on_their_page():
    from coalition_atlas.viewstate import PAGE_PARAMS, for_page

    full = ViewState(lang="en", countries=("IRQ",), event="e", place="mosul", doc="washington-2017", passage="5",
                     tour="chronological", step=3)
    assert for_page(full, "sources") == full.with_(tour=None, step=None)
    assert for_page(full, "presenter") == full.with_(doc=None, passage=None)
    for page in ("overview", "timeline", "map"):
        kept = for_page(full, page)
        assert kept == full.with_(doc=None, passage=None, tour=None, step=None)
        assert set(to_params(kept)) == {"lang", "country", "event", "place"}  # the global ones
    assert {p for fields in PAGE_PARAMS.values() for p in fields.values()} == {"doc", "p", "tour", "step"}


def test_a_followed_link_keeps_the_filters_and_takes_what_the_page_shows(atlas):
    current = parse_params({"lang": "en", "country": "IRQ", "from": "2017-01-01", "event": "paris-meeting",
                            "place": "mosul", "tour": "x", "step": "3"}, atlas)
    state = follow_link(current, {"doc": "washington-2017", "p": "7", "event": "paris-meeting", "lang": "en"}, atlas)
    assert state.countries == ("IRQ",) and state.start == dt.date(2017, 1, 1) and state.lang == "en"
    assert (state.doc, state.passage, state.event) == ("washington-2017", "7", "paris-meeting")
    assert state.place is None and state.tour is None and state.step is None  # another page's choices
    # a link that names a filter or the language sets it; a bad value falls back with a notice
    other = follow_link(current, {"event": "nope", "lang": "ar", "country": "BEL"}, atlas)
    assert other.lang == "ar" and other.countries == ("BEL",) and other.event is None and other.notices
